"""The monthly report's figures as rows and tables with their Polish labels, and numbers
as the files write them (a decimal comma): what the CSV, XLSX (`api.formats.report_files`)
and PDF (`api.formats.report_pdf`) files all show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from api.formats.plan_document import SERVICES
from api.formats.report import PERIODS, MonthlyReport, hours

SERVICE_LABEL = {"physiotherapy": "fizjoterapia", "handyman": "złota rączka",
                 "transport": "transport", "care": "opieka"}
PERIOD_LABEL = {"evening": "wieczór 18–22", "night": "noc 22–6",
                "weekend_holiday": "soboty, niedziele i święta"}
REASON_LABEL = {
    "no_skilled_worker": "brak pracownika z wymaganymi umiejętnościami",
    "no_availability": "brak pracownika dostępnego w oknach czasowych",
    "unreachable_in_time": "nie da się dojechać i zdążyć w oknie",
    "exceeds_capacity": "ładunek większy niż pojazd",
    "no_vehicle_space": "za mało miejsc w pojeździe",
    "ride_too_long": "przejazd dłuższy niż dopuszczalny",
    "series_spacing": "seria nie mieści się w odstępach",
    "capacity_exhausted": "brak wolnych mocy (zajęte przez pilniejsze zadania)",
    "trip_pair": "kurs w drugą stronę niemożliwy",
    "client_elsewhere": "klient w tym czasie gdzie indziej",
}
MONTH_NAME = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
              "sierpień", "wrzesień", "październik", "listopad", "grudzień")
WEEKDAY = ("pon", "wt", "śr", "czw", "pt", "sob", "nd")
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
    return f"{MONTH_NAME[int(number) - 1]} {year}"


def provider_label(report: MonthlyReport, provider: str) -> str:
    return f"{provider} ({report.provider_kinds[provider].upper()})"


# ----------------------------------------------------------------------------- the figures


def summary_rows(report: MonthlyReport) -> list[Row]:
    """The figures in the order the director reads them (CSV, XLSX and the PDF table)."""
    share = report.pes_share
    met = {None: "brak usług", True: "tak", False: "nie"}[report.pes_share_met]
    return [
        Row("month", "miesiąc", report.month, ""),
        Row("hours_total", "godziny usług razem", _h(report.service_s), "godziny"),
        *(Row(f"hours_service_{s}", f"godziny usług: {SERVICE_LABEL[s]}",
              _h(report.service_s_by_service[s]), "godziny") for s in SERVICES),
        *(Row(f"hours_provider_{p}", f"godziny usług: {provider_label(report, p)}", _h(s),
              "godziny") for p, s in report.service_s_by_provider.items()),
        Row("hours_pes", "godziny usług PES razem", _h(report.pes_service_s), "godziny"),
        Row("pes_share_pct", "udział PES w godzinach usług",
            "" if share is None else round(100 * share, 1), "%"),
        Row("pes_share_target_pct", "cel udziału PES", round(100 * report.pes_share_target, 1),
            "%"),
        Row("pes_share_met", "cel udziału PES osiągnięty", met, ""),
        Row("residents", "mieszkańcy obsłużeni (różne osoby)", report.residents, "osoby"),
        *(Row(f"hours_{p}", f"godziny usług: {PERIOD_LABEL[p]}", _h(report.period_s[p]),
              "godziny") for p in PERIODS),
        Row("km", "przejechane kilometry", round(report.km, 1), "km"),
        Row("routes", "trasy", report.routes, "liczba"),
        Row("unassigned_total", "zgłoszenia nieobsłużone razem", report.unassigned, "liczba"),
        *(Row(f"unassigned_{r}", f"nieobsłużone: {REASON_LABEL.get(r, r)}", n, "liczba")
          for r, n in report.unassigned_by_reason.items()),
        Row("days_planned", "dni objęte planami", len(report.days) - len(report.days_missing),
            "dni"),
        Row("days_missing", "dni bez planu", _day_list(report.days_missing), "daty"),
        Row("holidays", "święta w miesiącu",
            ", ".join(f"{d.day}.{d.month:02d} {name}" for d, name in report.holidays), ""),
        Row("files", "pliki planów", ", ".join(report.files), ""),
    ]


def service_provider_table(report: MonthlyReport) -> list[list[str | float]]:
    """Hours by service (rows) × provider (columns), with a total row and column."""
    providers = list(report.service_s_by_provider)
    head: list[str | float] = ["usługa", *(provider_label(report, p) for p in providers),
                               "razem"]
    rows = [head]
    for service in SERVICES:
        by = report.service_s_by_service_provider[service]
        rows.append([SERVICE_LABEL[service], *(_h(by.get(p, 0)) for p in providers),
                     _h(report.service_s_by_service[service])])
    rows.append(["razem", *(_h(report.service_s_by_provider[p]) for p in providers),
                 _h(report.service_s)])
    return rows


DAY_HEAD = ["dzień", "dzień tygodnia", "święto", "w planie", "trasy", "godziny usług",
            "godziny PES", *(PERIOD_LABEL[p] for p in PERIODS), "km"]


def day_rows(report: MonthlyReport) -> list[list[str | float | int]]:
    return [[d.day.isoformat(), WEEKDAY[d.day.weekday()], d.holiday,
             "tak" if d.planned else "nie", d.routes, _h(d.service_s), _h(d.pes_service_s),
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


DECIMALS = {"godziny": 2, "%": 1, "km": 1}  # unit -> decimals written


def polish_number(value: float | int | str, decimals: int = 2) -> str:
    """12.5 -> "12,50" (a decimal comma), 3 -> "3", text unchanged."""
    if isinstance(value, str | int):  # bool is an int
        return str(value)
    return f"{value:.{decimals}f}".replace(".", ",")


def shown(row: Row) -> str:
    """A figure as the files write it: hours with 2 decimals, per cent and km with 1."""
    return polish_number(row.value, DECIMALS.get(row.unit, 2))
