"""The domain model: a problem to plan and the plan, plain dataclasses validated on
construction.

Nothing here knows about OR-Tools, osmnx or pydantic. Times are integer
seconds from local midnight of the first planned day (`_s`; the problem's
`Calendar` turns them into local time), distances integer metres (`_m`). The
travel matrices are indexed by location position in `Problem.locations`.

This module holds the `Problem` (with its travel matrix) and the one rule of who may
serve what (`ineligibility`); its parts are in `optimiser.problem_parts`, its rules and
goals in `optimiser.problem_rules`, and the plan in `optimiser.plan`. Every name is re-exported
here, so `from optimiser.model import Task, Plan` is the one way in.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from optimiser.calendar import Calendar
from optimiser.people import NetworkIdentity
from optimiser.plan import (
    ELIGIBILITY_ORDER,
    REASON_TEXT,
    Break,
    Plan,
    Reason,
    Route,
    RunStats,
    Stop,
    Unassigned,
)
from optimiser.problem_parts import (
    DAY_S,
    PREFERENCE_COST_S,
    Client,
    Location,
    Passengers,
    Priority,
    ProblemError,
    Provider,
    ProviderKind,
    Ride,
    StopAction,
    Task,
    TaskKind,
    TimeWindow,
    Vehicle,
    Worker,
    require,
)
from optimiser.problem_rules import (
    CUS_PROJECT_GOALS,
    DEFAULT_BALANCE_WEIGHT,
    Continuity,
    Goals,
    LabourRules,
    Series,
    TripRules,
)

__all__ = [
    "CUS_PROJECT_GOALS", "DAY_S", "DEFAULT_BALANCE_WEIGHT", "ELIGIBILITY_ORDER",
    "PREFERENCE_COST_S", "REASON_TEXT", "Break", "Client",
    "Continuity", "Goals", "LabourRules", "Location", "Passengers", "Plan", "Priority",
    "Problem", "ProblemError", "Provider", "ProviderKind", "Reason", "Ride", "Route",
    "RunStats", "Series", "Stop", "StopAction", "Task", "TaskKind", "TimeWindow",
    "TravelMatrix", "TripRules", "Unassigned", "Vehicle", "Worker", "can_serve",
    "accepted_by_client", "ineligibility",
]


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Integer travel times (s) and distances (m) between locations, by position."""

    duration_s: np.ndarray
    distance_m: np.ndarray

    def __post_init__(self) -> None:
        n = self.duration_s.shape[0]
        for name, m in (("duration_s", self.duration_s), ("distance_m", self.distance_m)):
            require(m.shape == (n, n), f"matrix {name} has shape {m.shape}, expected ({n}, {n})")
            require(bool((m >= 0).all()), f"matrix {name} has negative entries")
            require(np.issubdtype(m.dtype, np.integer), f"matrix {name} must hold integers")

    @property
    def size(self) -> int:
        return int(self.duration_s.shape[0])


