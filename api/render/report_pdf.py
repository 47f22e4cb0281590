"""The monthly report as a PDF for the CUS director, in Polish: A4 portrait; page 1 the
figures as a table, page 2 hours by service stacked by provider and the PES share against
its target, page 3 hours by period and hours by day; with actuals, page 4 the figures
planned beside delivered and the tasks by outcome. Charts are drawn with matplotlib (no
pyplot, no display) in DejaVu Sans, embedded as TrueType so that the text can be searched
and copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from api.convert.plan_document import SERVICES
from api.render.charts import decimal_commas
from api.render.numbers import fixed
from api.render.report import PERIODS, MonthlyReport, hours
from api.render.report_delivered_rows import compared_rows, delivered_note, shown_side
from api.render.report_rows import (
    KIND_COLOUR,
    PERIOD_LABEL,
    PES_COLOURS,
    SERVICE_LABEL,
    month_title,
    provider_label,
    shown,
    summary_rows,
)
from api.render.words import gettext as _

A4_INCHES = (8.27, 11.69)


PDF_STYLE: Any = {"pdf.fonttype": 42,  # TrueType: the text can be extracted
                  "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 13,
                  "axes.titleweight": "bold"}


def write_pdf(report: MonthlyReport, path: Path) -> None:
    title = _("CUS monthly report — {month}").format(month=month_title(report.month))
    with matplotlib.rc_context(PDF_STYLE), PdfPages(path, metadata={
            "Title": title, "Author": "Trasa",
            "Subject": _("hours of CUS and PES services")}) as pdf:
        pages = [_figures_page(report, title), _services_page(report), _periods_page(report)]
        if report.delivered is not None:
            pages.append(_delivered_page(report))
        for page in pages:
            pdf.savefig(decimal_commas(page))


def _page() -> Figure:
    return Figure(figsize=A4_INCHES)


TABLE_TOP = 0.905  # figure fraction
TABLE_ROW = 0.0205  # figure fraction a row (A4: about 17 pt, for 8.5 pt text)
TEXT_ROWS = ("month", "days_missing", "holidays", "files", "actuals")  # too long for the table


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
            + f" {texts['files']} {delivered_note(report)}")


def _delivered_page(report: MonthlyReport) -> Figure:
    page = _page()
    page.text(0.5, 0.955, _("Planned and delivered"), ha="center", fontsize=16,
              fontweight="bold")
    rows = compared_rows(report)
    height = TABLE_ROW * (len(rows) + 1)
    ax = page.add_axes((0.07, TABLE_TOP - height, 0.86, height))
    ax.axis("off")
    table = ax.table(cellText=[[r.label, shown_side(r, r.planned), shown_side(r, r.delivered),
                                r.unit] for r in rows],
                     colLabels=[_("figure"), _("planned"), _("delivered"), _("unit")],
                     colWidths=(0.58, 0.14, 0.14, 0.14), bbox=Bbox.from_bounds(0, 0, 1, 1),
                     cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(8.5)
    for (line, column), cell in table.get_celld().items():
        cell.set_edgecolor("#bbbbbb")
        cell.PAD = 0.03
        if line == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#e8eef5")
        elif column in (1, 2):
            cell.set_text_props(ha="right")
    page.text(0.07, TABLE_TOP - height - 0.02, _wrap(delivered_note(report), 118),
              fontsize=8, va="top", color="#333333", linespacing=1.5)
    return page


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
