"""The monthly report (`api/formats/report.py`) as files for the CUS director, in Polish
(the words from the message catalog, `api/render/words.py`).

Units: hours with 2 decimals ("godziny"), km with 1 decimal, shares in per cent with
1 decimal ("%"), counts as integers; days are local days of the plans' time zone.

`write_report(report, out_dir)` writes, for month YYYY-MM:

- `report-YYYY-MM.csv`: the figures, one a row: `klucz;opis;wartość;jednostka` (a stable
  English key, the Polish label, the value, the unit). Polish Excel habit: `;` between
  fields, a **decimal comma** (`12,50`), UTF-8 **with a byte-order mark** (so Excel reads
  the Polish letters; Python: `encoding="utf-8-sig"`), CRLF line ends.
- `report-YYYY-MM-days.csv`: one row a day of the month, same conventions.
- `report-YYYY-MM.xlsx`: sheet "Podsumowanie" (the figures), "Godziny wg usług" (hours by
  service × provider, with totals), "Dni" (the days); numbers are numbers.
- `report-YYYY-MM.pdf`: A4 portrait; page 1 the figures as a table, page 2 hours by
  service stacked by provider and the PES share against its target, page 3 hours by
  period and hours by day. Charts are drawn with matplotlib (no pyplot, no display) in
  DejaVu Sans, embedded as TrueType so that the text can be searched and copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.formats.plan_document import SERVICES
from api.formats.report import PERIODS, MonthlyReport, hours
from api.formats.safe_cells import csv_writer, text_cells_as_strings
from api.render.charts import decimal_commas
from api.render.numbers import fixed
from api.render.words import N_, Translated, gettext, language, ngettext
from api.render.words import gettext as _

A4_INCHES = (8.27, 11.69)
SERVICE_LABEL = Translated({"physiotherapy": N_("physiotherapy"), "handyman": N_("handyman jobs"),
                            "transport": N_("transport"), "care": N_("care")})
PERIOD_LABEL = Translated({"evening": N_("evening 18–22"), "night": N_("night 22–6"),
                           "weekend_holiday": N_("Saturdays, Sundays and holidays")})
REASON_LABEL = Translated({
    "no_skilled_worker": N_("no worker with the required skills"),
    "no_availability": N_("no worker available in the time windows"),
    "unreachable_in_time": N_("cannot drive there in time for the window"),
    "exceeds_capacity": N_("load larger than the vehicle"),
    "no_vehicle_space": N_("too few places in the vehicle"),
    "ride_too_long": N_("ride longer than allowed"),
    "series_spacing": N_("the series does not fit the spacing"),
    "capacity_exhausted": N_("no free capacity (taken by more urgent tasks)"),
    "trip_pair": N_("the ride the other way is impossible"),
    "client_elsewhere": N_("the client is elsewhere at that time"),
})
WEEKDAY = Translated(dict(enumerate((N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
                                     N_("Sat"), N_("Sun")))))
KIND_COLOUR = {"cus": "#1f5f99", "pes": "#e07b00"}
PES_COLOURS = ("#e07b00", "#f2b134", "#b35900", "#ffd27f")
CSV_DIALECT = {"delimiter": ";", "lineterminator": "\r\n"}
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class Row:
    """One figure of the report: a stable key, its Polish label, the value and its unit."""

    key: str
    label: str
    value: float | int | str
    unit: str


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
    return paths


def month_title(month: str) -> str:
    year, number = month.split("-")
    return format_date(date(int(year), int(number), 1), "LLLL yyyy", locale=language())


def provider_label(report: MonthlyReport, provider: str) -> str:
    return f"{provider} ({report.provider_kinds[provider].upper()})"


# ----------------------------------------------------------------------------- the figures


def summary_rows(report: MonthlyReport) -> list[Row]:
    """The figures in the order the director reads them (CSV, XLSX and the PDF table)."""
    share = report.pes_share
    met = {None: _("no services"), True: _("yes"), False: _("no")}[report.pes_share_met]
    hours_unit, count = _("hours"), _("count")
    return [
        Row("month", _("month"), report.month, ""),
        Row("hours_total", _("hours of service in all"), _h(report.service_s), hours_unit),
        *(Row(f"hours_service_{s}", _("hours of service: {what}").format(what=SERVICE_LABEL[s]),
              _h(report.service_s_by_service[s]), hours_unit) for s in SERVICES),
        *(Row(f"hours_provider_{p}",
              _("hours of service: {what}").format(what=provider_label(report, p)), _h(s),
              hours_unit) for p, s in report.service_s_by_provider.items()),
        Row("hours_pes", _("hours of PES service in all"), _h(report.pes_service_s),
            hours_unit),
        Row("pes_share_pct", _("PES share of the hours of service"),
            "" if share is None else round(100 * share, 1), "%"),
        Row("pes_share_target_pct", _("PES share target"),
            round(100 * report.pes_share_target, 1), "%"),
        Row("pes_share_met", _("PES share target met"), met, ""),
        Row("residents", _("residents served (different people)"), report.residents,
            ngettext("person", "people", report.residents)),
        *(Row(f"hours_{p}", _("hours of service: {what}").format(what=PERIOD_LABEL[p]),
              _h(report.period_s[p]), hours_unit) for p in PERIODS),
        Row("km", _("kilometres driven"), round(report.km, 1), "km"),
        Row("routes", _("routes"), report.routes, count),
        Row("unassigned_total", _("requests not served in all"), report.unassigned, count),
        *(Row(f"unassigned_{r}", _("not served: {why}").format(why=REASON_LABEL.get(r, r)), n,
              count) for r, n in report.unassigned_by_reason.items()),
        Row("days_planned", _("days covered by plans"),
            len(report.days) - len(report.days_missing), _("days")),
        Row("days_missing", _("days without a plan"), _day_list(report.days_missing),
            _("dates")),
        Row("holidays", _("holidays in the month"),
            ", ".join(f"{d.day}.{d.month:02d} {name}" for d, name in report.holidays), ""),
        Row("files", _("plan files"), ", ".join(report.files), ""),
    ]


def service_provider_table(report: MonthlyReport) -> list[list[str | float]]:
    """Hours by service (rows) × provider (columns), with a total row and column."""
    providers = list(report.service_s_by_provider)
    head: list[str | float] = [_("service"), *(provider_label(report, p) for p in providers),
                               _("in all")]
    rows = [head]
    for service in SERVICES:
        by = report.service_s_by_service_provider[service]
        rows.append([SERVICE_LABEL[service], *(_h(by.get(p, 0)) for p in providers),
                     _h(report.service_s_by_service[service])])
    rows.append([_("in all"), *(_h(report.service_s_by_provider[p]) for p in providers),
                 _h(report.service_s)])
    return rows


def day_head() -> list[str]:
    return [_("day"), _("weekday"), _("holiday"), _("in the plan"), _("routes"),
            _("hours of service"), _("PES hours"), *(PERIOD_LABEL[p] for p in PERIODS), "km"]


def day_rows(report: MonthlyReport) -> list[list[str | float | int]]:
    return [[d.day.isoformat(), WEEKDAY[d.day.weekday()], d.holiday,
             _("yes") if d.planned else _("no"), d.routes, _h(d.service_s), _h(d.pes_service_s),
             _h(d.evening_s), _h(d.night_s), _h(d.weekend_holiday_s),
             round(d.distance_m / 1000, 1)] for d in report.days]


def _h(seconds: int) -> float:
    return round(hours(seconds), 2)


def _day_list(days: Sequence[date]) -> str:
    """"2–8.11, 16–30.11": runs of consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{r[0].day}.{r[0].month:02d}" if len(r) == 1
                     else f"{r[0].day}–{r[-1].day}.{r[-1].month:02d}" for r in runs)


