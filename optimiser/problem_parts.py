"""The parts a problem is made of: time windows, places, providers, clients, workers,
vehicles, passengers and tasks; plain dataclasses, validated on construction.

`ProblemError` is what a part (or an `optimiser.model.Problem`) raises when it cannot be
planned as given; `require` and `check_disjoint` are the checks every part of the
domain makes. Times are integer seconds from local midnight of the first planned day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from optimiser.people import Contact

DAY_S = 24 * 3600


class ProblemError(ValueError):
    """A problem that cannot be planned as given; the message names the field and value."""


def require(condition: bool, message: str) -> None:
    """Raise `ProblemError(message)` unless `condition` holds."""
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
        require(
            0 <= self.start_s <= self.end_s,
            f"time window start_s={self.start_s} must be >= 0 and <= end_s={self.end_s}",
        )

    @property
    def length_s(self) -> int:
        return self.end_s - self.start_s

    def overlap_s(self, other: TimeWindow) -> int:
        return max(0, min(self.end_s, other.end_s) - max(self.start_s, other.start_s))


def check_disjoint(windows: tuple[TimeWindow, ...], what: str, *, allow_empty: bool) -> None:
    require(allow_empty or len(windows) > 0, f"{what}: at least one time window is needed")
    ordered = sorted(windows, key=lambda w: w.start_s)
    for a, b in zip(ordered, ordered[1:], strict=False):
        require(
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
        require(bool(self.id), "location id must not be empty")
        require(-90 <= self.lat <= 90, f"location {self.id!r}: lat={self.lat} out of range")
        require(-180 <= self.lon <= 180, f"location {self.id!r}: lon={self.lon} out of range")


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: ProviderKind


@dataclass(frozen=True)
class Client:
    """A person served. `refuses`: workers never to be sent (ids); `requires`: attributes
    every worker sent must have (e.g. `woman`, `ukrainian`; matched like skills against
    `Worker.attributes`). Both are hard rules of who may serve the client's tasks.
    `prefers`: workers the client would rather see, and `familiar`: workers who served
    the client in the weeks before (continuity of care); both soft wishes: a task served
    by a worker in neither costs `PREFERENCE_COST_S` when either is given."""

    id: str
    name: str
    location_id: str
    contact: Contact = field(default=Contact(), compare=False)  # for sheets, not the solver
    refuses: frozenset[str] = frozenset()
    requires: frozenset[str] = frozenset()
    prefers: frozenset[str] = frozenset()
    familiar: frozenset[str] = frozenset()

    @property
    def wished(self) -> frozenset[str]:
        """The workers the client would rather see (`prefers` and `familiar`)."""
        return self.prefers | self.familiar


# What a plan pays, in seconds of travel, for each task of a client with preferred or
# familiar workers (`Client.wished`) served by another worker: a preferred worker may drive up to
# 15 minutes further. Far below the cost of leaving a task out, so a preference never
# costs served work.
PREFERENCE_COST_S = 900


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
    # what clients may require of who comes (`Client.requires`): personal data, e.g. gender
    attributes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        check_disjoint(self.shifts, f"worker {self.id!r} shifts", allow_empty=True)
        for name in ("max_work_s", "max_week_s"):
            value = getattr(self, name)
            require(value is None or value > 0,
                     f"worker {self.id!r}: {name}={value} must be positive")
        require(
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
        require(self.seats >= 0, f"vehicle {self.id!r}: seats={self.seats} must be >= 0")
        require(self.wheelchair_places >= 0, f"vehicle {self.id!r}: wheelchair_places="
                 f"{self.wheelchair_places} must be >= 0")


@dataclass(frozen=True)
class Passengers:
    seated: int = 1
    wheelchair: int = 0
    escort: int = 0

    def __post_init__(self) -> None:
        for name in ("seated", "wheelchair", "escort"):
            require(getattr(self, name) >= 0, f"passengers {name}={getattr(self, name)} must "
                     "be >= 0")
        require(self.seated + self.wheelchair > 0, "a trip carries at least one passenger")

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
        require(self.alight_s >= 0, f"alight_s={self.alight_s} must be >= 0")
        require(self.max_ride_s is None or self.max_ride_s > 0,
                 f"max_ride_s={self.max_ride_s} must be positive")
        require(self.appointment_s >= 0, f"appointment_s={self.appointment_s} must be >= 0")


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
    # The window the client was promised (an accepted offer): the task's first stop (a
    # visit's service, a trip's pickup) starts inside it, and the task is never left out.
    # `optimiser.promises` narrows the windows to it; the checker holds every plan to it.
    promise: TimeWindow | None = None

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
        require((self.kind is TaskKind.TRIP) == (self.ride is not None),
                 f"task {self.id!r}: a trip needs a ride (drop-off) and only a trip has one")
        if self.ride is not None:
            require(self.ride.dropoff_location_id != self.location_id,
                     f"task {self.id!r}: pickup and drop-off are both {self.location_id!r}")
            check_disjoint(self.ride.dropoff_windows, f"task {self.id!r} drop-off windows",
                            allow_empty=True)
            require(not self.ride.dropoff_windows or max(
                w.end_s for w in self.ride.dropoff_windows) >= min(
                w.start_s for w in self.windows),
                f"task {self.id!r}: the drop-off window closes before the pickup window opens")
        require(self.service_s >= 0, f"task {self.id!r}: service_s={self.service_s} must be >= 0")
        require(self.demand >= 0, f"task {self.id!r}: demand={self.demand} must be >= 0")
        check_disjoint(self.windows, f"task {self.id!r} windows", allow_empty=False)
        for w in self.windows:
            require(
                w.length_s >= self.service_s,
                f"task {self.id!r}: window {w.start_s}-{w.end_s} is shorter than "
                f"service_s={self.service_s}",
            )
