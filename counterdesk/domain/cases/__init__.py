"""Cases: the document schema, the state machine, the operations and the time-limit clock.

Defined once here and used by the counter's store, the server and the training scorer.

The names below are loaded on first use (PEP 562): the states and the clock are plain
Python, while the document and operations bring in pydantic, which costs the counter's
start about a fifth of its time. So ``from counterdesk.domain.cases import CaseState``
or importing ``counterdesk.domain.cases.states`` loads no pydantic; asking for ``Case``
does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counterdesk.domain.cases.document import (
        CASE_SCHEMA_ID,
        EDITABLE,
        SERVER_OWNED,
        Agent,
        Applicant,
        AttachmentRef,
        Case,
        CaseNumbers,
        Decision,
        Delivery,
        DepartmentResult,
        Issuance,
        Limits,
        PrintRecord,
        ReceivedMaterial,
        Shortfall,
        Target,
        TimelineEntry,
        case_json_schema,
    )
    from counterdesk.domain.cases.operations import (
        Operation,
        OperationError,
        OperationKind,
        apply_operation,
        new_operation,
        operation_json_schema,
    )
    from counterdesk.domain.cases.states import (
        OPEN_STATES,
        TERMINAL_STATES,
        TRANSITIONS,
        CaseState,
        Role,
        TransitionError,
        allowed_targets,
        check_transition,
    )

# Each exported name and the module that defines it.
_HOMES = {
    "CASE_SCHEMA_ID": "document",
    "EDITABLE": "document",
    "SERVER_OWNED": "document",
    "Agent": "document",
    "Applicant": "document",
    "AttachmentRef": "document",
    "Case": "document",
    "CaseNumbers": "document",
    "Decision": "document",
    "Delivery": "document",
    "DepartmentResult": "document",
    "Issuance": "document",
    "Limits": "document",
    "PrintRecord": "document",
    "ReceivedMaterial": "document",
    "Shortfall": "document",
    "Target": "document",
    "TimelineEntry": "document",
    "case_json_schema": "document",
    "Operation": "operations",
    "OperationError": "operations",
    "OperationKind": "operations",
    "apply_operation": "operations",
    "new_operation": "operations",
    "operation_json_schema": "operations",
    "OPEN_STATES": "states",
    "TERMINAL_STATES": "states",
    "TRANSITIONS": "states",
    "CaseState": "states",
    "Role": "states",
    "TransitionError": "states",
    "allowed_targets": "states",
    "check_transition": "states",
}

__all__ = [
    "CASE_SCHEMA_ID",
    "EDITABLE",
    "SERVER_OWNED",
    "OPEN_STATES",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Agent",
    "Applicant",
    "AttachmentRef",
    "Case",
    "CaseNumbers",
    "CaseState",
    "Decision",
    "Delivery",
    "DepartmentResult",
    "Issuance",
    "Limits",
    "Operation",
    "OperationError",
    "OperationKind",
    "PrintRecord",
    "ReceivedMaterial",
    "Role",
    "Shortfall",
    "Target",
    "TimelineEntry",
    "TransitionError",
    "allowed_targets",
    "apply_operation",
    "case_json_schema",
    "check_transition",
    "new_operation",
    "operation_json_schema",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
