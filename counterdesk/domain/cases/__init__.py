"""Cases: the document schema, the state machine, the operations and the time-limit clock.

Defined once here and used by the counter's store, the server and the training scorer.
"""

from __future__ import annotations

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