# ----------------------------------------------------------------------------- CSV and XLSX


DECIMALS = {N_("hours"): 2, "%": 1, "km": 1}  # unit (msgid) -> decimals written


def polish_number(value: float | int | str, decimals: int = 2) -> str:
    """12.5 -> "12,50" (a decimal comma), 3 -> "3", text unchanged."""
    if isinstance(value, str | int):  # bool is an int
        return str(value)
    return fixed(value, decimals, group=False)


def shown(row: Row) -> str:
    """A figure as the files write it: hours with 2 decimals, per cent and km with 1."""
    decimals = {gettext(unit): n for unit, n in DECIMALS.items()}
    return polish_number(row.value, decimals.get(row.unit, 2))


def write_csv(report: MonthlyReport, path: Path) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv_writer(out, **CSV_DIALECT)
        writer.writerow([_("key"), _("description"), _("value"), _("unit")])
        for row in summary_rows(report):
            writer.writerow([row.key, row.label, shown(row), row.unit])


def write_days_csv(report: MonthlyReport, path: Path) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as out:
        writer = csv_writer(out, **CSV_DIALECT)
        writer.writerow(day_head())
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
    _fill(book.create_sheet(_("Days")), [day_head(), *day_rows(report)],
          widths=(12, 8, 28, 9, 7, 13, 12, 14, 10, 24, 8))
    book.properties.title = _("CUS monthly report — {month}").format(
        month=month_title(report.month))
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


