"""The domain model: plain dataclasses, validated on construction.

Nothing here knows about OR-Tools, osmnx or pydantic. Times are integer
seconds from local midnight of the first planned day (`_s`; the problem's
`Calendar` turns them into local time), distances integer metres (`_m`). The
travel matrices are indexed by location position in `Problem.locations`.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from optimiser.calendar import Calendar
from optimiser.people import Contact, NetworkIdentity

DAY_S = 24 * 3600


class ProblemError(ValueError):
    """A problem that cannot be planned as given; the message names the field and value."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProblemError(message)


class ProviderKind(enum.StrEnum):
    CUS = "cus"
    PES = "pes"


class TaskKind(enum.StrEnum):
    VISIT = "visit"  # service at the client's home (physiotherapy, care)
    JOB = "job"  # handyman work at a home
    TRIP = "trip"  # a bus ride: pickup, then drop-off on the same route


class Priority(enum.IntEnum):
    """How much a coordinator wants a task served; higher serves first."""

    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4


@dataclass(frozen=True)
class TimeWindow:
    """A closed interval [start_s, end_s] in seconds from local midnight."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        _require(
            0 <= self.start_s <= self.end_s,
            f"time window start_s={self.start_s} must be >= 0 and <= end_s={self.end_s}",
        )

    @property
    def length_s(self) -> int:
        return self.end_s - self.start_s

    def overlap_s(self, other: TimeWindow) -> int:
        return max(0, min(self.end_s, other.end_s) - max(self.start_s, other.start_s))


def _check_disjoint(windows: tuple[TimeWindow, ...], what: str, *, allow_empty: bool) -> None:
    _require(allow_empty or len(windows) > 0, f"{what}: at least one time window is needed")
    ordered = sorted(windows, key=lambda w: w.start_s)
    for a, b in zip(ordered, ordered[1:], strict=False):
        _require(
            a.end_s < b.start_s,
            f"{what}: windows {a.start_s}-{a.end_s} and {b.start_s}-{b.end_s} overlap",
        )


@dataclass(frozen=True)
class Location:
    id: str
    lat: float
    lon: float
    name: str = ""

    def __post_init__(self) -> None:
        _require(bool(self.id), "location id must not be empty")
        _require(-90 <= self.lat <= 90, f"location {self.id!r}: lat={self.lat} out of range")
        _require(-180 <= self.lon <= 180, f"location {self.id!r}: lon={self.lon} out of range")


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: ProviderKind


@dataclass(frozen=True)
class Client:
    id: str
    name: str
    location_id: str
    contact: Contact = field(default=Contact(), compare=False)  # for sheets, not the solver


@dataclass(frozen=True)
class Worker:
    """A person who works routes. Each shift (availability window) is one route."""

    id: str
    name: str
    provider_id: str
    skills: frozenset[str]
    shifts: tuple[TimeWindow, ...]
    start_location_id: str
    end_location_id: str
    max_work_s: int | None = None  # contract limit on working time per calendar day
    capacity: int | None = None  # generic load units the vehicle carries; None = unlimited
    vehicle_id: str | None = None  # the bus a driver takes; trips need one
    max_week_s: int | None = None  # contract limit on working time over the whole horizon

    def __post_init__(self) -> None:
        _check_disjoint(self.shifts, f"worker {self.id!r} shifts", allow_empty=True)
        for name in ("max_work_s", "max_week_s"):
            value = getattr(self, name)
            _require(value is None or value > 0,
                     f"worker {self.id!r}: {name}={value} must be positive")
        _require(
            self.capacity is None or self.capacity >= 0,
            f"worker {self.id!r}: capacity={self.capacity} must be >= 0",
        )


class StopAction(enum.StrEnum):
    SERVE = "serve"  # a visit or job
    PICKUP = "pickup"  # passengers of a trip board
    DROPOFF = "dropoff"  # passengers of a trip alight


@dataclass(frozen=True)
class Vehicle:
    """A bus or car a driver takes for a shift; capacities in seats and wheelchair places."""

    id: str
    name: str
    seats: int
    wheelchair_places: int = 0

    def __post_init__(self) -> None:
        _require(self.seats >= 0, f"vehicle {self.id!r}: seats={self.seats} must be >= 0")
        _require(self.wheelchair_places >= 0, f"vehicle {self.id!r}: wheelchair_places="
                 f"{self.wheelchair_places} must be >= 0")


@dataclass(frozen=True)
class Passengers:
    seated: int = 1
    wheelchair: int = 0
    escort: int = 0

    def __post_init__(self) -> None:
        for name in ("seated", "wheelchair", "escort"):
            _require(getattr(self, name) >= 0, f"passengers {name}={getattr(self, name)} must "
                     "be >= 0")
        _require(self.seated + self.wheelchair > 0, "a trip carries at least one passenger")

    @property
    def seats(self) -> int:
        return self.seated + self.escort


@dataclass(frozen=True)
class Ride:
    """The drop-off half of a trip; the task's own location, windows and service are the pickup.

    `dropoff_windows` empty means any time. `max_ride_s` None takes the problem's default
    from the direct ride. A return trip names its outbound trip in `return_of`: its pickup
    starts no earlier than `appointment_s` after the outbound drop-off ends.
    """

    dropoff_location_id: str
    dropoff_windows: tuple[TimeWindow, ...]
    alight_s: int
    passengers: Passengers
    max_ride_s: int | None = None
    return_of: str | None = None
    appointment_s: int = 0

    def __post_init__(self) -> None:
        _require(self.alight_s >= 0, f"alight_s={self.alight_s} must be >= 0")
        _require(self.max_ride_s is None or self.max_ride_s > 0,
                 f"max_ride_s={self.max_ride_s} must be positive")
        _require(self.appointment_s >= 0, f"appointment_s={self.appointment_s} must be >= 0")


@dataclass(frozen=True)
class Task:
    """A unit of demand. Service must start and end inside one of `windows`."""

    id: str
    kind: TaskKind
    location_id: str
    service_s: int
    windows: tuple[TimeWindow, ...]
    client_id: str | None = None
    required_skills: frozenset[str] = frozenset()
    priority: Priority = Priority.NORMAL
    mandatory: bool = False
    demand: int = 0  # generic load units taken from the worker's vehicle
    ride: Ride | None = None  # set for trips only
    note: str = field(default="", compare=False)  # for the worker: what to bring, where

    @property
    def actions(self) -> tuple[StopAction, ...]:
        if self.ride is None:
            return (StopAction.SERVE,)
        return (StopAction.PICKUP, StopAction.DROPOFF)

    def leg(self, action: StopAction) -> tuple[str, int, tuple[TimeWindow, ...]]:
        """Where, how long and when a stop of this task happens: (location, service_s, windows).

        A drop-off without windows may happen at any time (empty tuple)."""
        if action is StopAction.DROPOFF:
            assert self.ride is not None, f"task {self.id!r} has no drop-off"
            return self.ride.dropoff_location_id, self.ride.alight_s, self.ride.dropoff_windows
        return self.location_id, self.service_s, self.windows

    def __post_init__(self) -> None:
        _require((self.kind is TaskKind.TRIP) == (self.ride is not None),
                 f"task {self.id!r}: a trip needs a ride (drop-off) and only a trip has one")
        if self.ride is not None:
            _require(self.ride.dropoff_location_id != self.location_id,
                     f"task {self.id!r}: pickup and drop-off are both {self.location_id!r}")
            _check_disjoint(self.ride.dropoff_windows, f"task {self.id!r} drop-off windows",
                            allow_empty=True)
            _require(not self.ride.dropoff_windows or max(
                w.end_s for w in self.ride.dropoff_windows) >= min(
                w.start_s for w in self.windows),
                f"task {self.id!r}: the drop-off window closes before the pickup window opens")
        _require(self.service_s >= 0, f"task {self.id!r}: service_s={self.service_s} must be >= 0")
        _require(self.demand >= 0, f"task {self.id!r}: demand={self.demand} must be >= 0")
        _check_disjoint(self.windows, f"task {self.id!r} windows", allow_empty=False)
        for w in self.windows:
            _require(
                w.length_s >= self.service_s,
                f"task {self.id!r}: window {w.start_s}-{w.end_s} is shorter than "
                f"service_s={self.service_s}",
            )


@dataclass(frozen=True)
class LabourRules:
    """Labour-code rules the plan must respect (Polish Labour Code art. 134 by default)."""

    break_after_s: int | None = 6 * 3600  # None: no break rule
    break_s: int = 15 * 60
    rest_s: int | None = 11 * 3600  # daily rest between two routes of one worker (art. 132)

    def __post_init__(self) -> None:
        _require(self.rest_s is None or self.rest_s > 0,
                 f"labour rules: rest_s={self.rest_s} must be positive")
        _require(
            self.break_after_s is None or self.break_after_s > 0,
            f"labour rules: break_after_s={self.break_after_s} must be positive",
        )
        _require(self.break_s > 0, f"labour rules: break_s={self.break_s} must be positive")


class Continuity(enum.StrEnum):
    """Whether the sessions of a series should have the same worker."""

    NONE = "none"
    SOFT = "soft"  # the same worker unless that costs a session
    REQUIRED = "required"


@dataclass(frozen=True)
class Series:
    """Sessions (tasks) of one therapy series: on days at least `min_gap_days` apart."""

    id: str
    task_ids: tuple[str, ...]
    min_gap_days: int = 1
    continuity: Continuity = Continuity.SOFT

    def __post_init__(self) -> None:
        _require(len(self.task_ids) >= 1, f"series {self.id!r}: no sessions")
        _require(len(set(self.task_ids)) == len(self.task_ids),
                 f"series {self.id!r}: a session is listed twice")
        _require(self.min_gap_days >= 0, f"series {self.id!r}: min_gap_days="
                 f"{self.min_gap_days} must be >= 0")


@dataclass(frozen=True)
class Goals:
    """Soft goals: the PES share of service hours the plan should reach.

    `Goals()` sets none; `CUS_PROJECT_GOALS` is what a CUS scenario gets by default."""

    pes_share_target: float | None = None
    pes_weight: float = 0.0  # cost per second of service done by CUS, in travel seconds

    def __post_init__(self) -> None:
        _require(self.pes_share_target is None or 0 <= self.pes_share_target <= 1,
                 f"goals: pes_share_target={self.pes_share_target} must be within 0..1")
        _require(self.pes_weight >= 0, f"goals: pes_weight={self.pes_weight} must be >= 0")


# The CUS project promised that more than 35 % of service hours are done by PES; a CUS
# second of service costs 0.1 s of travel, enough to prefer PES where travel is similar.
CUS_PROJECT_GOALS = Goals(pes_share_target=0.35, pes_weight=0.1)


@dataclass(frozen=True)
class TripRules:
    """Default maximum ride: the larger of factor × direct ride and direct ride + extra."""

    max_ride_factor: float = 1.5
    max_ride_extra_s: int = 15 * 60

    def __post_init__(self) -> None:
        _require(self.max_ride_factor >= 1, f"trip rules: max_ride_factor="
                 f"{self.max_ride_factor} must be >= 1")
        _require(self.max_ride_extra_s >= 0, f"trip rules: max_ride_extra_s="
                 f"{self.max_ride_extra_s} must be >= 0")


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Integer travel times (s) and distances (m) between locations, by position."""

    duration_s: np.ndarray
    distance_m: np.ndarray

    def __post_init__(self) -> None:
        n = self.duration_s.shape[0]
        for name, m in (("duration_s", self.duration_s), ("distance_m", self.distance_m)):
            _require(m.shape == (n, n), f"matrix {name} has shape {m.shape}, expected ({n}, {n})")
            _require(bool((m >= 0).all()), f"matrix {name} has negative entries")
            _require(np.issubdtype(m.dtype, np.integer), f"matrix {name} must hold integers")

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
        _require(len(in_series) == len(set(in_series)), "a task belongs to two series")
        _unique(self.locations, "location")
        _unique(self.providers, "provider")
        _unique(self.workers, "worker")
        _unique(self.tasks, "task")
        _unique(self.clients, "client")
        _unique(self.vehicles, "vehicle")
        _require(
            self.matrix.size == len(self.locations),
            f"matrix size {self.matrix.size} != number of locations {len(self.locations)}",
        )
        locations = {loc.id for loc in self.locations}
        providers = {p.id for p in self.providers}
        clients = {c.id for c in self.clients}
        for c in self.clients:
            _require(c.location_id in locations, f"client {c.id!r}: unknown location_id "
                     f"{c.location_id!r}")
        for w in self.workers:
            _require(w.provider_id in providers, f"worker {w.id!r}: unknown provider_id "
                     f"{w.provider_id!r}")
            for attr in ("start_location_id", "end_location_id"):
                value = getattr(w, attr)
                _require(value in locations, f"worker {w.id!r}: unknown {attr} {value!r}")
        vehicles = {v.id for v in self.vehicles}
        for w in self.workers:
            _require(w.vehicle_id is None or w.vehicle_id in vehicles,
                     f"worker {w.id!r}: unknown vehicle_id {w.vehicle_id!r}")
        tasks = {t.id: t for t in self.tasks}
        for series in self.series:
            for task_id in series.task_ids:
                _require(task_id in tasks, f"series {series.id!r}: unknown task {task_id!r}")
        for t in self.tasks:
            _require(t.location_id in locations, f"task {t.id!r}: unknown location_id "
                     f"{t.location_id!r}")
            if t.ride is not None:
                _require(t.ride.dropoff_location_id in locations, f"task {t.id!r}: unknown "
                         f"dropoff_location_id {t.ride.dropoff_location_id!r}")
                out = tasks.get(t.ride.return_of) if t.ride.return_of else None
                _require(t.ride.return_of is None or (out is not None and out.ride is not None
                                                      and out.id != t.id),
                         f"task {t.id!r}: return_of={t.ride.return_of!r} is not another trip")
                if out is not None and out.ride is not None and out.id != t.id:
                    # A return starts where its outbound ended, for the same client.
                    _require(t.location_id == out.ride.dropoff_location_id,
                             f"task {t.id!r}: a return picks up where its outbound "
                             f"{out.id!r} dropped off ({out.ride.dropoff_location_id!r}), "
                             f"not at {t.location_id!r}")
                    _require(t.client_id == out.client_id,
                             f"task {t.id!r}: client_id={t.client_id!r} differs from its "
                             f"outbound {out.id!r}'s {out.client_id!r}")
            _require(t.client_id is None or t.client_id in clients,
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

    The one rule of who may serve what: the task's skills, the load the worker's vehicle
    carries, for a trip a vehicle with seats and wheelchair places for its passengers,
    and a shift (`shift`, or any of the worker's) that overlaps one of the task's windows
    by the service time. The solver adapter and the reasons use it; travel and the day's
    other tasks are for the search. The first failing test in `ELIGIBILITY_ORDER` is named.
    """
    if not task.required_skills <= worker.skills:
        return Reason.NO_SKILLED_WORKER
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


def can_serve(problem: Problem, worker: Worker, task: Task,
              shift: TimeWindow | None = None) -> bool:
    return ineligibility(problem, worker, task, shift) is None


def _unique(items: Iterable[object], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        item_id: str = item.id  # type: ignore[attr-defined]
        _require(bool(item_id), f"{what} id must not be empty")
        _require(item_id not in seen, f"duplicate {what} id {item_id!r}")
        seen.add(item_id)


# ----------------------------------------------------------------------------- plan


class Reason(enum.StrEnum):
    """Why a task is not in the plan, in words a coordinator understands."""

    NO_SKILLED_WORKER = "no_skilled_worker"
    NO_AVAILABILITY = "no_availability"
    UNREACHABLE_IN_TIME = "unreachable_in_time"
    EXCEEDS_CAPACITY = "exceeds_capacity"
    NO_VEHICLE_SPACE = "no_vehicle_space"
    RIDE_TOO_LONG = "ride_too_long"
    SERIES_SPACING = "series_spacing"
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    WINDOW_PASSED = "window_passed"  # re-planning: the window closed before it could be done
    NO_SHOW = "no_show"  # re-planning: the client was not at home
    TRIP_PAIR = "trip_pair"  # the other half of an outbound and its return cannot be served
    CLIENT_ELSEWHERE = "client_elsewhere"  # the client is on a trip or at another visit then


# The tests of `ineligibility`, in the order they are made.
ELIGIBILITY_ORDER = (Reason.NO_SKILLED_WORKER, Reason.EXCEEDS_CAPACITY, Reason.NO_VEHICLE_SPACE,
                     Reason.NO_AVAILABILITY)

REASON_TEXT: dict[Reason, str] = {
    Reason.NO_SKILLED_WORKER: "no worker has all the required skills",
    Reason.NO_AVAILABILITY: "no qualified worker is available in any of the task's windows",
    Reason.UNREACHABLE_IN_TIME: (
        "no qualified worker can travel there, do it inside a window and be back "
        "within the shift and contract limit"
    ),
    Reason.EXCEEDS_CAPACITY: "the task's load is larger than any qualified worker's vehicle",
    Reason.NO_VEHICLE_SPACE: (
        "no qualified driver has a vehicle with enough seats and wheelchair places for the trip"
    ),
    Reason.RIDE_TOO_LONG: "the direct ride is already longer than the trip's maximum ride time",
    Reason.SERIES_SPACING: (
        "the series cannot fit its spacing: too few days with a window a therapist can reach"
    ),
    Reason.CAPACITY_EXHAUSTED: (
        "the day's capacity of qualified workers is used by tasks of equal or higher priority"
    ),
    Reason.WINDOW_PASSED: "when the plan was changed, the task's time windows had passed",
    Reason.NO_SHOW: "the worker came, but the client was not at home",
    Reason.CLIENT_ELSEWHERE: (
        "the client is elsewhere at every time it could be done: on a bus trip or at "
        "another visit of the plan"
    ),
    Reason.TRIP_PAIR: (
        "its outbound or return trip cannot be served, and a client is never taken "
        "somewhere without the way back"
    ),
}


@dataclass(frozen=True)
class Stop:
    task_id: str
    location_id: str
    arrival_s: int
    start_s: int
    end_s: int
    action: StopAction = StopAction.SERVE


@dataclass(frozen=True)
class Break:
    start_s: int
    end_s: int


@dataclass(frozen=True)
class Route:
    """One worker's ordered shift: leave the start place, serve stops, come back."""

    worker_id: str
    shift_index: int
    start_s: int
    end_s: int
    stops: tuple[Stop, ...]
    breaks: tuple[Break, ...] = ()

    @property
    def work_s(self) -> int:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Unassigned:
    task_id: str
    reason: Reason
    detail: str = ""


@dataclass(frozen=True)
class RunStats:
    """How a solve went: wall time, solutions the search accepted, each improvement as
    (elapsed s, objective, tasks placed), whether it was cancelled, and warnings a
    coordinator must see (e.g. nothing planned although tasks could be served)."""

    time_s: float = 0.0
    solutions: int = 0
    improvements: tuple[tuple[float, int, int], ...] = ()
    cancelled: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    objective: int = 0
    solver_status: str = ""
    stats: RunStats = field(default_factory=RunStats, compare=False)  # not part of the plan
