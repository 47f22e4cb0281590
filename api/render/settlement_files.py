"""The PES settlement (`api.render.settlement`) as files for the CUS and the provider, in
Polish (words from the message catalog):

- `settlement-YYYY-MM-PROVIDER.xlsx`: sheet "Rozliczenie" (a line per service and billing
  period — hours, the exact minutes the amount is priced on, rate, amount — the rides,
  the total, the tasks by outcome) and, unless totals only, "Szczegóły"
  (a row per paid task: its id, day, service, client, actual start and end, minutes in each
  billing period) — every line's minutes are the sum of its tasks' minutes. Numbers are
  numbers; every text cell is safe from formulas (`api.convert.safe_cells`).
- `settlement-YYYY-MM-PROVIDER.pdf`: A4, the same (HTML from `templates/settlement.html.j2`
  made a PDF by WeasyPrint, `api.render.sheet_html.html_pdf`).
- `settlement_data`: the same as JSON-ready data (the HTTP route's `format=json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.convert.safe_cells import text_cells_as_strings
from api.render.numbers import fixed
from api.render.report_delivered_rows import OUTCOME_LABEL
from api.render.report_rows import SERVICE_LABEL, month_title
from api.render.settlement import BILLING_PERIODS, RIDE, Item, Line, Settlement
from api.render.sheet_html import html_pdf, template
from api.render.words import N_, Translated
from api.render.words import gettext as _

BILLING_LABEL = Translated({
    "weekday": N_("working days 6–18"), "evening": N_("working days, evening 18–22"),
    "night": N_("working days, night 22–6"),
    "weekend_holiday": N_("Saturdays, Sundays and holidays (all day)"), RIDE: N_("rides")})


def file_stem(settlement: Settlement) -> str:
    return f"settlement-{settlement.month}-{settlement.provider}"


def write_settlement(settlement: Settlement, out_dir: Path) -> list[Path]:
    """Write the XLSX and PDF into `out_dir` (made if needed); their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / file_stem(settlement)
    paths = [stem.with_suffix(".xlsx"), stem.with_suffix(".pdf")]
    write_settlement_xlsx(settlement, paths[0])
    write_settlement_pdf(settlement, paths[1])
    return paths


def title(settlement: Settlement) -> str:
    return _("PES settlement — {provider}, {month}").format(
        provider=settlement.provider, month=month_title(settlement.month))


def line_head() -> list[str]:
    return [_("service"), _("period"), _("quantity"), _("unit"), _("minutes"),
            _("rate (PLN)"), _("amount (PLN)"), _("tasks")]


def line_cells(line: Line) -> list[str | float | int]:
    ride = line.period == RIDE
    return [SERVICE_LABEL[line.service], BILLING_LABEL[line.period],
            line.quantity if ride else round(line.quantity / 3600, 2),
            _("rides") if ride else _("hours"), "" if ride else _minutes(line.quantity),
            float(line.rate), float(line.amount), line.tasks]


def item_head() -> list[str]:
    return [_("task"), _("day"), _("service"), _("client"), _("start"), _("end"),
            *(_("minutes: {period}").format(period=BILLING_LABEL[p]) for p in BILLING_PERIODS),
            _("minutes in all")]


def item_cells(item: Item, zone: ZoneInfo) -> list[str | float | int]:
    task = item.task
    assert task.start is not None and task.end is not None
    clock = "%Y-%m-%d %H:%M"
    return [task.task_id, task.day.isoformat(), SERVICE_LABEL[task.service], task.client or "",
            task.start.astimezone(zone).strftime(clock), task.end.astimezone(zone).strftime(clock),
            *(_minutes(item.seconds[p]) for p in BILLING_PERIODS),
            _minutes(sum(item.seconds.values()))]


def _minutes(seconds: int) -> float:
    return round(seconds / 60, 2)


def outcome_rows(settlement: Settlement) -> list[list[str | int]]:
    return [[OUTCOME_LABEL[o], n] for o, n in settlement.outcomes.items()]


def write_settlement_xlsx(settlement: Settlement, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = _("Settlement")
    total: list[str | float | int] = [_("in all"), "", round(settlement.hours_s / 3600, 2),
                                      _("hours"), _minutes(settlement.hours_s), "",
                                      float(settlement.total), ""]
    rows: list[Sequence[str | float | int]] = [
        line_head(), *(line_cells(line) for line in settlement.lines), total, [],
        [_("tasks by outcome"), _("tasks")], *outcome_rows(settlement)]
    _fill(sheet, rows, (30, 40, 10, 9, 10, 11, 13, 8))
    if settlement.items:
        zone = ZoneInfo(settlement.timezone)
        _fill(book.create_sheet(_("Detail")),
              [item_head(), *(item_cells(i, zone) for i in settlement.items)],
              (26, 11, 16, 14, 17, 17, 12, 12, 12, 12, 12))
    book.properties.title = title(settlement)
    book.save(path)


def _fill(sheet: Worksheet, rows: Sequence[Sequence[str | float | int]],
          widths: Sequence[int]) -> None:
    for row in rows:
        sheet.append(list(row))
    text_cells_as_strings(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    for column, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", widths, strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def settlement_html(settlement: Settlement) -> str:
    zone = ZoneInfo(settlement.timezone)
    money = [[*cells[:2], _quantity(cells[2]), cells[3], _quantity(cells[4]),
              fixed(float(cells[5]), 2), fixed(float(cells[6]), 2), cells[7]]
             for cells in (line_cells(line) for line in settlement.lines)]
    return template("settlement.html.j2").render(
        title=title(settlement), settlement=settlement, line_head=line_head(), lines=money,
        hours=fixed(settlement.hours_s / 3600, 2),
        minutes=fixed(settlement.hours_s / 60, 2), total=fixed(float(settlement.total), 2),
        outcomes=outcome_rows(settlement), item_head=item_head(),
        items=[item_cells(i, zone) for i in settlement.items])


def _quantity(value: str | float | int) -> str:
    """Hours or minutes with 2 decimals, rides as they are ("" stays "")."""
    return fixed(value, 2) if isinstance(value, float) else str(value)


def write_settlement_pdf(settlement: Settlement, path: Path) -> None:
    path.write_bytes(html_pdf(settlement_html(settlement)))


def settlement_data(settlement: Settlement) -> dict[str, Any]:
    """JSON-ready: the lines, totals and outcomes; the tasks unless totals only."""
    return {
        "month": settlement.month, "provider": settlement.provider,
        "provider_kind": settlement.provider_kind, "currency": "PLN",
        "total": str(settlement.total), "hours": round(settlement.hours_s / 3600, 4),
        "rides": settlement.rides, "outcomes": dict(settlement.outcomes),
        "lines": [{"service": line.service, "period": line.period, "quantity": line.quantity,
                   "unit": "ride" if line.period == RIDE else "second",
                   "rate": str(line.rate), "amount": str(line.amount), "tasks": line.tasks}
                  for line in settlement.lines],
        "tasks": [{"task": i.task.task_id, "day": i.task.day.isoformat(),
                   "service": i.task.service, "client": i.task.client,
                   "start": i.task.start.isoformat() if i.task.start else None,
                   "end": i.task.end.isoformat() if i.task.end else None,
                   "seconds": dict(i.seconds)} for i in settlement.items]}
