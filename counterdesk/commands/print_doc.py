"""``counterdesk print DOC --case CASE.json``: a paper for scripts, printed through CUPS and
followed until CUPS reports it completed, or written to a file with ``--out``.

The case file is validated like any case; a bad one is exit 2 with what is wrong and
where. A print that has not completed within ``--timeout`` seconds is exit 1, saying
where the job stands. Prints made here are not recorded on a case store (a script has
none); the counter's own print queue records every print.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from counterdesk.commands.output import err, out

if TYPE_CHECKING:  # imported lazily at run time so that other commands start fast
    from counterdesk.domain.cases import Case
    from counterdesk.forms.paper import PaperSettings

DOCS = ("receipt", "notice", "commitment", "refusal", "materials", "delivery", "form")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "print",
        help="print a paper for a case (receipt, notice, form ...)",
        description="Build a paper for the case in CASE.json and print it through CUPS, "
        "waiting until CUPS reports it completed, or write it to --out.",
    )
    parser.add_argument("doc", metavar="DOC", choices=DOCS, help=f"one of: {', '.join(DOCS)}")
    parser.add_argument("--case", required=True, metavar="CASE.json", help="the case document")
    parser.add_argument("--out", metavar="PATH", help="write the PDF here instead of printing")
    parser.add_argument(
        "--printer", metavar="QUEUE", help="CUPS queue (default: settings, else the system default)"
    )
    parser.add_argument(
        "--catalogue", metavar="PATH", help="catalogue file (default: cached, else bundled)"
    )
    parser.add_argument("--copies", type=int, default=1, help="copies to print (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for CUPS (default 120)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from counterdesk.domain.catalogue import CatalogueError, load_catalogue
    from counterdesk.forms.build import DocumentError, build_pdf, font_in_use

    case = read_case(Path(args.case))
    if case is None:
        return 2
    path = args.catalogue or _default_catalogue()
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        err(f"invalid catalogue {exc.source}: {exc.problems[0]}")
        return 2
    settings = getattr(args, "settings", None)
    paper = paper_settings(settings)
    try:
        pdf = build_pdf(args.doc, case, catalogue, paper)
    except DocumentError as exc:
        err(f"cannot make the {args.doc} for case {case.number or case.id}: {exc}")
        return 2
    font = font_in_use(paper)
    if not font.embedded:
        err(f"warning: papers use {font.describe()}; install fonts-wqy-zenhei or set paper_font")
    if args.out:
        return write_out(pdf, Path(args.out))
    queue = args.printer if args.printer is not None else getattr(settings, "printer", "")
    return print_and_wait(case, args.doc, pdf, queue, args.copies, args.timeout)


def read_case(path: Path) -> Case | None:
    from pydantic import ValidationError

    from counterdesk.domain.cases import Case

    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        err(f"{path}: cannot read the case file: {exc.strerror or exc}")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        err(f"{path}: not a JSON case document: {exc}")
        return None
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err(f"{path}: not a valid case document ({exc.error_count()} problems):")
        for problem in exc.errors():
            where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
            err(f"  {where}: {problem['msg']}")
        return None


def paper_settings(settings: object) -> PaperSettings:
    from counterdesk.forms.paper import DEFAULT_PROGRESS_URL, PaperSettings

    return PaperSettings(
        centre_name=getattr(settings, "centre_name", ""),
        counter_name=getattr(settings, "counter_name", ""),
        progress_url=getattr(settings, "progress_url", "") or DEFAULT_PROGRESS_URL,
        font_path=getattr(settings, "paper_font", ""),
    )


def write_out(pdf: bytes, path: Path) -> int:
    from counterdesk.services.printing import PERSONAL_DATA_WARNING, export_pdf

    target = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
    try:
        written = export_pdf(pdf, target.parent, target.stem)
    except OSError as exc:
        err(f"cannot write {path}: {exc}")
        return 2
    err(f"warning: {PERSONAL_DATA_WARNING}")
    out(str(written))
    return 0


def print_and_wait(
    case: Case, doc: str, pdf: bytes, queue: str, copies: int, timeout: float
) -> int:
    from counterdesk.services.printing import (
        FINISHED,
        JobState,
        MemoryJobStore,
        PrintQueue,
        RetryPolicy,
    )

    printer = PrintQueue(MemoryJobStore(), policy=RetryPolicy((1, 2, 5)))
    job = printer.submit(case.id, doc, pdf, officer="cli", copies=copies, queue=queue)
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        printer.poll()
        job = printer.store.get(job.id) or job
        if job.describe() != last:
            last = job.describe()
            err(f"{job.cups_job or queue or 'default printer'}: {last}")
        if job.state in FINISHED or time.monotonic() >= deadline:
            break
        time.sleep(0.5)  # CUPS has no cheap way to wait for a job: ask again shortly
    if job.state is JobState.COMPLETED:
        out(f"printed {doc} for case {case.number or case.id} as CUPS job {job.cups_job}")
        return 0
    if job.state is JobState.CANCELLED:
        err(f"not printed: {job.describe()}")
        return 1
    where = (
        f"it stays in CUPS as job {job.cups_job} and will print when the printer can"
        if job.cups_job
        else "it was not handed to CUPS"
    )
    err(f"not printed within {timeout:g} s ({job.describe()}); {where}")
    return 1


def _default_catalogue() -> Path:
    from counterdesk.services.catalogue_source import current_catalogue_path

    return current_catalogue_path()
