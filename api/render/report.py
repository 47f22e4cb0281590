"""The CUS's monthly report from plan documents (`trasa-plan/1`): figures only, no file formats.

Units: every duration is in whole **seconds** (`*_s`, exact integers; `hours()` divides by
3600), distances in **metres** (`distance_m`; `km` divides by 1000), shares as fractions
0–1. Days and hours of the day are **local** in the plans' `timezone` (Europe/Warsaw);
durations are differences of UTC instants, so a 25-hour day (DST end, 2026-10-25) or a
23-hour day is counted right.

What counts (docs/plan.md describes the fields):

- **The month's routes.** A route belongs to its `day`, the local day its shift starts
  (`optimiser.rules.route_day`; a document written before `day` existed: the day its
  `start` is on); only routes of days inside the month count, with all their stops (a
  night shift that starts on 30 November at 22:00 counts in November even where the
  worker leaves after midnight).
- **Service hours.** A visit (`service` `"physiotherapy"` or `"care"`) or a job
  (`"handyman"`) is its time on site: stop `end - start`. A trip (`"transport"`) is the time
  its passengers are in the service's care: from its pickup's `start` (boarding) to its
  drop-off's `end` (alighting), both stops on the same route. Two trips on board together
  both count, so transport hours are passenger-trip hours, not bus hours, and the PES share
  here is not the plan's `kpis.pes_share` (which counts boarding and alighting only): the
  same rule, `optimiser.rules.pes_share`, on the passenger-hours basis.
- **By provider.** A stop counts for its route's `provider`; PES hours are those of routes
  whose `provider_kind` is `"pes"`. PES share = PES hours ÷ all hours (`None` without
  service), against the target `kpis.pes_share_target` of the plans (a number there) or
  else `DEFAULT_PES_SHARE_TARGET` (0.35); plans with different targets are an error.
- **Periods.** The parts of those service intervals (an interval may be split) that fall
  in the evening (18:00–22:00), at night (22:00–06:00), and on a Saturday, a Sunday or a
  Polish public holiday (`holidays.Poland`; the whole local day 00:00–24:00). The periods
  overlap: a Saturday evening counts as evening and as a Saturday.
- **Residents.** Distinct `client` ids over the counted stops.
- **Km.** The routes' `distance_m` (driving from the base and back).
- **Unserved requests.** `unassigned` entries, by `reason`, of the plans whose first day
  (`date`) is in the month: a left-out task has no day of its own in a plan document.
- **Coverage.** A plan covers `date` and the `days - 1` days after it. A month day that two
  plans cover is an error naming both files and the day (it would count twice); month days
  no plan covers are listed in `days_missing`.

- **Delivered.** Given actuals (task id -> `optimiser.actuals.Actual`), `delivered` holds
  the same figures as delivered (`api.render.delivered`); without them it is None and the
  report is of the plans only, and says so.

A document that is not `trasa-plan/1` or lacks a field is a `ReportError` that names the
file and the field (documents written before `provider_kind` and `service` existed must be
written again); the documents are read in `api.render.report_documents`.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from api.convert.plan_document import SERVICES
from api.render.delivered import Delivered, delivered
from api.render.report_documents import (
    REASONS,
    DocumentPlan,
    DocumentRoute,
    Interval,
    ReportError,
    read_plan,
)
from optimiser.actuals import Actual
from optimiser.model import CUS_PROJECT_GOALS, ProviderKind
from optimiser.rules import PesShare

DEFAULT_PES_SHARE_TARGET = CUS_PROJECT_GOALS.pes_share_target or 0.0  # the CUS project's
EVENING = (18, 22)  # local hours [from, to)
NIGHT = (22, 6)  # local hours, over midnight
PERIODS = ("evening", "night", "weekend_holiday")


@dataclass(frozen=True)
class DayRow:
    """One local day of the month; `planned` is false when no plan covers it."""

    day: date
    planned: bool
    holiday: str  # the Polish public holiday's name, "" on other days
    routes: int
    service_s: int
    pes_service_s: int
    evening_s: int
    night_s: int
    weekend_holiday_s: int
    distance_m: int


@dataclass(frozen=True)
class MonthlyReport:
    """The month's figures; seconds, metres, fractions (see the module docstring)."""

    month: str  # "YYYY-MM"
    timezone: str
    files: tuple[str, ...]
    service_s_by_service: Mapping[str, int]  # every service of SERVICES, 0 if none
    service_s_by_provider: Mapping[str, int]  # provider id -> seconds, providers that served
    provider_kinds: Mapping[str, str]  # provider id -> "cus" | "pes"
    service_s_by_service_provider: Mapping[str, Mapping[str, int]]  # service -> provider -> s
    period_s: Mapping[str, int]  # every period of PERIODS
    residents: int
    routes: int
    distance_m: int
    unassigned_by_reason: Mapping[str, int]  # every reason code, 0 if none
    pes_share_target: float
    days: tuple[DayRow, ...]  # every day of the month, in order
    holidays: tuple[tuple[date, str], ...] = field(default=())  # public holidays in the month
    delivered: Delivered | None = None  # None: no actuals were given

    @property
    def service_s(self) -> int:
        return sum(self.service_s_by_service.values())

    @property
    def pes_service_s(self) -> int:
        return sum(s for p, s in self.service_s_by_provider.items()
                   if self.provider_kinds[p] == ProviderKind.PES.value)

    @property
    def pes(self) -> PesShare:
        """The PES share of passenger-hours (`optimiser.rules.PesShare`)."""
        return PesShare(self.pes_service_s, self.service_s, self.pes_share_target)

    @property
    def pes_share(self) -> float | None:
        return self.pes.share

    @property
    def pes_share_met(self) -> bool | None:
        return self.pes.met

    @property
    def unassigned(self) -> int:
        return sum(self.unassigned_by_reason.values())

    @property
    def days_missing(self) -> tuple[date, ...]:
        return tuple(d.day for d in self.days if not d.planned)

    @property
    def km(self) -> float:
        return self.distance_m / 1000


