"""The monthly report's figures as rows and tables with their Polish labels, and numbers
as the files write them (a decimal comma): what the CSV, XLSX (`api.render.report_files`)
and PDF (`api.render.report_pdf`) files all show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from api.convert.plan_document import SERVICES
from api.render.numbers import fixed
from api.render.report import PERIODS, MonthlyReport, hours
from api.render.words import N_, Translated, gettext, language, ngettext
from api.render.words import gettext as _

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
    "client_rules": N_("the client accepts no qualified worker"),
})
WEEKDAY = Translated(dict(enumerate((N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"),
                                     N_("Sat"), N_("Sun")))))
KIND_COLOUR = {"cus": "#1f5f99", "pes": "#e07b00"}
PES_COLOURS = ("#e07b00", "#f2b134", "#b35900", "#ffd27f")


@dataclass(frozen=True)
class Row:
    """One figure of the report: a stable key, its Polish label, the value and its unit."""

    key: str
    label: str
    value: float | int | str
    unit: str


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
        Row("actuals", _("delivered service"),
            _("no actuals given: planned figures only") if report.delivered is None
            else _("counted from the actuals"), ""),
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


def day_head(report: MonthlyReport | None = None) -> list[str]:
    """The days' columns; with actuals, the hours delivered before km."""
    delivered = [] if report is None or report.delivered is None else [
        _("hours delivered"), _("PES hours delivered")]
    return [_("day"), _("weekday"), _("holiday"), _("in the plan"), _("routes"),
            _("hours of service"), _("PES hours"), *(PERIOD_LABEL[p] for p in PERIODS),
            *delivered, "km"]


def day_rows(report: MonthlyReport) -> list[list[str | float | int]]:
    done = report.delivered
    return [[d.day.isoformat(), WEEKDAY[d.day.weekday()], d.holiday,
             _("yes") if d.planned else _("no"), d.routes, _h(d.service_s), _h(d.pes_service_s),
             _h(d.evening_s), _h(d.night_s), _h(d.weekend_holiday_s),
             *([] if done is None else [_h(done.day_s.get(d.day, 0)),
                                        _h(done.day_pes_s.get(d.day, 0))]),
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
