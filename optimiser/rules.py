"""Rules every output of a plan shares, one home each (plain data, no framework types).

- **A route's day** (`route_day`, `route_day_index`): the day its shift starts. A night
  shift from 22:00 to 06:00 belongs to the day it starts, even where the worker leaves
  the base after midnight (a route leaves as late as its first stop allows). Sheets, the
  day view, the overview, the plan document and the report all take the day from here.
- **The PES share** (`pes_share`, `service_intervals`, `PesShare`): PES service time ÷ all
  service time, on a `Basis`. Worker-hours count each stop's time on site (a trip's
  boarding and alighting); passenger-hours count a visit or job on site and a trip from
  its pickup's start to its drop-off's end, so two passengers on board count twice (the
  EU report counts so on purpose). Planned counts every stop; delivered only the service
  before a moment. The share is None without service; `met` is None without a share or
  a target (a plan without a goal has no target: none is made up).
- **The order of unserved tasks** (`unserved_rank`, `unserved_order`): mandatory first,
  then priority from urgent down, then the earliest window, then the id. Left-out lists
  are shown in this order, and a task gives way only to work of a higher rank
  (`gives_way`: promised, mandatory and priority only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from optimiser.model import Priority, Problem, Task, Unassigned

# ----------------------------------------------------------------------------- a route's day


class OnShift(Protocol):
    """A route, planned or raw: whose it is and which of their shifts."""

    @property
    def worker_id(self) -> str: ...

    @property
    def shift_index(self) -> int: ...


R = TypeVar("R", bound=OnShift)


def route_day_index(problem: Problem, route: OnShift) -> int:
    """The index of the planned day a route belongs to: the day its shift starts."""
    return problem.day_of(route_shift_start_s(problem, route))


def route_day(problem: Problem, route: OnShift) -> date:
    """The local date a route belongs to: the date its shift starts."""
    return problem.calendar.date_of(route_shift_start_s(problem, route))


def routes_on(problem: Problem, routes: Iterable[R], day: date) -> list[tuple[int, R]]:
    """(index, route) of the routes that belong to `day` (`route_day`), in order."""
    return [(k, r) for k, r in enumerate(routes) if route_day(problem, r) == day]


def route_shift_start_s(problem: Problem, route: OnShift) -> int:
    return problem.worker(route.worker_id).shifts[route.shift_index].start_s


# ----------------------------------------------------------------------------- the PES share


class Hours(StrEnum):
    WORKER = "worker-hours"
    PASSENGER = "passenger-hours"


@dataclass(frozen=True)
class Basis:
    """What the PES share counts: `hours`, and `delivered_by` (None: the plan as planned;
    a moment on the stops' clock: only the service before it, as delivered so far)."""

    hours: Hours = Hours.WORKER
    delivered_by: float | None = None


WORKER_HOURS = Basis(Hours.WORKER)
PASSENGER_HOURS = Basis(Hours.PASSENGER)


@dataclass(frozen=True)
class Served:
    """One stop's service on any one clock (seconds, or POSIX seconds of a document):
    `action` is "serve", "pickup" or "dropoff"; a trip's two stops share `task`."""

    task: str
    action: str
    start: float
    end: float


def service_intervals(stops: Sequence[Served], basis: Basis) -> list[tuple[float, float, int]]:
    """(start, end, index of the stop that ends it) of each piece of service time of one
    route on `basis`; a drop-off without its pickup on the route counts on site only."""
    pieces: list[tuple[float, float, int]] = []
    boarded: dict[str, float] = {}
    for k, stop in enumerate(stops):
        if basis.hours is Hours.PASSENGER and stop.action == "pickup":
            boarded[stop.task] = stop.start
            continue
        start = stop.start
        if basis.hours is Hours.PASSENGER and stop.action == "dropoff":
            start = boarded.pop(stop.task, stop.start)
        pieces.append((start, stop.end, k))
    if basis.delivered_by is not None:
        by = basis.delivered_by
        pieces = [(a, min(b, by), k) for a, b, k in pieces if a < by]
    return pieces


@dataclass(frozen=True)
class PesShare:
    """PES service seconds of all service seconds, against a target (fractions 0–1)."""

    pes_s: float
    service_s: float
    target: float | None

    @property
    def share(self) -> float | None:
        return self.pes_s / self.service_s if self.service_s else None

    @property
    def met(self) -> bool | None:
        share = self.share
        return None if share is None or self.target is None else share >= self.target


def pes_share(routes: Iterable[tuple[bool, Sequence[Served]]], basis: Basis,
              target: float | None) -> PesShare:
    """The PES share of routes given as (served by PES, the route's stops) on `basis`."""
    pes = total = 0.0
    for is_pes, stops in routes:
        seconds = sum(b - a for a, b, _ in service_intervals(stops, basis))
        total += seconds
        pes += seconds if is_pes else 0
    return PesShare(pes, total, target)


# ----------------------------------------------------------------------------- unserved tasks


def gives_way(task: Task) -> tuple[bool, bool, Priority]:
    """Which of two tasks gives way (the smaller): promised first, then mandatory, then
    priority."""
    return task.promise is not None, task.mandatory, task.priority


def unserved_rank(task: Task) -> tuple[bool, int, int, str]:
    """The sort key of unserved tasks, most important first."""
    first = min((w.start_s for w in task.windows), default=0)
    return not task.mandatory, -int(task.priority), first, task.id


def unserved_order(problem: Problem, unassigned: Iterable[Unassigned]) -> list[Unassigned]:
    """Unserved tasks in the order they are listed everywhere (`unserved_rank`)."""
    return sorted(unassigned, key=lambda u: unserved_rank(problem.task(u.task_id)))

