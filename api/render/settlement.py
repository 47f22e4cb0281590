"""The PES settlement of one provider and month: what it delivered, priced, line by line,
each line traceable to the confirmed tasks it sums (figures only, no file formats).

- **What is paid.** The provider's `done` tasks with both times (`api.render.delivered`):
  hours by service, and rides (done trips). Unconfirmed, started, absent and not-done
  tasks are counted apart and paid nothing.
- **Exactly one rate per hour.** Each second of delivered service falls in exactly one
  **billing period**, decided by its local day and hour (the plans' time zone), in this
  order of precedence: **weekend_holiday** (the whole of a Saturday, a Sunday or a Polish
  public holiday, `holidays.Poland`) > **night** (22:00–06:00) > **evening** (18:00–22:00)
  > **weekday** (the rest). So a Saturday 19:00–20:00 is a weekend hour, priced once, and
  a Friday 23:00 – Saturday 01:00 visit is an hour of night and an hour of weekend. (The
  report's periods overlap on purpose; the settlement's do not.)
- **Rates.** The price list is the sweep's `[rates]` (`api.schemas.rates.RatesIn`):
  `per_service_hour[provider][service][period]`, else that service's `weekday`, else
  `per_hour[provider]`; an hour without any rate is an error naming provider, service and
  period. A ride is paid `per_ride[provider]` (0 if the list names none).
- **Amounts.** A line is (service, period): its seconds ÷ 3600 × rate, rounded half up to
  the grosz; a ride line is rides × rate; the total is the sum of the lines.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import holidays

from api.convert.plan_document import SERVICES
from api.render.delivered import OUTCOMES, DeliveredTask
from api.render.report import MonthlyReport
from api.schemas.rates import MAX_PRICE, RatesIn

BILLING_PERIODS = ("weekday", "evening", "night", "weekend_holiday")  # low to high precedence
RIDE = "ride"  # a ride line's period
GROSZ = Decimal("0.01")


class SettlementError(ValueError):
    """A settlement that cannot be made; the message names the field and value."""


@dataclass(frozen=True)
class Item:
    """One paid task: the detail behind the lines (seconds by billing period)."""

    task: DeliveredTask
    seconds: Mapping[str, int]  # every period of BILLING_PERIODS


@dataclass(frozen=True)
class Line:
    """Hours of one service in one billing period, or the rides (`period` == RIDE)."""

    service: str
    period: str
    quantity: int  # seconds, or rides
    rate: Decimal  # PLN an hour, or a ride
    amount: Decimal  # PLN
    tasks: int  # how many paid tasks it sums

    @property
    def hours(self) -> float:
        return self.quantity / 3600 if self.period != RIDE else 0.0


@dataclass(frozen=True)
class Settlement:
    month: str
    provider: str
    provider_kind: str
    timezone: str
    lines: tuple[Line, ...]
    items: tuple[Item, ...]  # () in the totals-only view
    outcomes: Mapping[str, int]  # every outcome -> the provider's tasks

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def hours_s(self) -> int:
        return sum(line.quantity for line in self.lines if line.period != RIDE)

    @property
    def rides(self) -> int:
        return sum(line.quantity for line in self.lines if line.period == RIDE)

    def totals_only(self) -> Settlement:
        """The settlement without its detail (no task ids, clients or times): planners'."""
        return replace(self, items=())


