"""Delivered service of a month: the plans' stops against what really happened to them
(`optimiser.actuals.Actual`, one per task id), for the monthly report and the settlement.

What counts (the planned side is `api.render.report`'s; this is its delivered twin):

- **The tasks.** Every task on the month's routes (a visit or job: one stop; a trip: its
  pickup and drop-off), counted once, for its planned route's day, provider and service.
  Actuals are keyed by task id, never by plan version; a task id on two counted stops is
  an error (its actual could not be told apart).
- **Outcome.** A task's actual's outcome; a task without an actual is **unconfirmed**,
  never done. `done`, `started` (arrived but not finished), `absent`, `not_done` and
  `unconfirmed` are counted apart. Actuals of tasks on none of the month's routes are
  counted as `outside` and nothing else.
- **Delivered hours.** Only a `done` task with both times: a visit or job from its actual
  start to its actual end, a trip from pick-up to drop-off (`Actual.delivered_s`); a done
  task missing a time is counted as done with no hours (`done_untimed`).
- **Visits, rides, residents.** Done visits and jobs; done trips (one rider's ride);
  distinct clients of done tasks.
- **The PES share of delivered work**: `optimiser.rules.pes_share` on the delivered
  intervals (passenger-hours), against the report's target.
- **Periods.** The delivered intervals' evening, night and free-day parts
  (`api.render.report.period_seconds`; they overlap as the planned ones do).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from api.convert.plan_document import SERVICES
from api.render.report_documents import DocumentRoute, ReportError
from optimiser.actuals import Actual, Outcome
from optimiser.model import ProviderKind
from optimiser.rules import PASSENGER_HOURS, PesShare, Served, pes_share

OUTCOMES = tuple(o.value for o in Outcome)  # done, started, absent, not_done, unconfirmed
VISIT_SERVICES = tuple(s for s in SERVICES if s != "transport")


class Periods(Protocol):
    def __call__(self, start: datetime, end: datetime, zone: ZoneInfo,
                 free_day: Mapping[date, str] | set[date]) -> dict[str, int]: ...


@dataclass(frozen=True)
class DeliveredTask:
    """One task of the month: as planned and as it happened (a settlement's detail line)."""

    task_id: str
    day: date  # its planned route's day
    provider: str
    provider_kind: str
    service: str
    client: str | None
    planned_s: int
    outcome: str  # an `Outcome` value; "unconfirmed" without an actual
    start: datetime | None
    end: datetime | None
    delivered_s: int
    reason: str = ""

    @property
    def timed(self) -> bool:
        """Done with both times: its hours count."""
        return self.outcome == Outcome.DONE.value and self.start is not None \
            and self.end is not None


@dataclass(frozen=True)
class BusKm:
    """The buses' kilometres of the month: planned (the routes of each bus's drivers on
    the days its odometer was read) beside the odometer's (end - start), over the
    `bus_days` readings with both ends."""

    bus_days: int
    planned_km: float
    odometer_km: int


@dataclass(frozen=True)
class Delivered:
    """The month's delivered figures (seconds, counts); see the module docstring."""

    tasks: tuple[DeliveredTask, ...]
    service_s_by_service: Mapping[str, int]  # every service of SERVICES
    service_s_by_provider: Mapping[str, int]  # every provider of the month's routes
    period_s: Mapping[str, int]
    pes: PesShare
    outcomes: Mapping[str, int]  # every outcome of OUTCOMES -> tasks
    outside: int  # actuals of tasks on none of the month's routes
    day_s: Mapping[date, int]
    day_pes_s: Mapping[date, int]
    km: BusKm | None = None  # with odometer readings (stored actuals only)

    @property
    def service_s(self) -> int:
        return sum(self.service_s_by_service.values())

    @property
    def visits(self) -> int:
        return sum(1 for t in self.tasks if t.service in VISIT_SERVICES and _done(t))

    @property
    def rides(self) -> int:
        return sum(1 for t in self.tasks if t.service == "transport" and _done(t))

    @property
    def planned_visits(self) -> int:
        return sum(1 for t in self.tasks if t.service in VISIT_SERVICES)

    @property
    def planned_rides(self) -> int:
        return sum(1 for t in self.tasks if t.service == "transport")

    @property
    def residents(self) -> int:
        return len({t.client for t in self.tasks if _done(t) and t.client is not None})

    @property
    def done_untimed(self) -> int:
        return sum(1 for t in self.tasks if _done(t) and not t.timed)


def _done(task: DeliveredTask) -> bool:
    return task.outcome == Outcome.DONE.value


def delivered(routes: Sequence[DocumentRoute], actuals: Mapping[str, Actual],
              zone: ZoneInfo, free_days: Mapping[date, str], target: float,
              periods: Periods) -> Delivered:
    """The delivered figures of the month's `routes` from `actuals` (task id -> Actual)."""
    tasks = list(_tasks(routes, actuals))
    by_service: Counter[str] = Counter(dict.fromkeys(SERVICES, 0))
    by_provider: Counter[str] = Counter({r.provider: 0 for r in routes})
    period_s: Counter[str] = Counter()
    day_s: defaultdict[date, int] = defaultdict(int)
    day_pes_s: defaultdict[date, int] = defaultdict(int)
    served: dict[bool, list[Served]] = {True: [], False: []}
    for task in tasks:
        if not task.timed:
            continue
        assert task.start is not None and task.end is not None
        seconds = task.delivered_s
        by_service[task.service] += seconds
        by_provider[task.provider] += seconds
        is_pes = task.provider_kind == ProviderKind.PES.value
        day_s[task.day] += seconds
        day_pes_s[task.day] += seconds if is_pes else 0
        period_s.update(periods(task.start, task.end, zone, free_days))
        served[is_pes].append(Served(task.task_id, "serve", task.start.timestamp(),
                                     task.end.timestamp()))
    outcomes = Counter(t.outcome for t in tasks)
    counted = {t.task_id for t in tasks}
    return Delivered(
        tasks=tuple(tasks), service_s_by_service=dict(by_service),
        service_s_by_provider=dict(by_provider), period_s=dict(period_s),
        pes=pes_share(((is_pes, stops) for is_pes, stops in served.items()),
                      PASSENGER_HOURS, target),
        outcomes={o: outcomes[o] for o in OUTCOMES},
        outside=sum(1 for task_id in actuals if task_id not in counted),
        day_s=dict(day_s), day_pes_s=dict(day_pes_s))


def _tasks(routes: Iterable[DocumentRoute], actuals: Mapping[str, Actual]
           ) -> Iterable[DeliveredTask]:
    seen: set[str] = set()
    for route in routes:
        for interval in route.intervals:
            if not interval.task:
                raise ReportError(f"routes: a {interval.service} stop on {route.day} names no "
                                  "task; delivered service is matched by task id")
            if interval.task in seen:
                raise ReportError(f"task {interval.task!r}: on two routes of the month; "
                                  "its actual could not be told apart")
            seen.add(interval.task)
            actual = actuals.get(interval.task)
            outcome = actual.outcome.value if actual is not None else Outcome.UNCONFIRMED.value
            yield DeliveredTask(
                task_id=interval.task, day=route.day, provider=route.provider,
                provider_kind=route.provider_kind, service=interval.service,
                client=interval.client, planned_s=interval.seconds, outcome=outcome,
                start=actual.start if actual else None, end=actual.end if actual else None,
                delivered_s=actual.delivered_s if actual else 0,
                reason=actual.reason if actual else "")
