"""Words for what the case view, the supplement and the issuance screens show: audit
actions, sync states, clock statuses and who collected, in the officer's language."""

from __future__ import annotations

from counterdesk import i18n
from counterdesk.i18n import _


def audit_label(action: str) -> str:
    return {
        "case.open": _("opened"),
        "case.create": _("received"),
        "case.accept": _("accepted"),
        "case.accept_deferral": _("accepted with deferral"),
        "case.notice": _("one-time notice"),
        "case.refuse": _("refused"),
        "case.print": _("printed"),
        "case.withdraw": _("withdrawn"),
        "case.terminate": _("terminated"),
        "case.deliver": _("handed over"),
        "case.deferral_fulfilled": _("deferred papers brought"),
        "case.number_official": _("official number given"),
    }.get(action, action)


def sync_label(sync: str) -> str:
    return {
        "synced": "✓ " + _("on the server"),
        "waiting": "… " + _("waiting to sync"),
        "refused": "✗ " + _("refused by the server"),
        "local": "· " + _("this counter only"),
    }[sync]


def status_label(status: str) -> str:
    return {
        "normal": _("normal"),
        "warning": _("warning"),
        "overdue": _("overdue"),
        "stopped": _("stopped"),
        "none": _("no running clock"),
    }.get(status, status)


def collector_label(kind: str) -> str:
    return {
        "applicant": _("the applicant"),
        "agent": _("the agent"),
        "delegate": _("a delegate with a power of attorney"),
    }.get(kind, kind)


def recheck_title(kind: str) -> str:
    return {
        "decide": _("Decide the received case"),
        "supplement": _("Supplement"),
        "deferral": _("Deferred papers"),
    }[kind]


def domain_text(text: str) -> str:
    """A domain message written "中文 / English", on the officer's side."""
    return i18n.bilingual(text)
