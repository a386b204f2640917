"""Real flows run with logging on, then every log file is searched: no password, token,
full ID number or phone number may be in it."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from counterdesk import locations
from counterdesk.domain.cases import OperationKind, Role, apply_operation, new_operation
from counterdesk.logs import redact, setup_logging
from tests.domain.case_factory import T0, case_document
from tests.domain.catalogue_cases import MINI

ID_NUMBER = "330402199001011237"
PHONE = "13812345678"
PASSWORD = "S3cret-Passw0rd!"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvZmZpY2VyMSJ9.c2lnbmF0dXJl"


def run_cli(*args: str, stdin: bytes = b"") -> None:
    subprocess.run(
        [sys.executable, "-m", "counterdesk", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_flows_leave_no_personal_data_or_secret_in_the_logs() -> None:
    handler = setup_logging("DEBUG")
    log = logging.getLogger("counterdesk.test")
    try:
        # A check and a validation through the real command line (their own processes log).
        request = {"target": "SCJG-001", "facts": {"applicant_type": "natural"}}
        run_cli("check", "--catalogue", str(MINI), stdin=json.dumps(request).encode())
        run_cli("catalogue", "validate", str(MINI))
        # A case through its states, with a citizen's data in it.
        case = None
        for kind, payload in [
            (
                OperationKind.CREATE,
                case_document(
                    applicant={
                        "type": "natural",
                        "name": "王小明",
                        "id_kind": "resident_id",
                        "id_number": ID_NUMBER,
                        "phone": PHONE,
                    }
                ),
            ),
            (OperationKind.TRANSITION, {"to": "accepted"}),
        ]:
            op = new_operation(kind, "case-1", "officer1", T0, case.version if case else 0, payload)
            case = apply_operation(case, op, Role.OFFICER)
        # Careless lines a future change might write: the formatter must still mask them.
        log.info("login officer1 password=%s", PASSWORD)
        log.info("sync with Authorization: Bearer %s", TOKEN)
        log.info("case for %s phone %s", ID_NUMBER, PHONE)
        log.warning("token=%s refresh", TOKEN)
    finally:
        handler.flush()
        handler.close()
        logging.getLogger().removeHandler(handler)
    files = list(locations.log_dir().rglob("*"))
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files if p.is_file())
    assert "check SCJG-001" in text, "the check's own process must have logged"
    for secret in (ID_NUMBER, PHONE, PASSWORD, TOKEN, TOKEN.split(".")[1]):
        assert secret not in text
    assert "330402********1237" in text


def test_redaction_of_each_kind() -> None:
    assert redact(f"id {ID_NUMBER}.") == "id 330402********1237."
    assert redact("id 33040219900101123x") == "id 330402********123x"
    assert redact(f"tel {PHONE}") == "tel 138****5678"
    assert redact("tel +8613812345678") == "tel +86138****5678"
    assert redact("landline 0573-82345678") == "landline 0573-****5678"
    assert PASSWORD not in redact(f'{{"password": "{PASSWORD}"}}')
    assert "[redacted]" in redact("Authorization: Bearer abc.def")
    assert redact("case JX-2026-000123 version 12") == "case JX-2026-000123 version 12"
