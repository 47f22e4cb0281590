"""What happened, as a re-planning reads it: events (one report each), and the facts
they leave (cancelled tasks, unavailabilities, the real times of stops), accumulated over
every re-planning of a plan."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from optimiser.model import ProblemError, StopAction, Worker


class ReplanError(ProblemError):
    """An event that cannot apply to the plan; the message names the event and field."""


class EventKind(enum.StrEnum):
    NEW_REQUEST = "new_request"  # the task is in the problem, not in the plan
    CANCELLED = "cancelled"
    WORKER_UNAVAILABLE = "worker_unavailable"
    VEHICLE_UNAVAILABLE = "vehicle_unavailable"
    STARTED = "started"  # a stop began at `at_s`
    FINISHED = "finished"  # a stop ended at `at_s`
    LATE = "late"  # a stop ends `late_s` later than planned (and starts later if not begun)
    NO_SHOW = "no_show"  # the client was not at home at `at_s`


STOP_REPORTS = frozenset({EventKind.STARTED, EventKind.FINISHED, EventKind.LATE,
                          EventKind.NO_SHOW})


@dataclass(frozen=True)
class Event:
    """One thing that happened. `target` is a task, worker or vehicle id by kind; `at_s`
    is when a stop report happened (default now) or when an unavailability starts,
    `until_s` when it ends (default: the end of the horizon)."""

    kind: EventKind
    target: str
    action: StopAction = StopAction.SERVE
    at_s: int | None = None
    until_s: int | None = None
    late_s: int = 0


@dataclass(frozen=True)
class Unavailable:
    """A worker (`kind` "worker") or every driver of a vehicle ("vehicle") is off."""

    kind: str
    id: str
    from_s: int
    to_s: int


@dataclass(frozen=True)
class Actual:
    """The real times of a stop by `worker_id`; `no_show`: the client was not there, the
    task not served."""

    task_id: str
    action: StopAction
    start_s: int
    end_s: int
    no_show: bool = False
    worker_id: str = ""


@dataclass(frozen=True)
class Facts:
    """What has happened, accumulated over every re-planning of a plan."""

    cancelled: tuple[str, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    actuals: tuple[Actual, ...] = ()

    def merged(self, later: Facts) -> Facts:
        """These facts, then `later` (a later report of a stop replaces an earlier one)."""
        actual = {(a.task_id, a.action): a for a in (*self.actuals, *later.actuals)}
        return Facts(tuple(dict.fromkeys((*self.cancelled, *later.cancelled))),
                     (*self.unavailable, *later.unavailable), tuple(actual.values()))


def hits(u: Unavailable, worker: Worker) -> bool:
    """Whether `u` takes `worker` off: the worker, or the bus they drive."""
    return (u.kind == "worker" and u.id == worker.id
            or u.kind == "vehicle" and u.id == worker.vehicle_id)