# ----------------------------------------------------------------------------- PDF


PDF_STYLE: Any = {"pdf.fonttype": 42,  # TrueType: the text can be extracted
                  "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 13,
                  "axes.titleweight": "bold"}


def write_pdf(report: MonthlyReport, path: Path) -> None:
    title = _("CUS monthly report — {month}").format(month=month_title(report.month))
    with matplotlib.rc_context(PDF_STYLE), PdfPages(path, metadata={
            "Title": title, "Author": "Trasa",
            "Subject": _("hours of CUS and PES services")}) as pdf:
        for page in (_figures_page(report, title), _services_page(report),
                     _periods_page(report)):
            pdf.savefig(decimal_commas(page))


def _page() -> Figure:
    return Figure(figsize=A4_INCHES)


TABLE_TOP = 0.905  # figure fraction
TABLE_ROW = 0.0205  # figure fraction a row (A4: about 17 pt, for 8.5 pt text)
TEXT_ROWS = ("month", "days_missing", "holidays", "files")  # too long for the table


def _figures_page(report: MonthlyReport, title: str) -> Figure:
    page = _page()
    page.text(0.5, 0.955, title, ha="center", fontsize=16, fontweight="bold")
    page.text(0.5, 0.93, _("from Trasa's plans (trasa-plan/1), local time {timezone}").format(
        timezone=report.timezone),
              ha="center", fontsize=9, color="#444444")
    rows = [r for r in summary_rows(report) if r.key not in TEXT_ROWS
            and not (r.key.startswith("unassigned_") and r.value == 0)]
    height = TABLE_ROW * (len(rows) + 1)
    ax = page.add_axes((0.07, TABLE_TOP - height, 0.86, height))
    ax.axis("off")
    table = ax.table(cellText=[[r.label, shown(r), r.unit] for r in rows],
                     colLabels=[_("figure"), _("value"), _("unit")],
                     colWidths=(0.66, 0.2, 0.14), bbox=Bbox.from_bounds(0, 0, 1, 1),
                     cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(8.5)
    for (line, column), cell in table.get_celld().items():
        cell.set_edgecolor("#bbbbbb")
        cell.PAD = 0.03
        if line == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#e8eef5")
        elif column == 1:
            cell.set_text_props(ha="right")
    page.text(0.07, TABLE_TOP - height - 0.02, _wrap(_definitions(report), 118),
              fontsize=8, va="top", color="#333333", linespacing=1.5)
    return page


def _definitions(report: MonthlyReport) -> str:
    texts = {r.key: f"{r.label.capitalize()}: {r.value or '—'}." for r in summary_rows(report)}
    return (f"{texts['days_missing']} {texts['holidays']} "
            + _("Hours of service: visits and jobs — time on site (from the start to the end "
                "of the service); transport — from the passenger boarding the vehicle to "
                "alighting (two rides at once count twice). Times of day and days off in "
                "local time; night and evening hours may also fall on Saturdays, Sundays and "
                "holidays. A route belongs to the day it starts. Requests not served: from "
                "plans starting in this month; reasons without requests are left out.")
            + f" {texts['files']}")


def _services_page(report: MonthlyReport) -> Figure:
    page = _page()
    top = page.add_axes((0.13, 0.57, 0.8, 0.35))
    _hours_by_service(top, report)
    bottom = page.add_axes((0.13, 0.1, 0.8, 0.33))
    _pes_share(bottom, report)
    return page


def _periods_page(report: MonthlyReport) -> Figure:
    page = _page()
    top = page.add_axes((0.3, 0.6, 0.63, 0.32))  # room for the period names
    _hours_by_period(top, report)
    bottom = page.add_axes((0.1, 0.12, 0.85, 0.36))
    _hours_by_day(bottom, report)
    return page


def _provider_colours(report: MonthlyReport) -> dict[str, str]:
    colours: dict[str, str] = {}
    pes = iter(PES_COLOURS * len(report.provider_kinds))
    cus = iter(("#1f5f99", "#5b8fc7", "#9dbfe3") * len(report.provider_kinds))
    for provider, kind in report.provider_kinds.items():
        colours[provider] = next(pes) if kind == "pes" else next(cus)
    return colours


def _hours_by_service(ax: Axes, report: MonthlyReport) -> None:
    labels = [SERVICE_LABEL[s] for s in SERVICES]
    bottom = [0.0] * len(SERVICES)
    colours = _provider_colours(report)
    for provider in report.service_s_by_provider:
        values = [hours(report.service_s_by_service_provider[s].get(provider, 0))
                  for s in SERVICES]
        ax.bar(labels, values, bottom=bottom, label=provider_label(report, provider),
               color=colours[provider])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in enumerate(bottom):
        ax.annotate(_one_decimal(total), (x, total), ha="center", va="bottom",
                    xytext=(0, 3), textcoords="offset points", fontsize=9)
    ax.set_title(_("Hours of service by kind and provider"))
    ax.set_ylabel(_("hours"))
    ax.set_ylim(0, max(bottom + [1.0]) * 1.15)
    ax.legend(title=_("provider"), fontsize=9, frameon=False)
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)


