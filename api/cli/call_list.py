"""`trasa call-list [--day D] [--csv F] [--pdf F]`: the call list of a day (default
tomorrow) from its published plan in the server's database: printed, and written as CSV
and a printable PDF. Writing a file issues the list (the next one marks changes since);
the reads of the clients are audited as the command line's user's."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from api.cli.common import UsageError, actor, database_url
from api.settings import get_settings


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="the call list of a day (who to ring, when and who "
                                  "comes), from its published plan")
    p.add_argument("--day", type=_day, default=None, help="the day (default: tomorrow)")
    p.add_argument("--csv", type=Path, default=None, help="write the list as CSV here")
    p.add_argument("--pdf", type=Path, default=None, help="write the list as PDF here")
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from api.app.privacy import audit_reads
    from api.render.call_list_files import call_list_csv, call_list_html, cells, headings, stamp
    from api.render.sheet_html import html_pdf
    from api.services.call_lists import NoPublishedPlan, call_list, issue
    from api.store.database import sessions

    settings = get_settings()
    day = args.day or settings.day_today() + timedelta(days=1)
    with sessions(database_url())() as session:  # its steps commit on their own
        try:
            made = call_list(session, settings, day)
        except NoPublishedPlan as exc:
            raise UsageError(f"--day: {exc}") from None
        audit_reads(session, actor(), made.clients)
        if args.csv is not None or args.pdf is not None:
            made = issue(session, made, actor())
        table = Table(*headings()[:7], title=str(day))
        for row in made.rows:
            table.add_row(*cells(row)[:7])
        console.print(table)
        outputs = []
        if args.csv is not None:
            outputs.append((args.csv, call_list_csv(made.rows)))
        if args.pdf is not None:
            outputs.append((args.pdf, html_pdf(call_list_html(
                made.rows, day, issued=stamp(made.issued_at),
                last_issued=stamp(made.last_issued_at)))))
        for path, data in outputs:
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
            console.print(f"{path} written")
    return 0
