"""The monthly report (`api/render/report.py`) as files for the CUS director, in Polish
(the words from the message catalog, `api/render/words.py`).

Units: hours with 2 decimals ("godziny"), km with 1 decimal, shares in per cent with
1 decimal ("%"), counts as integers; days are local days of the plans' time zone.

`write_report(report, out_dir)` writes, for month YYYY-MM:

- `report-YYYY-MM.csv`: the figures, one a row: `klucz;opis;wartość;jednostka` (a stable
  English key, the Polish label, the value, the unit). Polish Excel habit: `;` between
  fields, a **decimal comma** (`12,50`), UTF-8 **with a byte-order mark** (so Excel reads
  the Polish letters; Python: `encoding="utf-8-sig"`), CRLF line ends.
- `report-YYYY-MM-days.csv`: one row a day of the month, same conventions (with actuals,
  the hours delivered and the PES hours delivered before km).
- `report-YYYY-MM.xlsx`: sheet "Podsumowanie" (the figures), "Godziny wg usług" (hours by
  service × provider, with totals), "Dni" (the days); numbers are numbers.
- `report-YYYY-MM.pdf`: A4 portrait; page 1 the figures as a table, page 2 hours by
  service stacked by provider and the PES share against its target, page 3 hours by
  period and hours by day (`api.render.report_pdf`); with actuals, page 4 planned
  beside delivered.
- With actuals (`MonthlyReport.delivered`): `report-YYYY-MM-delivered.csv`
  (`klucz;opis;planowane;zrealizowane;jednostka`) and the XLSX sheet "Planowane i
  zrealizowane" (`api.render.report_delivered_rows`). Without them the summary's row
  `actuals` says none were given.

The rows, labels and numbers all files share are in `api.render.report_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.convert.safe_cells import csv_writer, text_cells_as_strings
from api.render.report import MonthlyReport
from api.render.report_delivered_rows import compared_rows, shown_side
from api.render.report_pdf import write_pdf
from api.render.report_rows import (
    day_head,
    day_rows,
    month_title,
    polish_number,
    service_provider_table,
    shown,
    summary_rows,
)
from api.render.words import gettext as _

CSV_DIALECT = {"delimiter": ";", "lineterminator": "\r\n"}
CSV_ENCODING = "utf-8-sig"


def write_report(report: MonthlyReport, out_dir: Path) -> list[Path]:
    """Write the CSV, days CSV, XLSX and PDF of `report` into `out_dir` (made if needed);
    returns their paths in that order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"report-{report.month}"
    paths = [stem.with_suffix(".csv"), out_dir / f"report-{report.month}-days.csv",
             stem.with_suffix(".xlsx"), stem.with_suffix(".pdf")]
    write_csv(report, paths[0])
    write_days_csv(report, paths[1])
    write_xlsx(report, paths[2])
    write_pdf(report, paths[3])
    if report.delivered is not None:
        paths.append(out_dir / f"report-{report.month}-delivered.csv")
        write_delivered_csv(report, paths[-1])
    return paths


# ----------------------------------------------------------------------------- CSV and XLSX


def write_csv(report: MonthlyReport, path: Path) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv_writer(out, **CSV_DIALECT)
        writer.writerow([_("key"), _("description"), _("value"), _("unit")])
        for row in summary_rows(report):
            writer.writerow([row.key, row.label, shown(row), row.unit])


def write_delivered_csv(report: MonthlyReport, path: Path) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv_writer(out, **CSV_DIALECT)
        writer.writerow(compared_head())
        for row in compared_rows(report):
            writer.writerow([row.key, row.label, shown_side(row, row.planned),
                             shown_side(row, row.delivered), row.unit])


def compared_head() -> list[str]:
    return [_("key"), _("description"), _("planned"), _("delivered"), _("unit")]


def write_days_csv(report: MonthlyReport, path: Path) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv_writer(out, **CSV_DIALECT)
        writer.writerow(day_head(report))
        for row in day_rows(report):  # km last, with 1 decimal
            writer.writerow([*(polish_number(v) for v in row[:-1]), polish_number(row[-1], 1)])


def write_xlsx(report: MonthlyReport, path: Path) -> None:
    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = _("Summary")
    _fill(summary, [[_("description"), _("value"), _("unit"), _("key")],
                    *([r.label, r.value, r.unit, r.key] for r in summary_rows(report))],
          widths=(52, 14, 10, 34))
    _fill(book.create_sheet(_("Hours by service")), service_provider_table(report),
          widths=(18, *(22 for _ in report.service_s_by_provider), 12))
    _fill(book.create_sheet(_("Days")), [day_head(report), *day_rows(report)],
          widths=(12, 8, 28, 9, 7, 13, 12, 14, 10, 24, *((14, 14) if report.delivered else ()),
                  8))
    compared = compared_rows(report)
    if compared:
        _fill(book.create_sheet(_("Planned and delivered")),
              [[_("description"), _("planned"), _("delivered"), _("unit"), _("key")],
               *([r.label, _blank(r.planned), _blank(r.delivered), r.unit, r.key]
                 for r in compared)], widths=(52, 14, 14, 10, 30))
    book.properties.title = _("CUS monthly report — {month}").format(
        month=month_title(report.month))
    book.save(path)


def _blank(value: float | int | None) -> float | int | str:
    return "" if value is None else value


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