@dataclass(frozen=True, eq=False)
class Problem:
    """A day or a week to plan: who can work, what must be done, how far apart it all is,
    and when (the calendar: first date, days, time zone)."""

    locations: tuple[Location, ...]
    providers: tuple[Provider, ...]
    workers: tuple[Worker, ...]
    tasks: tuple[Task, ...]
    matrix: TravelMatrix
    clients: tuple[Client, ...] = ()
    rules: LabourRules = field(default_factory=LabourRules)
    name: str = ""
    vehicles: tuple[Vehicle, ...] = ()
    trip_rules: TripRules = field(default_factory=TripRules)
    series: tuple[Series, ...] = ()
    goals: Goals = field(default_factory=Goals)
    calendar: Calendar = field(default_factory=Calendar)
    # Re-planning: tasks whose first stop already happened. They are facts, not choices:
    # an outbound under way stays in the plan even when its return cannot be served.
    begun: frozenset[str] = frozenset()
    network: NetworkIdentity = NetworkIdentity()  # where the travel times came from

    @property
    def day_starts_s(self) -> tuple[int, ...]:
        """Local midnights of the planned days, in seconds from the first (DST: 23 or 25 h)."""
        return self.calendar.day_starts_s

    def __post_init__(self) -> None:
        _unique(self.series, "series")
        in_series = [t for s in self.series for t in s.task_ids]
        require(len(in_series) == len(set(in_series)), "a task belongs to two series")
        _unique(self.locations, "location")
        _unique(self.providers, "provider")
        _unique(self.workers, "worker")
        _unique(self.tasks, "task")
        _unique(self.clients, "client")
        _unique(self.vehicles, "vehicle")
        require(
            self.matrix.size == len(self.locations),
            f"matrix size {self.matrix.size} != number of locations {len(self.locations)}",
        )
        locations = {loc.id for loc in self.locations}
        providers = {p.id for p in self.providers}
        clients = {c.id for c in self.clients}
        for c in self.clients:
            require(c.location_id in locations, f"client {c.id!r}: unknown location_id "
                     f"{c.location_id!r}")
        for w in self.workers:
            require(w.provider_id in providers, f"worker {w.id!r}: unknown provider_id "
                     f"{w.provider_id!r}")
            for attr in ("start_location_id", "end_location_id"):
                value = getattr(w, attr)
                require(value in locations, f"worker {w.id!r}: unknown {attr} {value!r}")
        vehicles = {v.id for v in self.vehicles}
        for w in self.workers:
            require(w.vehicle_id is None or w.vehicle_id in vehicles,
                     f"worker {w.id!r}: unknown vehicle_id {w.vehicle_id!r}")
        tasks = {t.id: t for t in self.tasks}
        for series in self.series:
            for task_id in series.task_ids:
                require(task_id in tasks, f"series {series.id!r}: unknown task {task_id!r}")
        for t in self.tasks:
            require(t.location_id in locations, f"task {t.id!r}: unknown location_id "
                     f"{t.location_id!r}")
            if t.ride is not None:
                require(t.ride.dropoff_location_id in locations, f"task {t.id!r}: unknown "
                         f"dropoff_location_id {t.ride.dropoff_location_id!r}")
                out = tasks.get(t.ride.return_of) if t.ride.return_of else None
                require(t.ride.return_of is None or (out is not None and out.ride is not None
                                                      and out.id != t.id),
                         f"task {t.id!r}: return_of={t.ride.return_of!r} is not another trip")
                if out is not None and out.ride is not None and out.id != t.id:
                    # A return starts where its outbound ended, for the same client.
                    require(t.location_id == out.ride.dropoff_location_id,
                             f"task {t.id!r}: a return picks up where its outbound "
                             f"{out.id!r} dropped off ({out.ride.dropoff_location_id!r}), "
                             f"not at {t.location_id!r}")
                    require(t.client_id == out.client_id,
                             f"task {t.id!r}: client_id={t.client_id!r} differs from its "
                             f"outbound {out.id!r}'s {out.client_id!r}")
            require(t.client_id is None or t.client_id in clients,
                     f"task {t.id!r}: unknown client_id {t.client_id!r}")

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {
            "location": {loc.id: i for i, loc in enumerate(self.locations)},
            "worker": {w.id: w for w in self.workers},
            "task": {t.id: t for t in self.tasks},
            "provider": {p.id: p for p in self.providers},
            "vehicle": {v.id: v for v in self.vehicles},
            "client": {c.id: c for c in self.clients},
        }

    def location_index(self, location_id: str) -> int:
        index: int = self._by_id["location"][location_id]
        return index

    def travel_s(self, from_id: str, to_id: str) -> int:
        i, j = self.location_index(from_id), self.location_index(to_id)
        return int(self.matrix.duration_s[i, j])

    def distance_m(self, from_id: str, to_id: str) -> int:
        i, j = self.location_index(from_id), self.location_index(to_id)
        return int(self.matrix.distance_m[i, j])

    def worker(self, worker_id: str) -> Worker:
        worker: Worker = self._by_id["worker"][worker_id]
        return worker

    def task(self, task_id: str) -> Task:
        task: Task = self._by_id["task"][task_id]
        return task

    def client(self, client_id: str) -> Client:
        client: Client = self._by_id["client"][client_id]
        return client

    def provider(self, provider_id: str) -> Provider:
        provider: Provider = self._by_id["provider"][provider_id]
        return provider

    def vehicle_of(self, worker: Worker) -> Vehicle | None:
        if worker.vehicle_id is None:
            return None
        vehicle: Vehicle = self._by_id["vehicle"][worker.vehicle_id]
        return vehicle

    def day_of(self, t_s: int) -> int:
        """Index of the planned day (local date) that contains the moment t_s."""
        return bisect.bisect_right(self.day_starts_s, t_s) - 1

    def max_ride_s(self, task: Task) -> int:
        """The longest a trip's passengers may sit in the bus, from boarded to drop-off start."""
        assert task.ride is not None, f"task {task.id!r} is not a trip"
        if task.ride.max_ride_s is not None:
            return task.ride.max_ride_s
        direct = self.travel_s(task.location_id, task.ride.dropoff_location_id)
        rules = self.trip_rules
        return max(int(direct * rules.max_ride_factor), direct + rules.max_ride_extra_s)


def ineligibility(problem: Problem, worker: Worker, task: Task,
                  shift: TimeWindow | None = None) -> Reason | None:
    """Why `worker` cannot serve `task` even as its only task, or None if it may.

    The one rule of who may serve what: the task's skills, the client's refusals and
    requirements (`Client.refuses`, `Client.requires`), the load the worker's vehicle
    carries, for a trip a vehicle with seats and wheelchair places for its passengers,
    and a shift (`shift`, or any of the worker's) that overlaps one of the task's windows
    by the service time. The solver adapter and the reasons use it; travel and the day's
    other tasks are for the search. The first failing test in `ELIGIBILITY_ORDER` is named.
    """
    if not task.required_skills <= worker.skills:
        return Reason.NO_SKILLED_WORKER
    if not accepted_by_client(problem, worker, task):
        return Reason.CLIENT_RULES
    if worker.capacity is not None and worker.capacity < task.demand:
        return Reason.EXCEEDS_CAPACITY
    if task.ride is not None:
        vehicle, people = problem.vehicle_of(worker), task.ride.passengers
        if vehicle is None or vehicle.seats < people.seats or (
                vehicle.wheelchair_places < people.wheelchair):
            return Reason.NO_VEHICLE_SPACE
    shifts = worker.shifts if shift is None else (shift,)
    if not any(s.overlap_s(w) >= task.service_s for s in shifts for w in task.windows):
        return Reason.NO_AVAILABILITY
    return None


def accepted_by_client(problem: Problem, worker: Worker, task: Task) -> bool:
    """Whether `task`'s client (if any) accepts `worker`: not refused, and every
    attribute the client requires."""
    if task.client_id is None:
        return True
    client = problem.client(task.client_id)
    return worker.id not in client.refuses and client.requires <= worker.attributes


def can_serve(problem: Problem, worker: Worker, task: Task,
              shift: TimeWindow | None = None) -> bool:
    return ineligibility(problem, worker, task, shift) is None


def _unique(items: Iterable[object], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        item_id: str = item.id  # type: ignore[attr-defined]
        require(bool(item_id), f"{what} id must not be empty")
        require(item_id not in seen, f"duplicate {what} id {item_id!r}")
        seen.add(item_id)