def hours(seconds: int) -> float:
    return seconds / 3600


def monthly_report(documents: Sequence[tuple[str, Any]], month: str,
                   actuals: Mapping[str, Actual] | None = None) -> MonthlyReport:
    """The report of `month` ("YYYY-MM") from `(file name, parsed plan.json)` pairs; with
    `actuals` (task id -> what happened) also the service delivered."""
    first, last = month_days(month)
    if not documents:
        raise ReportError("no plan documents given")
    plans = [read_plan(name, document) for name, document in documents]
    zone_name = _one_timezone(plans)
    coverage = _coverage(plans, first, last)
    target = _pes_share_target(plans)
    public_holidays = holidays.Poland(years=range(first.year, first.year + 2), language="pl")
    tally = _Tally(ZoneInfo(zone_name), public_holidays)
    routes = [r for plan in plans for r in plan.routes if first <= r.day <= last]
    for route in routes:
        tally.add_route(route)
    for plan in plans:
        if first <= plan.first_day <= last:
            tally.unassigned.update(plan.unassigned)
    report = tally.report(month, zone_name, [p.file for p in plans], target, coverage, first,
                          last)
    if actuals is None:
        return report
    return replace(report, delivered=delivered(routes, actuals, ZoneInfo(zone_name),
                                               public_holidays, target, period_seconds))


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of "YYYY-MM"."""
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", month) if isinstance(month, str) else None
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
        raise ReportError(f"month: {month!r} is not YYYY-MM (e.g. '2026-11')")
    year, number = int(found[1]), int(found[2])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


# ----------------------------------------------------------------------------- across plans


def _one_timezone(plans: Sequence[DocumentPlan]) -> str:
    first = plans[0]
    for plan in plans[1:]:
        if plan.timezone != first.timezone:
            raise ReportError(f"timezone: {first.file} is in {first.timezone!r} but "
                              f"{plan.file} in {plan.timezone!r}; a report has one time zone")
    return first.timezone


def _coverage(plans: Sequence[DocumentPlan], first: date, last: date) -> dict[date, str]:
    """Month day -> the file that plans it; a day in two plans is an error."""
    covered: dict[date, str] = {}
    for plan in plans:
        for day in plan.covered():
            if not first <= day <= last:
                continue
            if day in covered:
                raise ReportError(f"{day.isoformat()}: planned in both {covered[day]} and "
                                  f"{plan.file}; give each day in one plan only, or it "
                                  "counts twice")
            covered[day] = plan.file
    return covered


def _pes_share_target(plans: Sequence[DocumentPlan]) -> float:
    given = {p.pes_share_target: p.file for p in plans if p.pes_share_target is not None}
    if len(given) > 1:
        named = ", ".join(f"{file}: {target}" for target, file in given.items())
        raise ReportError(f"kpis.pes_share_target: the plans differ ({named}); "
                          "a report has one target")
    return next(iter(given), DEFAULT_PES_SHARE_TARGET)


# ----------------------------------------------------------------------------- the periods


def period_seconds(start: datetime, end: datetime, zone: ZoneInfo,
                   free_day: Mapping[date, str] | set[date]) -> dict[str, int]:
    """Seconds of [start, end) in the evening, at night and on free days (local time of
    `zone`; `free_day`: the holidays; Saturdays and Sundays are free anyway)."""
    seconds = dict.fromkeys(PERIODS, 0)
    a, b = start.timestamp(), end.timestamp()
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        at = {hour: _instant(day, hour, zone) for hour in (0, NIGHT[1], EVENING[0], EVENING[1])}
        midnight = _instant(day + timedelta(days=1), 0, zone)
        seconds["evening"] += _overlap(a, b, at[EVENING[0]], at[EVENING[1]])
        seconds["night"] += _overlap(a, b, at[0], at[NIGHT[1]]) + _overlap(a, b, at[NIGHT[0]],
                                                                           midnight)
        if day.weekday() >= 5 or day in free_day:
            seconds["weekend_holiday"] += _overlap(a, b, at[0], midnight)
        day += timedelta(days=1)
    return seconds


def _instant(day: date, hour: int, zone: ZoneInfo) -> float:
    return datetime.combine(day, time(hour), tzinfo=zone).timestamp()


def _overlap(a: float, b: float, lo: float, hi: float) -> int:
    return max(0, round(min(b, hi) - max(a, lo)))


# ----------------------------------------------------------------------------- the sums


class _Tally:
    def __init__(self, zone: ZoneInfo, public_holidays: Mapping[date, str]) -> None:
        self.zone = zone
        self.public_holidays = public_holidays
        self.by_service_provider: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.provider_kinds: dict[str, str] = {}
        self.periods: Counter[str] = Counter(dict.fromkeys(PERIODS, 0))
        self.clients: set[str] = set()
        self.routes = 0
        self.distance_m = 0
        self.unassigned: Counter[str] = Counter()
        self.by_day: defaultdict[date, Counter[str]] = defaultdict(Counter)

    def add_route(self, route: DocumentRoute) -> None:
        known = self.provider_kinds.setdefault(route.provider, route.provider_kind)
        if known != route.provider_kind:
            raise ReportError(f"provider_kind: provider {route.provider!r} is both {known!r} "
                              f"and {route.provider_kind!r}")
        day = self.by_day[route.day]
        self.routes += 1
        day["routes"] += 1
        self.distance_m += route.distance_m
        day["distance_m"] += route.distance_m
        for interval in route.intervals:
            self.add_interval(interval, route, day)

    def add_interval(self, interval: Interval, route: DocumentRoute, day: Counter[str]) -> None:
        seconds = interval.seconds
        self.by_service_provider[interval.service][route.provider] += seconds
        day["service_s"] += seconds
        if route.provider_kind == ProviderKind.PES.value:
            day["pes_service_s"] += seconds
        periods = period_seconds(interval.start, interval.end, self.zone, self.public_holidays)
        self.periods.update(periods)
        day.update({f"{name}_s": s for name, s in periods.items()})
        if interval.client is not None:
            self.clients.add(interval.client)

    def report(self, month: str, zone_name: str, files: list[str], target: float,
               coverage: Mapping[date, str], first: date, last: date) -> MonthlyReport:
        providers = sorted(self.provider_kinds, key=lambda p: (
            self.provider_kinds[p] != ProviderKind.CUS.value, p))  # CUS first
        by_provider = {p: sum(self.by_service_provider[s][p] for s in SERVICES)
                       for p in providers}
        return MonthlyReport(
            month=month, timezone=zone_name, files=tuple(files),
            service_s_by_service={s: sum(self.by_service_provider[s].values())
                                  for s in SERVICES},
            service_s_by_provider=by_provider,
            provider_kinds={p: self.provider_kinds[p] for p in providers},
            service_s_by_service_provider={s: dict(self.by_service_provider[s])
                                           for s in SERVICES},
            period_s={p: self.periods[p] for p in PERIODS},
            residents=len(self.clients), routes=self.routes, distance_m=self.distance_m,
            unassigned_by_reason={r: self.unassigned[r] for r in REASONS},
            pes_share_target=target,
            days=tuple(self.day_row(d, d in coverage) for d in _dates(first, last)),
            holidays=tuple((d, str(n)) for d, n in sorted(self.public_holidays.items())
                           if first <= d <= last))

    def day_row(self, day: date, planned: bool) -> DayRow:
        figures = self.by_day.get(day, Counter())
        return DayRow(day=day, planned=planned, holiday=str(self.public_holidays.get(day, "")),
                      routes=figures["routes"], service_s=figures["service_s"],
                      pes_service_s=figures["pes_service_s"], evening_s=figures["evening_s"],
                      night_s=figures["night_s"],
                      weekend_holiday_s=figures["weekend_holiday_s"],
                      distance_m=figures["distance_m"])


def _dates(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=i) for i in range((last - first).days + 1))
