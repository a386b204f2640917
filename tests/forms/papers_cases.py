"""Cases for paper tests: one per paper, made through the real operations and decisions,
with a realistic applicant whose full ID number must never appear on paper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from counterdesk.domain.cases import Case
from counterdesk.domain.catalogue import Catalogue, load_catalogue
from counterdesk.domain.checklist import evaluate
from counterdesk.domain.clock import CHINA_TZ
from tests.domain.case_factory import created, moved
from tests.domain.catalogue_cases import MINI

FULL_ID = "330402199001011237"
MASKED_ID = "330402********1237"
AGENT_ID = "11010519491231002X"
PHONE = "13812345678"
T0 = dt.datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)
DECIDED = T0 + dt.timedelta(minutes=12)


def mini_catalogue() -> Catalogue:
    return load_catalogue(MINI)


def _check(catalogue: Catalogue, code: str, facts: dict[str, Any], presented: dict) -> dict:
    return evaluate(catalogue, code, facts, presented, True, T0.date()).to_json()


def _decided(case: Case, to: str, decision: dict[str, Any], **changes: Any) -> Case:
    decision = {"decided_at": DECIDED.isoformat(), "decided_by": "officer1", **decision}
    return moved(case, to, at=DECIDED, changes={"decision": decision, **changes}, reason="见通知书")


def received_case(training: bool = False, official: str | None = "JX2026-000123") -> Case:
    catalogue = mini_catalogue()
    presented = {"id_card": {"original": 1, "copies": 1}, "lease": {"copies": 1}}
    facts = {"applicant_type": "natural", "agent": True, "premises": "rented"}
    numbers = {"official": official, "provisional": None if official else "P-C3-0007"}
    return created(
        training=training,
        numbers=numbers,
        target={
            "kind": "item",
            "code": "SCJG-001",
            "name": "个体工商户设立登记",
            "name_en": "Sole proprietor registration",
        },
        applicant={
            "type": "natural",
            "name": "王小明",
            "id_kind": "resident_id",
            "id_number": FULL_ID,
            "phone": PHONE,
            "address": "浙江省嘉兴市南湖区某路1号",
        },
        agent={"name": "李代办", "id_number": AGENT_ID, "phone": "13900001111"},
        fields={"premises": "rented", "staff": 3, "opening": "2026-12-01", "chain": False},
        received={
            "id_card": {"original": 1, "copies": 1, "made_at_counter": 1},
            "lease": {"copies": 1, "pages": 4},
        },
        check=_check(catalogue, "SCJG-001", facts, presented),
        delivery={
            "method": "mail",
            "address": "浙江省嘉兴市南湖区某路1号",
            "recipient": "王小明",
            "phone": PHONE,
        },
    )


def limits(provisional: bool = False) -> dict[str, Any]:
    return {
        "accepted_on": "2026-11-23",
        "promised_days": 1,
        "legal_days": 15,
        "promised_by": "2026-11-24",
        "legal_by": "2026-12-14",
        "calendar_provisional": provisional,
        "fee": 0,
    }


def accepted_case(**kwargs: Any) -> Case:
    provisional = kwargs.pop("calendar_provisional", False)
    return _decided(
        received_case(**kwargs), "accepted", {"outcome": "accept"}, limits=limits(provisional)
    )


def deferral_case(**kwargs: Any) -> Case:
    decision = {
        "outcome": "accept_deferral",
        "deferred": [{"material": "fire_plan", "copies": 1}],
        "due": "2026-12-07",
        "commitment_signed": True,
    }
    return _decided(received_case(**kwargs), "accepted_deferral", decision, limits=limits())


def notice_case(**kwargs: Any) -> Case:
    decision = {
        "outcome": "notice",
        "missing": [
            {"material": "power_of_attorney", "original": 1},
            {"material": "lease", "original": 1, "copies": 0},
        ],
        "due": "2026-11-30",
        "reason": "租赁合同须提供原件核验",
    }
    return _decided(received_case(**kwargs), "awaiting_supplement", decision)


def refusal_case(**kwargs: Any) -> Case:
    decision = {
        "outcome": "refuse",
        "refusal_ground": "not_this_authority",
        "reason": "该事项由嘉兴市行政审批局办理",
        "competent_authority": "嘉兴市行政审批局",
    }
    return _decided(received_case(**kwargs), "refused", decision)


def unlisted_refusal_case(ground: str = "not_this_authority") -> Case:
    """A matter no item covers (a trademark), refused at once: no item, no papers taken."""
    case = created(
        numbers={"official": "JX2026-000124"},
        target={"kind": "unlisted", "code": "UNLISTED", "name": "注册商标“南湖春”"},
        applicant={
            "type": "natural",
            "name": "孔志远",
            "id_kind": "resident_id",
            "id_number": FULL_ID,
            "phone": PHONE,
        },
    )
    decision = {
        "outcome": "refuse",
        "refusal_ground": ground,
        "reason": "商标注册由国家知识产权局受理，不属于本中心受理事项",
        "competent_authority": "国家知识产权局" if ground == "not_this_authority" else "",
    }
    return _decided(case, "refused", decision)


def delivered_case(**kwargs: Any) -> Case:
    case = accepted_case(**kwargs)
    case = moved(case, "approved", role=_dept(), at=DECIDED)
    case = moved(case, "ready_for_issuance", at=DECIDED)
    issuance = {
        "method": "pickup",
        "collector_name": "李代办",
        "collector_id": AGENT_ID,
        "delegate": True,
        "delivered_at": (DECIDED + dt.timedelta(days=2)).isoformat(),
        "delivered_by": "officer2",
    }
    return moved(case, "delivered", at=DECIDED, issuance=issuance)


def _dept():
    from counterdesk.domain.cases import Role

    return Role.DEPARTMENT


CASES = {
    "receipt": accepted_case,
    "notice": notice_case,
    "commitment": deferral_case,
    "refusal": refusal_case,
    "materials": received_case,
    "delivery": delivered_case,
    "form": received_case,
}


def changed(case: Case, **changes: Any) -> Case:
    """``case`` with top-level members replaced, validated like any case."""
    return Case.model_validate({**case.to_json(), **changes})


def as_bundle(case: Case) -> Case:
    return changed(case, target={"kind": "bundle", "code": "B-KTV", "name": "开办KTV一件事"})


def as_company(case: Case) -> Case:
    applicant = {
        **case.applicant.model_dump(),
        "type": "legal",
        "name": "嘉兴某某餐饮有限公司",
        "id_kind": "uscc",
        "id_number": "91330402MA2B3C4D5E",
        "contact_name": "陈联系",
    }
    return changed(case, applicant=applicant)
