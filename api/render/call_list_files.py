"""A day's call list for people: JSON-ready data (the API and the page), CSV (every text
cell safe from formulas: `api.convert.safe_cells`) and printable A4 HTML, made into a PDF
by WeasyPrint (`api.render.sheet_html.html_pdf`) with the DejaVu fonts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.convert.safe_cells import csv_writer
from api.render.call_list import CHANGES, MARKS, CallRow
from api.render.numbers import day_month, short_date, weekday
from api.render.report_files import CSV_DIALECT, CSV_ENCODING
from api.render.sheet_html import template
from api.render.words import gettext as _
from optimiser.calendar import DEFAULT_TIMEZONE


def basis(row: CallRow) -> str:
    """"promised", "planned" (or both) for the row's windows, in the reader's language."""
    kinds = sorted({_("promised") if i.promised else _("planned") for i in row.items})
    return ", ".join(kinds)


def row_data(row: CallRow) -> dict[str, Any]:
    return {"client_id": row.client_id, "client": row.client, "phone": row.phone,
            "mark": row.mark, "changes": list(row.changes), "fingerprint": row.fingerprint,
            "message": row.message,
            "items": [{"task": i.task, "kind": i.kind, "what": i.what, "start": i.start,
                       "end": i.end, "window": i.window,
                       "basis": "promised" if i.promised else "planned",
                       "worker_id": i.worker_id, "who": i.who} for i in row.items]}


def mark_text(row: CallRow) -> str:
    """"zmiana (godzina, pracownik)", "nowy", "odwołany", or ""."""
    text = MARKS[row.mark]
    if row.changes:
        text += " (" + ", ".join(CHANGES[c] for c in row.changes) + ")"
    return text


def cells(row: CallRow) -> list[str]:
    return [mark_text(row), row.client, row.phone,
            "; ".join(i.what for i in row.items), "; ".join(i.window for i in row.items),
            basis(row), "; ".join(i.who for i in row.items), row.message]


def headings() -> list[str]:
    return [_("change"), _("client"), _("phone number"), _("what"), _("window"),
            _("promised or planned"), _("who comes"), _("message")]


def call_list_csv(rows: Sequence[CallRow]) -> bytes:
    """The spreadsheet habit of the route sheets: `;` between fields, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv_writer(out, **CSV_DIALECT)
    writer.writerow(headings())
    for row in rows:
        writer.writerow(cells(row))
    return out.getvalue().encode(CSV_ENCODING)


def stamp(moment: datetime | None) -> str:
    """When a list was issued, as the printout says it, in Poland's time: "07.12.2026
    04:08" (a database without time zones gives UTC)."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).strftime("%d.%m.%Y %H:%M")


def call_list_html(rows: Sequence[CallRow], day: date, *, issued: str = "",
                   last_issued: str = "") -> str:
    return template("call_list.html.j2").render(
        rows=rows, cells=[cells(r) for r in rows], headings=headings(), day=day,
        weekday=weekday(day), day_month=day_month(day), short=short_date(day),
        issued=issued, last_issued=last_issued)
