"""``counterdesk catalogue validate PATH`` and ``counterdesk catalogue search QUERY``."""

from __future__ import annotations

import argparse

from counterdesk.commands.output import err, out


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalogue", help="validate or search a catalogue")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    validate = actions.add_parser(
        "validate",
        help="check a catalogue file and list every problem",
        description="Exit 0 with a summary for a valid file; otherwise exit 2 and print every "
        "problem to standard error, one per line, each beginning with its JSON path.",
    )
    validate.add_argument("path", metavar="PATH")
    validate.set_defaults(func=run_validate)

    search = actions.add_parser(
        "search", help="find items and bundles (Chinese, pinyin, code, English)"
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument(
        "--catalogue", metavar="PATH", help="catalogue file (default: cached, else bundled)"
    )
    search.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
    search.set_defaults(func=run_search)


def run_validate(args: argparse.Namespace) -> int:
    import logging

    from counterdesk.domain.catalogue import CatalogueError, load_catalogue

    try:
        catalogue = load_catalogue(args.path)
    except CatalogueError as exc:
        for problem in exc.problems:
            err(problem)
        logging.getLogger(__name__).info(
            "catalogue %s refused: %d problems", args.path, len(exc.problems)
        )
        return 2
    out(catalogue.summary())
    return 0


def run_search(args: argparse.Namespace) -> int:
    from counterdesk.domain.catalogue import CatalogueError
    from counterdesk.services.catalogue_source import current_catalogue_path, load_with_search_index

    path = args.catalogue or current_catalogue_path()
    try:
        catalogue, index = load_with_search_index(path)
    except CatalogueError as exc:
        err(f"invalid catalogue {exc.source}: {exc.problems[0]}")
        return 2
    hits = index.search(args.query, limit=args.limit)
    if not hits:
        out(f"nothing found for {args.query!r}")
        return 1
    for hit in hits:
        target = catalogue.target(hit.code)
        kind = "一件事" if hit.is_bundle else "事项"
        name_en = getattr(target, "name_en", "")
        out(f"{hit.code:<16} {kind}  {hit.name}  {name_en}")
    return 0
