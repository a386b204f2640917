"""Under the checklist: what the shared check concludes, in words, with the decisions it
allows and the time limits that acceptance would fix."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from counterdesk import i18n
from counterdesk.i18n import _
from counterdesk.services.intake import Assessment


class Verdict(Static):
    def show(self, assessment: Assessment, sharing_available: bool, sharing_on: bool) -> None:
        self.update(render_verdict(assessment, sharing_available, sharing_on))


def render_verdict(assessment: Assessment, sharing_available: bool, sharing_on: bool) -> Text:
    text = Text()
    result = assessment.result
    if assessment.problem:
        text.append(i18n.bilingual(assessment.problem), style="bold red")
    elif result is None:
        text.append(_("Choose the item or bundle (F2)."), style="dim")
        text.append("\n" + _("No item covers the request: refuse (F10)."), style="dim")
    else:
        if result.outcome == "complete":
            text.append(_("Complete: accept (F7)."), style="bold green")
        elif result.outcome == "deferrable":
            text.append(
                _("Only deferrable papers missing: defer (F8) or notice (F9)."),
                style="bold yellow",
            )
        else:
            text.append(
                _("{n} required papers missing: notice (F9) or receive (F6).").format(
                    n=len(result.missing)
                ),
                style="bold red",
            )
        text.append(
            "\n"
            + _("Promised {p} working days (by {pd}), legal {l} (by {ld})").format(
                p=result.promised_days,
                pd=result.promised_by.strftime("%m-%d"),
                l=result.legal_days,
                ld=result.legal_by.strftime("%m-%d"),
            )
        )
        if result.calendar_provisional:
            text.append(" " + _("(provisional calendar)"), style="yellow")
    if not sharing_available:
        text.append("\n" + _("Data sharing: not available offline"), style="dim")
    elif not sharing_on:
        text.append("\n" + _("Data sharing: off (ctrl+g)"), style="dim")
    return text
