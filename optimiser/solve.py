"""`solve(problem, params=..., on_progress=..., cancel=...) -> Plan`: the one entry point.

Tasks nobody could do even alone are reported straight away; the rest go to
the routing search (`optimiser.ortools.search`). The routes are rebuilt from
the search's sequence and start times, every dropped task gets a reason, and
the plan must pass the independent checker before it is returned, with the
run's statistics (time, solutions, improvements, cancelled or not). A promised task the
search left out is put back where its promise still fits (`optimiser.offers.rescue`).
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Collection

from optimiser.breaks import with_breaks_placed
from optimiser.check import PlanRejected, check
from optimiser.exchange import exchange_by_priority
from optimiser.model import (
    Break,
    Plan,
    Problem,
    Reason,
    Route,
    RunStats,
    Stop,
    StopAction,
    Task,
    Unassigned,
)
from optimiser.offers.rescue import keep_promises
from optimiser.ortools.raw import RawRoute
from optimiser.ortools.search import solve_within_limit
from optimiser.ortools.watch import Watch
from optimiser.parallel import solve_side_by_side
from optimiser.params import CancelSignal, ProgressCallback, SolveParams
from optimiser.reasons import diagnose_alone, lost_to_others, sessions_beyond_spacing

log = logging.getLogger(__name__)


def solve(problem: Problem, *, params: SolveParams | None = None,
          on_progress: ProgressCallback | None = None,
          cancel: CancelSignal | None = None) -> Plan:
    """Plan `problem`. `on_progress` hears of every improvement; when `cancel.is_set()`
    becomes true the search stops soon after and the best plan so far comes back."""
    params = params or SolveParams()
    if params.searches > 1 and problem.tasks:
        return solve_side_by_side(problem, params, solve, on_progress, cancel)
    watch = Watch(len(problem.tasks), on_progress, cancel, params.stall_solutions)
    hopeless = {t.id: reason for t in problem.tasks
                if (reason := diagnose_alone(problem, t)) is not None}
    hopeless |= {t.id: Reason.TRIP_PAIR for t in problem.tasks
                 if t.id not in hopeless and pair_of(problem, t) in hopeless}
    candidates = [t for t in problem.tasks if t.id not in hopeless]
    if params.seed:
        random.Random(params.seed).shuffle(candidates)
    has_shifts = any(w.shifts for w in problem.workers)
    if candidates and has_shifts:
        raw = solve_within_limit(problem, candidates, params, watch)
        routes = tuple(route_of(problem, r) for r in raw.routes)
        dropped, objective, status = raw.dropped, raw.objective, raw.status
    else:
        routes, dropped, objective, status = (), tuple(t.id for t in candidates), 0, "NOT_RUN"
    partial = Plan(routes=routes, unassigned=(), objective=objective, solver_status=status)
    if dropped and not watch.cancelled:
        partial, left = exchange_by_priority(problem, partial, list(dropped))
        routes, dropped = partial.routes, tuple(left)
    unassigned = [Unassigned(t.id, hopeless[t.id], _pair_detail(problem, t, hopeless))
                  for t in problem.tasks if t.id in hopeless]
    beyond_spacing = sessions_beyond_spacing(problem)
    for task_id in dropped:
        if task_id in beyond_spacing:
            unassigned.append(Unassigned(task_id, Reason.SERIES_SPACING, beyond_spacing[task_id]))
            continue
        unassigned.append(lost_to_others(problem, partial, problem.task(task_id)))
    warnings = []
    if candidates and not any(r.stops for r in routes) and not watch.cancelled:
        warnings.append(f"NOTHING PLANNED: {len(candidates)} task(s) could each be served "
                        "on their own, but the search placed none. This is a fault of the "
                        "planner, not of the data: do not use this plan; plan again with a "
                        "longer time limit and report it.")
        log.error(warnings[-1])
    stats = RunStats(time_s=round(watch.elapsed_s(), 3), solutions=watch.solutions,
                     improvements=tuple(watch.improvements), cancelled=watch.cancelled,
                     warnings=tuple(warnings))
    plan = Plan(routes=routes, unassigned=tuple(unassigned), objective=objective,
                solver_status=status, stats=stats)
    tight = dataclasses.replace(plan, routes=tuple(tightened(problem, r) for r in routes))
    for candidate in (tight, plan):
        if all(v.rule in REPAIRABLE and v.tasks
               for v in check(problem, candidate, promises=False)):
            return keep_promises(problem, with_breaks_placed(problem, repaired(problem,
                                                                               candidate)))
    raise PlanRejected(check(problem, plan, promises=False))


def pair_of(problem: Problem, task: Task) -> str | None:
    """The other half of a trip pair (an outbound and its return), or None."""
    if task.ride is None:
        return None
    if task.ride.return_of is not None:
        return task.ride.return_of
    return next((t.id for t in problem.tasks
                 if t.ride is not None and t.ride.return_of == task.id), None)


def _pair_detail(problem: Problem, task: Task, hopeless: dict[str, Reason]) -> str:
    other = pair_of(problem, task)
    if hopeless[task.id] is not Reason.TRIP_PAIR or other is None:
        return ""
    return f"{other}: {hopeless[other].value}"


# Rules that span routes or stops: OR-Tools enforces them only as far as its bounds
# propagation reaches, so a plan may come back breaking one. Removing a task can mend it.
REPAIRABLE = frozenset({"working_time", "rest", "series_spacing", "continuity", "return_trip",
                        "ride_time", "vehicle_in_use", "client_elsewhere", "trip_pair"})
# The reason a task taken out for a rule is given, where one names the rule better.
REPAIR_REASON = {"trip_pair": Reason.TRIP_PAIR, "client_elsewhere": Reason.CLIENT_ELSEWHERE}


def repaired(problem: Problem, plan: Plan) -> Plan:
    """Drop the least important task named by a cross-route violation until the plan passes.

    Anything else the checker finds is a solver bug and is raised, never written out."""
    for _ in range(len(problem.tasks) + 1):
        violations = check(problem, plan, promises=False)
        if not violations:
            return plan
        fixable = [v for v in violations if v.rule in REPAIRABLE and v.tasks]
        if len(fixable) < len(violations):
            raise PlanRejected(violations)
        victim = min(fixable[0].tasks, key=lambda t: (  # a promised task last of all
            problem.task(t).promise is not None, problem.task(t).mandatory,
            problem.task(t).priority, -problem.task(t).service_s))
        log.warning("removing task %s to respect the %s rule: %s", victim, fixable[0].rule,
                    fixable[0].message)
        routes = [route_without(problem, r, {victim}) for r in plan.routes]
        plan = dataclasses.replace(
            plan, routes=tuple(tightened(problem, r) for r in routes if r.stops),
            unassigned=(*plan.unassigned, Unassigned(
                victim, REPAIR_REASON.get(fixable[0].rule, Reason.CAPACITY_EXHAUSTED),
                f"removed to respect the {fixable[0].rule} rule")))
    raise PlanRejected(check(problem, plan, promises=False))


def route_without(problem: Problem, route: Route, gone: Collection[str]) -> Route:
    """The route minus the stops of the tasks `gone`, re-timed like a fresh solver route
    (the route itself when it has none of them)."""
    if all(s.task_id not in gone for s in route.stops):
        return route
    raw = RawRoute(route.worker_id, route.shift_index, route.start_s, route.end_s,
                   tuple((s.task_id, s.action, s.start_s) for s in route.stops
                         if s.task_id not in gone),
                   tuple((b.start_s, b.end_s) for b in route.breaks))
    return route_of(problem, raw)


def plan_without(problem: Problem, plan: Plan, gone: Collection[str]) -> Plan:
    """`plan` with the tasks `gone` neither served nor reported (a request taken out of
    a plan, to be asked for again)."""
    routes = (route_without(problem, r, gone) for r in plan.routes)
    return dataclasses.replace(plan, routes=tuple(r for r in routes if r.stops),
                               unassigned=tuple(u for u in plan.unassigned
                                                if u.task_id not in gone))


def tightened(problem: Problem, route: Route) -> Route:
    """The same stops at the latest times that still end the route as early as possible.

    OR-Tools reports each time at the lower bound its propagation found, which can leave
    idle time at the start that a limit spanning several routes (the day's contract hours,
    the rest before the next day) does not allow. For a route of visits and jobs without
    breaks this re-times it to its shortest span; other routes keep the solver's times.
    """
    if route.breaks or any(s.action is not StopAction.SERVE for s in route.stops):
        return route
    worker = problem.worker(route.worker_id)
    tasks = [problem.task(s.task_id) for s in route.stops]
    places = [worker.start_location_id, *(t.location_id for t in tasks),
              worker.end_location_id]
    legs = [problem.travel_s(a, b) for a, b in zip(places, places[1:], strict=False)]
    earliest_end = route.stops[-1].end_s + legs[-1]
    latest: list[int] = []
    bound = earliest_end - legs[-1]
    for task, leg in zip(reversed(tasks), reversed(legs[:-1]), strict=True):
        starts = [min(w.end_s, bound) - task.service_s for w in task.windows
                  if min(w.end_s, bound) - task.service_s >= w.start_s]
        if not starts:
            return route
        latest.append(max(starts))
        bound = latest[-1] - leg
    latest.reverse()
    stops: list[Stop] = []
    for stop, start, task, leg in zip(route.stops, latest, tasks, legs, strict=False):
        arrival = start if not stops else stops[-1].end_s + leg
        stops.append(dataclasses.replace(stop, arrival_s=arrival, start_s=start,
                                         end_s=start + task.service_s))
    return dataclasses.replace(route, start_s=latest[0] - legs[0], end_s=earliest_end,
                               stops=tuple(stops))


def route_of(problem: Problem, raw: RawRoute) -> Route:
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
