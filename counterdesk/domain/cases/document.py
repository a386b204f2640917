"""The case document (办件): one schema for the counter's store, the server and the scorer.

A case travels as JSON (``Case.model_dump(mode="json")``); the offline layer carries it as
an opaque document and the server keeps it whole. Validation is strict so that a
malformed case from a file, a peer or an old client is refused with its path, not stored.
Top-level members are the unit of field-by-field merging during sync (see ``EDITABLE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from counterdesk.domain.cases.states import CaseState
from counterdesk.domain.cases.unlisted import UNLISTED_CODE, UNLISTED_KIND

CASE_SCHEMA_ID: Final = "counterdesk-case/1"

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]*$")]
MaterialId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
NonNegative = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    """Unknown keys are errors, as in the catalogue: they are usually typos."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


class Applicant(Strict):
    type: Literal["natural", "legal"]
    name: str = Field(min_length=1)
    id_kind: Literal["resident_id", "uscc", "other"]
    id_number: str  # empty only for an organisation being registered (no code yet)
    phone: str = ""
    address: str = ""
    contact_name: str = ""  # the person who deals with the counter for an organisation

    @model_validator(mode="after")
    def _number_given(self) -> Applicant:
        if not self.id_number and self.type != "legal":
            raise ValueError("a person's ID number is required (id_number)")
        return self


class Agent(Strict):
    """Someone applying on the applicant's behalf (代办)."""

    name: str = Field(min_length=1)
    id_number: str = Field(min_length=1)
    phone: str = ""


class Target(Strict):
    """The catalogue's item or bundle the case is for; or, ``unlisted``, a matter no item
    of this centre covers (code ``UNLISTED``, ``name`` what the applicant asked for)."""

    kind: Literal["item", "bundle", "unlisted"]
    code: Code
    name: str
    name_en: str = ""

    @model_validator(mode="after")
    def _unlisted_code(self) -> Target:
        if (self.kind == UNLISTED_KIND) != (self.code == UNLISTED_CODE):
            raise ValueError(
                f"the code {UNLISTED_CODE} is for, and only for, kind {UNLISTED_KIND!r}"
            )
        if self.kind == UNLISTED_KIND and not self.name.strip():
            raise ValueError("an unlisted matter needs what the applicant asked for (name)")
        return self


class ReceivedMaterial(Strict):
    """What the applicant handed over for one checklist line."""

    original: NonNegative = 0  # originals checked and handed back
    copies: NonNegative = 0  # copies kept, including those made at the counter
    made_at_counter: NonNegative = 0  # of which copied or scanned by the counter itself
    pages: NonNegative = 0  # scanned pages attached


class Shortfall(Strict):
    material: MaterialId
    original: NonNegative = 0
    copies: NonNegative = 0


Outcome = Literal["accept", "accept_deferral", "notice", "refuse"]
RefusalGround = Literal["no_licence_needed", "not_this_authority", "other"]


class Decision(Strict):
    """The counter's decision under art. 32 of the Administrative Licensing Law."""

    outcome: Outcome
    missing: list[Shortfall] = []  # the one-time notice's complete list
    deferred: list[Shortfall] = []  # what a deferral commitment promises to bring
    due: dt.date | None = None  # supplement or deferral deadline
    refusal_ground: RefusalGround | None = None
    reason: str = ""
    competent_authority: str = ""  # named when the matter is not this authority's
    commitment_signed: bool = False
    decided_at: dt.datetime
    decided_by: str


class Limits(Strict):
    """Time limits fixed at acceptance, in working days and as dates."""

    accepted_on: dt.date
    promised_days: NonNegative
    legal_days: NonNegative
    promised_by: dt.date
    legal_by: dt.date
    calendar_provisional: bool = False
    fee: float = Field(ge=0)


class CaseNumbers(Strict):
    official: str | None = None
    provisional: str | None = None  # issued offline when no leased number was left


class Delivery(Strict):
    method: Literal["pickup", "mail"] = "pickup"
    address: str = ""
    recipient: str = ""
    phone: str = ""


class TimelineEntry(Strict):
    state_from: CaseState | None
    state_to: CaseState
    by: str
    at: dt.datetime  # device time of the action
    reason: str = ""


class DepartmentResult(Strict):
    approved: bool
    text: str = ""
    decided_at: dt.datetime
    decided_by: str


class Issuance(Strict):
    method: Literal["pickup", "mail"]
    collector_name: str = ""
    collector_id: str = ""  # checked against the applicant or the delegate
    delegate: bool = False  # collected by someone with a power of attorney
    courier: str = ""
    tracking_number: str = ""
    address: str = ""
    delivered_at: dt.datetime
    delivered_by: str


class PrintRecord(Strict):
    doc: str
    at: dt.datetime
    by: str
    copies: int = Field(default=1, ge=1)
    reprint: bool = False


class AttachmentRef(Strict):
    id: str
    material: MaterialId
    pages: int = Field(ge=1)
    size: int = Field(ge=1)
    sha256: str
    content_type: str = "application/pdf"


class Case(Strict):
    schema_id: Literal["counterdesk-case/1"] = Field(default=CASE_SCHEMA_ID, alias="schema")
    id: str = Field(min_length=1)
    centre: str = ""
    counter: str = ""
    training: bool = False
    target: Target
    catalogue_version: str = ""
    applicant: Applicant
    agent: Agent | None = None
    fields: dict[str, str | int | float | bool | None] = {}
    received: dict[MaterialId, ReceivedMaterial] = {}
    sharing: bool = True
    check: dict[str, object] | None = None  # the completeness check's answer at decision time
    decision: Decision | None = None
    limits: Limits | None = None
    delivery: Delivery = Delivery()
    numbers: CaseNumbers = CaseNumbers()
    state: CaseState = CaseState.RECEIVED
    assignee: str = ""
    received_by: str = ""
    received_at: dt.datetime
    version: int = Field(default=1, ge=1)
    updated_at: dt.datetime | None = None
    timeline: list[TimelineEntry] = []
    department_result: DepartmentResult | None = None
    issuance: Issuance | None = None
    prints: list[PrintRecord] = []
    attachments: list[AttachmentRef] = []

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)

    @property
    def number(self) -> str:
        """The number to show: the official one once known, else the provisional one."""
        return self.numbers.official or self.numbers.provisional or ""

    @property
    def facts(self) -> dict[str, object]:
        """The facts the completeness check evaluates conditions against."""
        return {
            "applicant_type": self.applicant.type,
            "agent": self.agent is not None,
            **self.fields,
        }

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


# Members an ``update_fields`` operation may change; the server owns state and assignee,
# and history lists (timeline, prints, attachments) only grow through their operations.
EDITABLE = frozenset(
    {
        "applicant",
        "agent",
        "fields",
        "received",
        "sharing",
        "check",
        "decision",
        "limits",
        "delivery",
        "numbers",
        "centre",
        "counter",
    }
)
SERVER_OWNED = frozenset({"state", "assignee"})


def case_json_schema() -> dict[str, object]:
    return Case.model_json_schema(by_alias=True)