def _pes_share(ax: Axes, report: MonthlyReport) -> None:
    names, shares = [_("in all")], [_share(report.pes_service_s, report.service_s)]
    for service in SERVICES:
        by = report.service_s_by_service_provider[service]
        pes = sum(s for p, s in by.items() if report.provider_kinds[p] == "pes")
        names.append(SERVICE_LABEL[service])
        shares.append(_share(pes, report.service_s_by_service[service]))
    colours = ["#e07b00" if i == 0 else "#f2b134" for i in range(len(names))]
    bars = ax.bar(names, [s or 0.0 for s in shares], color=colours)
    for bar, share in zip(bars, shares, strict=True):
        ax.annotate(_("no services") if share is None else f"{fixed(share, 1)} %",
                    (bar.get_x() + bar.get_width() / 2, share or 0.0), ha="center",
                    va="bottom", xytext=(0, 3), textcoords="offset points", fontsize=9)
    target = 100 * report.pes_share_target
    ax.axhline(target, color="#b00020", linestyle="--", linewidth=1.5,
               label=_("target {share}").format(share=f"{fixed(target, 0)} %"))
    ax.set_title(_("The PES share of the hours of service"))
    ax.set_ylabel("%")
    ax.set_ylim(0, 112)  # room for the label over a 100 % bar
    ax.set_yticks(range(0, 101, 20))
    ax.legend(loc="upper right", frameon=False)
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _hours_by_period(ax: Axes, report: MonthlyReport) -> None:
    labels = [_("all hours"), *(PERIOD_LABEL[p] for p in PERIODS)]
    values = [hours(report.service_s), *(hours(report.period_s[p]) for p in PERIODS)]
    bars = ax.barh(labels, values, color=["#9aa5b1", "#6a4c93", "#1d3557", "#2a9d8f"])
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(_one_decimal(value), (value, bar.get_y() + bar.get_height() / 2),
                    va="center", xytext=(4, 0), textcoords="offset points", fontsize=9)
    ax.invert_yaxis()
    ax.set_title(_("Hours of service by time of day"))
    ax.set_xlabel(_("hours"))
    ax.set_xlim(0, max(values + [1.0]) * 1.15)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)


def _hours_by_day(ax: Axes, report: MonthlyReport) -> None:
    days = [d.day.day for d in report.days]
    pes = [hours(d.pes_service_s) for d in report.days]
    cus = [hours(d.service_s - d.pes_service_s) for d in report.days]
    for d in report.days:
        if d.day.weekday() >= 5 or d.holiday:
            ax.axvspan(d.day.day - 0.5, d.day.day + 0.5, color="#eeeeee", zorder=0)
    ax.bar(days, cus, color=KIND_COLOUR["cus"], label="CUS")
    ax.bar(days, pes, bottom=cus, color=KIND_COLOUR["pes"], label="PES")
    top = max([c + p for c, p in zip(cus, pes, strict=True)] + [1.0])
    for d in report.days:
        if not d.planned:
            ax.text(d.day.day, top * 0.02, "×", ha="center", fontsize=8, color="#888888")
    ax.set_title(_("Hours of service by day"))
    ax.set_xlabel(_("day of the month ({month}; grey: Saturdays, Sundays and holidays; ×: a day "
                    "without a plan)").format(month=month_title(report.month)), fontsize=8.5)
    ax.set_ylabel(_("hours"))
    ax.set_xlim(0.5, len(days) + 0.5)
    ax.set_ylim(0, top * 1.15)
    ax.set_xticks(days)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(frameon=False)


def _one_decimal(value: float) -> str:
    return fixed(value, 1)


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
