"""A first plan for a horizon of several days, built one day at a time.

OR-Tools' insertion heuristics, run on a whole week, must keep every constraint
that spans days (weekly hours, rest between days, series spacing and
continuity) consistent while they insert, and on generated weeks they often
gave up with nothing placed. A day on its own is a small model they solve
well. So the week is planned day by day, in order: each day's model is the
real model of that day (`RoutingProblem`, every rule), with what earlier days
decided folded into its data:

- a worker's shifts start no earlier than the daily rest after their last
  route allows, and their weekly limit is what earlier routes left;
- a series session is offered only on days far enough from the sessions
  already placed, and a held series (continuity) pins it to the worker who
  started the series, if that worker can do it that day;
- a task's windows are cut to the day; a task that could still be done on a
  later day costs less to leave out than one that cannot (`deferrable`).

The same folding serves any later step that re-plans one day with the others
fixed (`day_problem` with the routes of every other day).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from optimiser.model import (
    Continuity,
    Problem,
    ProblemError,
    Series,
    Task,
    TimeWindow,
    Worker,
    can_serve,
)
from optimiser.ortools.raw import RawRoute, RawSolution
from optimiser.rules import route_day_index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DayProblem:
    """One day of `problem` with the other days' routes folded in."""

    problem: Problem  # its tasks: the tasks this day may take, windows cut to the day
    shift_of: dict[tuple[str, int], int]  # (worker, shift index here) -> index in the week
    pinned: dict[str, str]  # session -> the only worker who may serve it
    deferrable: frozenset[str]  # tasks a later day could still take
    same_worker: frozenset[str]  # held series with a session on this day

    @property
    def tasks(self) -> list[Task]:
        return list(self.problem.tasks)

    def to_week(self, raw: RawRoute) -> RawRoute:
        return dataclasses.replace(raw, shift_index=self.shift_of[(raw.worker_id,
                                                                    raw.shift_index)])


def working_days(problem: Problem) -> list[int]:
    """The days on which some shift starts, in order."""
    return sorted({problem.day_of(s.start_s) for w in problem.workers for s in w.shifts})


def day_of_route(problem: Problem, route: RawRoute) -> int:
    """The working day of a route: the day its shift starts (`optimiser.rules`)."""
    return route_day_index(problem, route)


def day_span(problem: Problem, day: int) -> tuple[int, int]:
    """From the first start to the last end of the shifts that start on `day`."""
    shifts = [s for w in problem.workers for s in w.shifts if problem.day_of(s.start_s) == day]
    return min(s.start_s for s in shifts), max(s.end_s for s in shifts)


def day_problem(problem: Problem, day: int, tasks: Sequence[Task],
                others: Sequence[RawRoute], held: frozenset[str]) -> DayProblem:
    """Day `day` of `problem` for `tasks`, given the fixed routes `others` of other days.

    `held` names the series whose sessions should keep one worker."""
    lo, hi = day_span(problem, day)
    later = [day_span(problem, d) for d in working_days(problem) if d > day]
    workers, shift_of = [], {}
    for worker in problem.workers:
        shifts, index = _shifts_left(problem, worker, day, others)
        shift_of.update({(worker.id, k): week_k for k, week_k in enumerate(index)})
        workers.append(shifts)
    placed = {task_id: (problem.day_of(start), r.worker_id)
              for r in others for task_id, _, start in r.visits}
    offered: list[Task] = []
    pinned: dict[str, str] = {}
    series_of = {t: s for s in problem.series for t in s.task_ids}
    for task in tasks:
        cut = cut_to(task, lo, hi)
        if cut is None:
            continue
        series = series_of.get(task.id)
        if series is not None:
            done = [placed[t] for t in series.task_ids if t in placed]
            if any(abs(day - d) < series.min_gap_days for d, _ in done):
                continue
            if series.id in held and done:
                pinned[task.id] = done[0][1]
        offered.append(cut)
    sub = dataclasses.replace(problem, workers=tuple(workers), tasks=tuple(offered),
                              series=_series_within(problem, {t.id for t in offered}))
    # A soft series gives up its worker rather than a session: pinned only where that
    # worker can do the session today. A required series is always pinned.
    pinned = {t: w for t, w in pinned.items()
              if series_of[t].continuity is Continuity.REQUIRED
              or any(can_serve(sub, sub.worker(w), sub.task(t), s) for s in sub.worker(w).shifts)}
    deferrable = frozenset(t.id for t in offered
                           if any(cut_to(problem.task(t.id), a, b) is not None for a, b in later))
    present = {s.id for s in sub.series}
    return DayProblem(sub, shift_of, pinned, deferrable,
                      frozenset(held & present))


def _shifts_left(problem: Problem, worker: Worker, day: int, others: Sequence[RawRoute]
                 ) -> tuple[Worker, list[int]]:
    """The worker with only `day`'s shifts, shortened by the rest around other days' routes,
    and the weekly limit less the time other days' routes take."""
    own = [r for r in others if r.worker_id == worker.id]
    rest = problem.rules.rest_s or 0
    shifts, index = [], []
    for k, shift in enumerate(worker.shifts):
        if problem.day_of(shift.start_s) != day:
            continue
        start, end = shift.start_s, shift.end_s
        for route in own:
            if route.end_s <= shift.start_s:
                start = max(start, route.end_s + rest)
            elif route.start_s >= shift.end_s:
                end = min(end, route.start_s - rest)
        if end > start:
            shifts.append(TimeWindow(start, end))
            index.append(k)
    week_left = None
    if worker.max_week_s is not None:
        week_left = worker.max_week_s - sum(r.end_s - r.start_s for r in own)
        if week_left <= 0:
            shifts, index, week_left = [], [], None
    return dataclasses.replace(worker, shifts=tuple(shifts), max_week_s=week_left), index


def cut_to(task: Task, lo: int, hi: int) -> Task | None:
    """The task with its windows cut to [lo, hi], or None if no window is left."""
    def within(windows: tuple[TimeWindow, ...], service: int) -> tuple[TimeWindow, ...]:
        return tuple(TimeWindow(max(w.start_s, lo), min(w.end_s, hi)) for w in windows
                     if min(w.end_s, hi) - max(w.start_s, lo) >= service)

    windows = within(task.windows, task.service_s)
    if not windows:
        return None
    ride = task.ride
    if ride is not None and ride.dropoff_windows:
        drop = within(ride.dropoff_windows, ride.alight_s)
        if not drop:
            return None
        ride = dataclasses.replace(ride, dropoff_windows=drop)
    try:
        return dataclasses.replace(task, windows=windows, ride=ride)
    except ProblemError:  # e.g. the drop-off window now closes before pickup opens
        return None


def _series_within(problem: Problem, task_ids: set[str]) -> tuple[Series, ...]:
    out = []
    for series in problem.series:
        kept = tuple(t for t in series.task_ids if t in task_ids)
        if kept:
            out.append(dataclasses.replace(series, task_ids=kept))
    return tuple(out)


def combined(routes: list[RawRoute], tasks: Sequence[Task], objective: int,
             status: str) -> RawSolution:
    served = {task_id for r in routes for task_id, _, _ in r.visits}
    return RawSolution(tuple(routes), tuple(t.id for t in tasks if t.id not in served),
                       objective, status)
