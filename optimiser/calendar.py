"""The planning horizon in real time: first date, number of days, time zone.

Inside the solver a moment is an integer number of seconds from local midnight
of the first day. A `Calendar` turns such seconds into local wall-clock time
and back, so any output can print times from a `Problem` and its `Plan` alone.
Durations across a DST change are computed in UTC: a day may be 23 or 25 h long.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Warsaw"
# A problem built without a calendar (tests, benchmarks on literature instances):
# one UTC day, so that day_starts_s is (0,) and every day is exactly 24 h.
UNDATED = date(1970, 1, 1)
MAX_DAYS = 7


class CalendarError(ValueError):
    """A calendar that cannot exist; the message names the field and value."""


@dataclass(frozen=True)
class Calendar:
    first_date: date = UNDATED
    days: int = 1
    timezone: str = "UTC"
    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    day_starts_s: tuple[int, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.days <= MAX_DAYS:
            raise CalendarError(f"calendar: days={self.days} must be within 1..{MAX_DAYS}")
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"calendar: unknown time zone {self.timezone!r}") from exc
        object.__setattr__(self, "zone", zone)
        object.__setattr__(self, "day_starts_s", tuple(
            self.at(self.first_date + timedelta(days=k), 0, 0) for k in range(self.days)))

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(self.first_date + timedelta(days=k) for k in range(self.days))

    @property
    def _origin_utc(self) -> datetime:
        return datetime.combine(self.first_date, time(0), tzinfo=self.zone).astimezone(UTC)

    def at(self, day: date, hours: int, minutes: int = 0) -> int:
        """Seconds from the first midnight to wall-clock HH:MM on `day` (24:00 allowed)."""
        local = datetime.combine(day, time(0)) + timedelta(hours=hours, minutes=minutes)
        return self.seconds_of(local.replace(tzinfo=self.zone))

    def seconds_of(self, moment: datetime) -> int:
        """Seconds from the first midnight to an aware datetime (may be negative)."""
        if moment.tzinfo is None:
            raise CalendarError(f"calendar: {moment.isoformat()} has no UTC offset")
        return int((moment.astimezone(UTC) - self._origin_utc).total_seconds())

    def moment(self, seconds: int) -> datetime:
        """The local (aware) datetime `seconds` after the first midnight."""
        return (self._origin_utc + timedelta(seconds=seconds)).astimezone(self.zone)

    def iso(self, seconds: int) -> str:
        return self.moment(seconds).isoformat()

    def hhmm(self, seconds: int) -> str:
        return self.moment(seconds).strftime("%H:%M")

    def date_of(self, seconds: int) -> date:
        return self.moment(seconds).date()
