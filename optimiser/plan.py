"""The plan: each worker's routes of stops and breaks, the tasks left out and why
(`Reason`, in words a coordinator understands), and how the search went (`RunStats`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from optimiser.problem_parts import StopAction


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
    CLIENT_RULES = "client_rules"  # every skilled worker is refused by the client or lacks
    # an attribute the client requires


# The tests of `ineligibility`, in the order they are made.
ELIGIBILITY_ORDER = (Reason.NO_SKILLED_WORKER, Reason.CLIENT_RULES, Reason.EXCEEDS_CAPACITY,
                     Reason.NO_VEHICLE_SPACE, Reason.NO_AVAILABILITY)

REASON_TEXT: dict[Reason, str] = {
    Reason.NO_SKILLED_WORKER: "no worker has all the required skills",
    Reason.NO_AVAILABILITY: "no qualified worker is available in any of the task's windows",
    Reason.CLIENT_RULES: (
        "every worker with the skills is refused by the client or lacks what the client "
        "requires of who comes"
    ),
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
