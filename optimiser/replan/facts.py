"""The day as it happened: a problem with the facts applied (cancelled tasks gone,
shifts cut by unavailability, reported stops at their real times, a shift a late stop
made longer)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from optimiser.model import Problem, StopAction, Task, TimeWindow, Worker
from optimiser.replan.events import Actual, Facts, Unavailable, hits


def apply_facts(problem: Problem, facts: Facts) -> Problem:
    """`problem` as it happened: cancelled tasks gone, shifts cut where their worker (or
    the bus a driver takes) was off, reported stops at their real times and lengths, a
    shift that a late stop made longer ending when its worker is back, and a client's
    no-show the end of that task's promise (it was met; nothing is left to keep)."""
    gone = set(facts.cancelled)
    actual = {(a.task_id, a.action): a for a in facts.actuals if not a.no_show}
    # The worker came and the client was not there: the promise was met, not broken.
    absent = {a.task_id for a in facts.actuals if a.no_show}
    tasks = tuple(_as_happened(dataclasses.replace(t, promise=None) if t.id in absent else t,
                               actual) for t in problem.tasks if t.id not in gone)
    tasks = tuple(dataclasses.replace(t, ride=dataclasses.replace(t.ride, return_of=None))
                  if t.ride is not None and t.ride.return_of in gone else t for t in tasks)
    series = tuple(dataclasses.replace(s, task_ids=kept) for s in problem.series
                   if (kept := tuple(t for t in s.task_ids if t not in gone)))
    workers = tuple(_overtime(problem, _cut_worker(w, facts.unavailable), actual.values())
                    for w in problem.workers)
    return dataclasses.replace(problem, tasks=tasks, series=series, workers=workers)


def _as_happened(task: Task, actual: dict[tuple[str, StopAction], Actual]) -> Task:
    return at_times(task, {a: (x.start_s, x.end_s) for a in task.actions
                            if (x := actual.get((task.id, a))) is not None})


def at_times(task: Task, times: dict[StopAction, tuple[int, int]]) -> Task:
    """`task` with the stops in `times` at those (start, end) and no other time; one
    replace for both stops of a trip (a pickup moved late alone may not fit the drop-off
    windows of the plan, and a task checks that on every replace)."""
    changes: dict[str, Any] = {}
    for action, (start, end) in times.items():
        window = (TimeWindow(start, end),)
        if action is StopAction.DROPOFF:
            assert task.ride is not None
            changes["ride"] = dataclasses.replace(task.ride, dropoff_windows=window,
                                                  alight_s=end - start)
        else:
            changes |= {"windows": window, "service_s": end - start}
    return dataclasses.replace(task, **changes) if changes else task


def _overtime(problem: Problem, worker: Worker, actuals: Iterable[Actual]) -> Worker:
    """The worker's shifts, each ending no earlier than its reported stops and the drive
    back, and beginning no later than the drive there (a visit that ran late makes the
    day longer, one begun before the shift makes it begin earlier: the plan records what
    happened, not refuses it)."""
    shifts = list(worker.shifts)
    for a in actuals:
        if a.worker_id != worker.id or not shifts:
            continue
        # The shift the stop was in: the one it began in, else the nearest.
        k = min(range(len(shifts)), key=lambda k: max(shifts[k].start_s - a.start_s,
                                                      a.start_s - shifts[k].end_s, 0))
        place = problem.task(a.task_id).leg(a.action)[0]
        back = a.end_s + problem.travel_s(place, worker.end_location_id)
        bound = shifts[k + 1].start_s - 1 if k + 1 < len(shifts) else back
        if back > shifts[k].end_s:
            shifts[k] = TimeWindow(shifts[k].start_s, min(back, bound))
        leave = a.start_s - problem.travel_s(worker.start_location_id, place)
        first = shifts[k - 1].end_s + 1 if k > 0 else 0
        if leave < shifts[k].start_s:
            shifts[k] = TimeWindow(max(leave, first), shifts[k].end_s)
    return dataclasses.replace(worker, shifts=tuple(shifts))


def _cut_worker(worker: Worker, off: Iterable[Unavailable]) -> Worker:
    shifts = list(worker.shifts)
    for u in off:
        if not hits(u, worker):
            continue
        parts = []
        for s in shifts:
            if u.to_s <= s.start_s or u.from_s >= s.end_s:
                parts.append(s)
                continue
            if u.from_s > s.start_s:
                parts.append(TimeWindow(s.start_s, u.from_s))
            if u.to_s < s.end_s:
                parts.append(TimeWindow(u.to_s, s.end_s))
        shifts = parts
    return dataclasses.replace(worker, shifts=tuple(shifts))