def settlement(report: MonthlyReport, provider: str, rates: RatesIn) -> Settlement:
    """The settlement of `provider` for the report's month (the report must have actuals)."""
    if report.delivered is None:
        raise SettlementError("actuals: none given; a settlement is of delivered service")
    if provider not in report.provider_kinds:
        known = ", ".join(report.provider_kinds) or "none"
        raise SettlementError(f"provider: {provider!r} has no route in {report.month} "
                              f"(providers: {known})")
    zone = ZoneInfo(report.timezone)
    year = int(report.month[:4])
    free = holidays.Poland(years=range(year - 1, year + 2))
    own = [t for t in report.delivered.tasks if t.provider == provider]
    items = tuple(Item(t, billing_seconds(t.start, t.end, zone, free))
                  for t in own if t.timed and t.start is not None and t.end is not None)
    rides = [t for t in own if t.service == "transport" and t.outcome == "done"]
    outcomes = Counter(t.outcome for t in own)
    return Settlement(month=report.month, provider=provider,
                      provider_kind=report.provider_kinds[provider], timezone=report.timezone,
                      lines=_lines(provider, items, len(rides), rates), items=items,
                      outcomes={o: outcomes[o] for o in OUTCOMES})


def _lines(provider: str, items: tuple[Item, ...], rides: int,
           rates: RatesIn) -> tuple[Line, ...]:
    seconds: defaultdict[tuple[str, str], int] = defaultdict(int)
    tasks: defaultdict[tuple[str, str], int] = defaultdict(int)
    for item in items:
        for period, s in item.seconds.items():
            if s:
                seconds[item.task.service, period] += s
                tasks[item.task.service, period] += 1
    lines = []
    for service in SERVICES:
        for period in BILLING_PERIODS:
            s = seconds.get((service, period), 0)
            if not s:
                continue
            rate = rates.hour_rate(provider, service, period)
            if rate is None:
                raise SettlementError(
                    f"rates: no hourly rate for provider {provider!r}, service {service!r}, "
                    f"period {period!r} (give rates.per_service_hour.{provider}.{service} "
                    f"or rates.per_hour.{provider})")
            price = _money(rate, f"rates for provider {provider!r}, service {service!r}")
            amount = (price * s / 3600).quantize(GROSZ, ROUND_HALF_UP)
            lines.append(Line(service, period, s, price, amount, tasks[service, period]))
    if rides:
        price = _money(rates.per_ride.get(provider, 0.0), f"rates.per_ride for {provider!r}")
        lines.append(Line("transport", RIDE, rides, price, (price * rides).quantize(GROSZ),
                          rides))
    return tuple(lines)


def _money(rate: float, where: str) -> Decimal:
    """A rate as money; a rate that is no price (the sweep's `per_hour` is not bounded) is
    an error naming it."""
    if not math.isfinite(rate) or not 0 <= rate <= MAX_PRICE:
        raise SettlementError(f"{where}: {rate!r} is not a price of 0–{MAX_PRICE:.0f} PLN")
    return Decimal(str(rate))


def billing_seconds(start: datetime, end: datetime, zone: ZoneInfo,
                    free_day: Mapping[date, object] | set[date]) -> dict[str, int]:
    """Seconds of [start, end) in each billing period, exactly one per second (local days
    and hours of `zone`; Saturdays, Sundays and `free_day` are free days)."""
    seconds = dict.fromkeys(BILLING_PERIODS, 0)
    a, b = start.timestamp(), end.timestamp()
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        at = {hour: _instant(day, hour, zone) for hour in (0, 6, 18, 22)}
        midnight = _instant(day + timedelta(days=1), 0, zone)
        whole = _overlap(a, b, at[0], midnight)
        if day.weekday() >= 5 or day in free_day:
            seconds["weekend_holiday"] += whole
        else:
            night = _overlap(a, b, at[0], at[6]) + _overlap(a, b, at[22], midnight)
            evening = _overlap(a, b, at[18], at[22])
            seconds["night"] += night
            seconds["evening"] += evening
            seconds["weekday"] += whole - night - evening
        day += timedelta(days=1)
    return seconds


def _instant(day: date, hour: int, zone: ZoneInfo) -> float:
    return datetime.combine(day, time(hour), tzinfo=zone).timestamp()


def _overlap(a: float, b: float, lo: float, hi: float) -> int:
    return max(0, round(min(b, hi) - max(a, lo)))
