"""The events a re-planning refuses before anything else, each refusal naming the event
and its field: unknown tasks, workers and vehicles, reports of what has not happened,
contradictions between events."""

from __future__ import annotations

from collections.abc import Sequence

from optimiser.model import Plan, Problem, Route, Stop, StopAction, Unassigned
from optimiser.replan.events import STOP_REPORTS, Event, EventKind, ReplanError


def first_action(problem: Problem, task_id: str) -> StopAction:
    """The first stop of a task (a visit's, a trip's pickup); a visit's if it is unknown."""
    return next((t.actions[0] for t in problem.tasks if t.id == task_id), StopAction.SERVE)


def validate_events(problem: Problem, published: Plan, events: Sequence[Event], now_s: int,
                    stop_of: dict[tuple[str, StopAction], tuple[Route, Stop]],
                    unserved: dict[str, Unassigned]) -> None:
    """Raise `ReplanError` naming the first event that cannot apply to `published`."""
    tasks = {t.id: t for t in problem.tasks}
    workers = {w.id for w in problem.workers}
    vehicles = {v.id for v in problem.vehicles}
    in_plan = {t for t, _ in stop_of} | set(unserved)
    if now_s < 0:
        raise ReplanError(f"now: {now_s} s is before the plan's first day")
    cancelled = {e.target: i for i, e in enumerate(events) if e.kind is EventKind.CANCELLED}
    for i, e in enumerate(events):
        where = f"events[{i}]"
        if e.kind in STOP_REPORTS and e.target in cancelled:
            raise ReplanError(f"{where}.task: {e.target!r} is cancelled in "
                              f"events[{cancelled[e.target]}]; a stop report and a "
                              "cancellation of one task contradict each other")
        if e.kind is EventKind.NEW_REQUEST:
            if e.target not in tasks:
                raise ReplanError(f"{where}.task: {e.target!r} is not a task of the problem")
            if e.target in in_plan:
                raise ReplanError(f"{where}.task: {e.target!r} is already in the plan")
            continue
        if e.kind in (EventKind.WORKER_UNAVAILABLE, EventKind.VEHICLE_UNAVAILABLE):
            known = workers if e.kind is EventKind.WORKER_UNAVAILABLE else vehicles
            field_name = "worker" if e.kind is EventKind.WORKER_UNAVAILABLE else "vehicle"
            if e.target not in known:
                raise ReplanError(f"{where}.{field_name}: unknown {field_name} {e.target!r}")
            if e.until_s is not None and e.until_s <= (now_s if e.at_s is None else e.at_s):
                raise ReplanError(f"{where}.to: {e.until_s} s is not after its start")
            if e.until_s is not None and e.until_s <= now_s:
                raise ReplanError(f"{where}.to: the unavailability has already ended")
            continue
        if e.target not in tasks:
            raise ReplanError(f"{where}.task: unknown task {e.target!r}")
        if e.kind is EventKind.CANCELLED:
            returns = [t.id for t in problem.tasks
                       if t.ride is not None and t.ride.return_of == e.target]
            for task_id in (e.target, *returns):  # a return trip goes with its outbound
                key = (task_id, tasks[task_id].actions[0])
                if key in stop_of and stop_of[key][1].start_s < now_s:
                    raise ReplanError(f"{where}.task: {task_id!r} began at "
                                      f"{problem.calendar.hhmm(stop_of[key][1].start_s)}, "
                                      "before now; it cannot be cancelled")
            continue
        key = (e.target, e.action)
        if key not in stop_of:
            raise ReplanError(f"{where}.task: {e.target!r} has no {e.action.value} stop in "
                              "the plan")
        if e.at_s is not None and e.at_s > now_s:
            raise ReplanError(f"{where}.at: {problem.calendar.hhmm(e.at_s)} is after now "
                              f"({problem.calendar.hhmm(now_s)}): report what has happened")
        route, stop = stop_of[key]
        if e.kind is EventKind.FINISHED and e.at_s is not None and e.at_s < stop.start_s - 3600:
            raise ReplanError(f"{where}.at: finished at {problem.calendar.hhmm(e.at_s)}, more "
                              "than an hour before it was due to begin; report `started` first")
        if e.kind is EventKind.LATE and not 0 < e.late_s <= 12 * 3600:
            raise ReplanError(f"{where}.minutes: {e.late_s // 60} must be within 1..720")
        if e.kind in (EventKind.FINISHED, EventKind.NO_SHOW) and route.stops and any(
                (s.task_id, s.action) == key and s.start_s > now_s + 3600
                for s in route.stops):
            raise ReplanError(f"{where}.task: {e.target!r} is due at "
                              f"{problem.calendar.hhmm(stop.start_s)}, not yet begun")
        if e.kind is EventKind.NO_SHOW and e.action is StopAction.DROPOFF:
            raise ReplanError(f"{where}.action: a no-show is at a pickup or a visit")
