"""`trasa actuals DAY [--close]`: a day planned against what really happened, from its
published plan and the phones' actions in the server's database: each task's planned
and actual times and outcome (corrections marked), the outcomes counted, and the
presses that were rejected, with their reasons. `--close` closes the day first (no more
presses from phones; audited as the command line's user's). Words in the terminal's
language; times in Poland's."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from api.cli.common import UsageError, actor, database_url
from optimiser.calendar import DEFAULT_TIMEZONE


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="a day planned against actual (from the phones), and "
                                  "the rejected presses")
    p.add_argument("day", type=_day, help="the day (YYYY-MM-DD)")
    p.add_argument("--close", action="store_true",
                   help="close the day first: phones' presses for it are rejected from now")
    return p


def _hhmm(moment: str | None) -> str:
    if not moment:
        return "–"
    return datetime.fromisoformat(moment).astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime(
        "%H:%M")


def run(console: Console, args: argparse.Namespace) -> int:
    from api.app.privacy import audit_reads
    from api.render.field_words import HEADINGS, OUTCOMES
    from api.render.words import terminal_language, use_language
    from api.services.field_day import NoPublishedPlan, counts, field_day, rejected_rows, rows
    from api.store import actuals as store
    from api.store.database import sessions

    with sessions(database_url())() as session, use_language(terminal_language()):
        if args.close:
            store.close_day(session, args.day, actor())
        try:
            made = field_day(session, args.day)
        except NoPublishedPlan as exc:
            raise UsageError(f"day: {exc}") from None
        audit_reads(session, actor(), made.clients)
        table = Table(*(HEADINGS[k] for k in HEADINGS), title=str(args.day))
        for row in rows(made):
            actual = row["actual"]
            table.add_row(row["task"], row["worker"],
                          f"{_hhmm(row['planned_start'])}–{_hhmm(row['planned_end'])}",
                          f"{_hhmm(actual['start'])}–{_hhmm(actual['end'])}",
                          actual["outcome_text"], "✓" if actual["corrected"] else "")
        console.print(table)
        console.print(", ".join(f"{OUTCOMES[k]}: {n}" for k, n in counts(made).items()))
        for r in rejected_rows(made):
            console.print(f"✗ {r['task']} {r['worker']} {r['kind']} {_hhmm(r['phone_at'])}: "
                          f"{r['message']}")
        if made.closed_by:
            console.print(f"🔒 {made.closed_by} {made.closed_at:%Y-%m-%d %H:%M} UTC")
    return 0
