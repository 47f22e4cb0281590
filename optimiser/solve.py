"""`solve(problem, params=...) -> Plan`: the one entry point to planning.

Tasks nobody could do even alone are reported straight away; the rest go to
the routing search. The routes are rebuilt from the search's sequence and
start times, every dropped task gets a reason, and the plan must pass the
independent checker before it is returned.
"""

from __future__ import annotations

import dataclasses
import logging
import random

from optimiser._ortools import RawRoute, RawSolution, solve_routing
from optimiser.check import PlanRejected, check
from optimiser.model import (
    Break,
    Continuity,
    Plan,
    Problem,
    Reason,
    Route,
    Stop,
    Task,
    Unassigned,
)
from optimiser.params import SolveParams
from optimiser.reasons import diagnose_alone, lost_to, sessions_beyond_spacing

log = logging.getLogger(__name__)


def solve(problem: Problem, *, params: SolveParams | None = None) -> Plan:
    params = params or SolveParams()
    hopeless = {t.id: reason for t in problem.tasks
                if (reason := diagnose_alone(problem, t)) is not None}
    candidates = [t for t in problem.tasks if t.id not in hopeless]
    if params.seed:
        random.Random(params.seed).shuffle(candidates)
    has_shifts = any(w.shifts for w in problem.workers)
    if candidates and has_shifts:
        raw = _solve_with_continuity(problem, candidates, params)
        routes = tuple(_route(problem, r) for r in raw.routes)
        dropped, objective, status = raw.dropped, raw.objective, raw.status
    else:
        routes, dropped, objective, status = (), tuple(t.id for t in candidates), 0, "NOT_RUN"
    partial = Plan(routes=routes, unassigned=(), objective=objective, solver_status=status)
    unassigned = [Unassigned(t.id, hopeless[t.id]) for t in problem.tasks if t.id in hopeless]
    beyond_spacing = sessions_beyond_spacing(problem)
    for task_id in dropped:
        if task_id in beyond_spacing:
            unassigned.append(Unassigned(task_id, Reason.SERIES_SPACING, beyond_spacing[task_id]))
            continue
        task = problem.task(task_id)
        others = lost_to(problem, partial, task)
        detail = f"lost to {', '.join(others)}" if others else ""
        unassigned.append(Unassigned(task_id, Reason.CAPACITY_EXHAUSTED, detail))
    plan = Plan(routes=routes, unassigned=tuple(unassigned), objective=objective,
                solver_status=status)
    violations = check(problem, plan)
    if violations:
        raise PlanRejected(violations)
    return plan


def _solve_with_continuity(problem: Problem, tasks: list[Task], params: SolveParams
                           ) -> RawSolution:
    """Series keep one worker; a soft series gives that up only if it cost a session.

    First every soft or required series is held to one worker (60 % of the budget); then
    the soft series that lost a session are freed and the search goes on from there."""
    required = frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED)
    soft = frozenset(s.id for s in problem.series if s.continuity is Continuity.SOFT)
    if not soft:
        return solve_routing(problem, tasks, params, same_worker=required)
    first = solve_routing(problem, tasks, _share(params, 0.6), same_worker=required | soft)
    dropped = set(first.dropped)
    freed = frozenset(s.id for s in problem.series
                      if s.id in soft and dropped.intersection(s.task_ids))
    log.info("continuity: %d soft series freed after the first phase", len(freed))
    return solve_routing(problem, tasks, _share(params, 0.4),
                         same_worker=required | (soft - freed), initial=first)


def _share(params: SolveParams, fraction: float) -> SolveParams:
    limit = params.max_solutions
    return dataclasses.replace(
        params, time_limit_s=params.time_limit_s * fraction,
        max_solutions=None if limit is None else max(1, int(limit * fraction)))


def _route(problem: Problem, raw: RawRoute) -> Route:
    """Arrival times are re-derived: take the breaks due before the next task, then drive."""
    worker = problem.worker(raw.worker_id)
    place, free_from = worker.start_location_id, raw.start_s
    stops = []
    for task_id, action, start_s in raw.visits:
        location, service_s, _ = problem.task(task_id).leg(action)
        paused = sum(b - a for a, b in raw.breaks if free_from <= a and b <= start_s)
        arrival = free_from + paused + problem.travel_s(place, location)
        stops.append(Stop(task_id, location, arrival, start_s, start_s + service_s, action))
        place, free_from = location, start_s + service_s
    # Leave as late and come back as early as the stops allow, unless a break sits in between:
    # idle time at the base is not working time.
    start_s, end_s = raw.start_s, raw.end_s
    if stops and not any(b <= stops[0].start_s for _, b in raw.breaks):
        first = stops[0]
        start_s = first.start_s - (first.arrival_s - raw.start_s)  # minus the drive there
        stops[0] = dataclasses.replace(first, arrival_s=first.start_s)
    if stops and not any(a >= stops[-1].end_s for a, _ in raw.breaks):
        end_s = stops[-1].end_s + problem.travel_s(place, worker.end_location_id)
    return Route(
        worker_id=raw.worker_id, shift_index=raw.shift_index, start_s=start_s, end_s=end_s,
        stops=tuple(stops), breaks=tuple(Break(a, b) for a, b in raw.breaks),
    )
