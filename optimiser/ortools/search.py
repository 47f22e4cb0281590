"""How a solve is split into routing models: days, series, priorities.

All budget splits between models live here (the phases inside one model's search are in
`optimiser.ortools.model_search`):
- several working days: `CONSTRUCTION_SHARE` of the time builds the plan day by day
  (`daywise`), the rest plans each day again with every left-out task offered;
- soft continuity on one day: `CONTINUITY_HELD_SHARE` of the budget with every series
  held to one worker, the rest with the series that lost a session freed;
- a one-day plan that leaves out a task outranking a served one: a rank-first pass of
  `PRIORITY_PASS_SHARE` twice (`priority_first`).
Stopping is by the clock, by `max_solutions`, by the stall limit, or by the cancel
signal, which every phase polls; a cancelled search keeps the best plan found so far.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from optimiser.kpi import rank_of
from optimiser.model import Continuity, Problem, StopAction, Task
from optimiser.ortools import daywise
from optimiser.ortools.model import RoutingProblem
from optimiser.ortools.model_search import ModelSearch
from optimiser.ortools.raw import RawRoute, RawSolution
from optimiser.ortools.watch import Watch
from optimiser.params import SolveParams
from optimiser.rules import gives_way

log = logging.getLogger(__name__)


CONTINUITY_HELD_SHARE = 0.6  # of the budget: soft series held to one worker
PRIORITY_PASS_SHARE = 0.15  # of the budget, each of the priority pass's two searches
MIN_POLISH_S = 0.05  # time left under which a plan the pass left alone is not polished
# Of the budget on several days: the first plan, day by day; the rest goes to planning
# each day again with every task left out offered.
CONSTRUCTION_SHARE = 0.6
# Of the budget, with balanced days: a plan without the goal first, the rest balancing it
# (`solve_balanced`). The balanced search is slower (no SISR steps, a dimension a kind):
# from nothing it served 4-5 fewer tasks of ~355 on the demo week at 30 s.
BALANCE_FREE_SHARE = 0.4


def solve_within_limit(problem: Problem, tasks: list[Task], params: SolveParams,
                       watch: Watch) -> RawSolution:
    """`solve_horizon`, then `priority_first`, ending within the time limit: on a one-day
    plan with tasks of several ranks and no solution budget, the main search gets the
    limit less the priority pass's two shares; when the pass is not needed, that time
    polishes the plan (a search from its routes). A solution budget is not split this
    way: the pass's searches take their shares of it on top, as ever. (At a 1 s limit
    the pass had run after the whole second: 1.4 s on 150-task Chełm days.)"""
    if problem.goals.balance and problem.goals.balance_weight:
        return solve_balanced(problem, tasks, params, watch)
    reserve = (params.max_solutions is None and len(daywise.working_days(problem)) < 2
               and len({gives_way(t) for t in tasks}) > 1)
    main = dataclasses.replace(params, time_limit_s=params.time_limit_s * (
        1 - 2 * PRIORITY_PASS_SHARE)) if reserve else params
    raw = solve_horizon(problem, tasks, main, watch)
    if watch.stop_requested():
        return raw
    ranked = priority_first(problem, tasks, raw, params, watch)
    left = params.time_limit_s - watch.elapsed_s()
    if ranked is not raw or not reserve or left < MIN_POLISH_S or watch.stop_requested():
        return ranked
    required = frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED)
    polished = solve_routing(problem, tasks, dataclasses.replace(params, time_limit_s=left),
                             watch, same_worker=required, initial=raw)
    return max((raw, polished), key=lambda c: _score(problem, list(c.routes)))


def solve_balanced(problem: Problem, tasks: list[Task], params: SolveParams, watch: Watch
                   ) -> RawSolution:
    """Balanced days that never cost served work: a plan without the goal first
    (`BALANCE_FREE_SHARE` of the budget), then the balanced search for the rest, on one
    day from that plan's routes (a search from given routes keeps as many tasks), on
    several days afresh; the balanced plan is kept unless it serves less by rank."""
    free_goals = dataclasses.replace(problem.goals, balance=None)
    free = solve_within_limit(dataclasses.replace(problem, goals=free_goals), tasks,
                              _share(params, BALANCE_FREE_SHARE), watch)
    if watch.stop_requested():
        return free
    rest = dataclasses.replace(_share(params, 1 - BALANCE_FREE_SHARE), time_limit_s=max(
        MIN_POLISH_S, params.time_limit_s - watch.elapsed_s()))
    if len(daywise.working_days(problem)) < 2:
        required = frozenset(s.id for s in problem.series
                             if s.continuity is Continuity.REQUIRED)
        balanced = solve_routing(problem, tasks, rest, watch, same_worker=required,
                                 initial=free)
    else:
        balanced = solve_horizon(problem, tasks, rest, watch)
    if _score(problem, list(balanced.routes))[:-1] < _score(problem, list(free.routes))[:-1]:
        log.info("balanced days: the balanced plan served less; the plan without it is kept")
        return free
    return balanced


def solve_horizon(problem: Problem, tasks: list[Task], params: SolveParams, watch: Watch
                  ) -> RawSolution:
    """Plan `tasks` over the problem's days.

    Several working days: a first plan built day by day (`construct_by_day`) for
    `CONSTRUCTION_SHARE` of the budget, then each day planned again with the other days
    fixed and every task left out offered (`repair_by_day`) for the time left. One day:
    `solve_with_continuity`. (The whole horizon is never searched as one model: OR-Tools
    could not start a search from given routes on models with breaks, and its insertion
    heuristics often placed nothing on a whole generated week.)"""
    days = daywise.working_days(problem)
    if len(days) < 2:
        return solve_with_continuity(problem, tasks, params, watch)
    deadline = time.monotonic() + params.time_limit_s
    first = construct_by_day(problem, tasks, _share(params, CONSTRUCTION_SHARE), watch, days)
    if watch.stop_requested() or not first.dropped:
        return first
    repair = dataclasses.replace(_share(params, 1 - CONSTRUCTION_SHARE),
                                 time_limit_s=max(0.1, deadline - time.monotonic()))
    return repair_by_day(problem, tasks, first, repair, watch, days)


def _kept_together(problem: Problem, solution: RawSolution) -> frozenset[str]:
    """Required series, and the soft ones that kept one worker in `solution`."""
    worker_of = {t: r.worker_id for r in solution.routes for t, _, _ in r.visits}
    return frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED
                     or (s.continuity is Continuity.SOFT
                         and len({worker_of[t] for t in s.task_ids if t in worker_of}) <= 1))


def repair_by_day(problem: Problem, tasks: list[Task], solution: RawSolution,
                  params: SolveParams, watch: Watch, days: list[int]) -> RawSolution:
    """Each day planned again, the other days fixed, with its own tasks and every task
    left out that the day could take; the new day replaces the old one if it serves more
    by priority (mandatory first), or as much with less travel. A task of higher
    priority may so push out lower ones that the first pass placed (priority repair)."""
    held = _kept_together(problem, solution)
    deadline = time.monotonic() + params.time_limit_s
    routes = list(solution.routes)
    for n, day in enumerate(days):
        served = {t for r in routes for t, _, _ in r.visits}
        dropped = {t.id for t in tasks} - served
        if not dropped or watch.stop_requested():
            break
        mine = [r for r in routes if daywise.day_of_route(problem, r) == day]
        others = [r for r in routes if daywise.day_of_route(problem, r) != day]
        own = {t for r in mine for t, _, _ in r.visits}
        part = daywise.day_problem(problem, day, [t for t in tasks if t.id in own | dropped],
                                   others, held)
        offered = {t.id for t in part.tasks}
        if not offered & dropped or not part.shift_of:
            continue
        rp = RoutingProblem(part.problem, part.tasks, part.same_worker, part.pinned)
        per_day = dataclasses.replace(
            _share(params, 1 / len(days)),
            time_limit_s=max(0.1, (deadline - time.monotonic()) / (len(days) - n)))
        raw = ModelSearch(rp, per_day, watch,
                          [t for t in tasks if t.id in served - own]).run(None)
        again = [part.to_week(r) for r in raw.routes]
        better = _score(problem, again) > _score(problem, mine)
        if better:
            routes = others + again
        log.info("repair of day %d: %d -> %d of %d offered tasks placed (%s)", day, len(own),
                 len(offered) - len(raw.dropped), len(offered),
                 "replaced" if better else "kept")
    return daywise.combined(routes, tasks, solution.objective, solution.status)


def _score(problem: Problem, routes: list[RawRoute]) -> tuple[int, ...]:
    """`optimiser.kpi.rank_of` the routes: the planner's one way of ranking plans."""
    served = [problem.task(t) for r in routes for t, a, _ in r.visits
              if a is not StopAction.DROPOFF]
    travel = 0
    for r in routes:
        worker = problem.worker(r.worker_id)
        places = [worker.start_location_id,
                  *(problem.task(t).leg(a)[0] for t, a, _ in r.visits), worker.end_location_id]
        travel += sum(problem.travel_s(a, b) for a, b in zip(places, places[1:], strict=False))
    return rank_of(served, travel)


def construct_by_day(problem: Problem, tasks: list[Task], params: SolveParams, watch: Watch,
                     days: list[int]) -> RawSolution:
    """Each day in order, searched with its own model, what earlier days did folded in."""
    held = frozenset(s.id for s in problem.series if s.continuity is not Continuity.NONE)
    deadline = time.monotonic() + params.time_limit_s
    routes: list[RawRoute] = []
    left, objective, status = list(tasks), 0, "NOT_RUN"
    for n, day in enumerate(days):
        if not left or watch.stop_requested():
            break
        # A day that stops early (stall limit) leaves its time to the days after it.
        per_day = dataclasses.replace(
            _share(params, 1 / len(days)),
            time_limit_s=max(0.1, (deadline - time.monotonic()) / (len(days) - n)))
        part = daywise.day_problem(problem, day, left, routes, held)
        if not part.tasks or not part.shift_of:  # nothing to do, or nobody left to do it
            continue
        rp = RoutingProblem(part.problem, part.tasks, part.same_worker, part.pinned,
                            part.deferrable)
        waiting = {t.id for t in left}
        raw = ModelSearch(rp, per_day, watch,
                          [t for t in tasks if t.id not in waiting]).run(None)
        routes += [part.to_week(r) for r in raw.routes]
        done = {t for r in raw.routes for t, _, _ in r.visits}
        left = [t for t in left if t.id not in done]
        objective, status = objective + raw.objective, raw.status
        log.info("day %d: %d of %d offered tasks placed, %d left", day, len(done),
                 len(part.tasks), len(left))
    return daywise.combined(routes, tasks, objective, status)


def solve_with_continuity(problem: Problem, tasks: list[Task], params: SolveParams,
                          watch: Watch) -> RawSolution:
    """Series keep one worker; a soft series gives that up only if it cost a session."""
    required = frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED)
    soft = frozenset(s.id for s in problem.series if s.continuity is Continuity.SOFT)
    if not soft:
        return solve_routing(problem, tasks, params, watch, same_worker=required)
    first = solve_routing(problem, tasks, _share(params, CONTINUITY_HELD_SHARE), watch,
                          same_worker=required | soft)
    if watch.stop_requested():
        return first
    dropped = set(first.dropped)
    freed = frozenset(s.id for s in problem.series
                      if s.id in soft and dropped.intersection(s.task_ids))
    log.info("continuity: %d soft series freed after the first phase", len(freed))
    return solve_routing(problem, tasks, _share(params, 1 - CONTINUITY_HELD_SHARE), watch,
                         same_worker=required | (soft - freed), initial=first)


def solve_routing(problem: Problem, tasks: list[Task], params: SolveParams, watch: Watch, *,
                  same_worker: frozenset[str] = frozenset(),
                  initial: RawSolution | None = None,
                  boosted: frozenset[str] = frozenset()) -> RawSolution:
    """Route `tasks`; the series in `same_worker` keep one worker for all sessions.

    `initial` (routes of an earlier solve of the same tasks) is where the search starts;
    `boosted` tasks cost as much to leave out as those of the next priority up."""
    rp = RoutingProblem(problem, tasks, same_worker, boosted=boosted)
    return ModelSearch(rp, params, watch).run(initial)


def priority_first(problem: Problem, tasks: list[Task], solution: RawSolution,
                   params: SolveParams, watch: Watch) -> RawSolution:
    """A one-day plan that leaves out tasks outranking one it serves, planned again
    rank first: the tasks of the lowest such rank and above alone (`PRIORITY_PASS_SHARE`
    of the budget), then every task from that plan, with those it served boosted (as much
    again). The best of the three plans by `optimiser.kpi.rank_of` is kept.

    A search improves a plan by one move at a time: a high-priority trip pair that needs
    the bus for the whole morning only goes in when two normal rides come out together,
    which no single move does (`../shared/examples/people/my_day.json`)."""
    served_ids = {t for r in solution.routes for t, _, _ in r.visits}
    left = [t for t in tasks if t.id not in served_ids]
    if not left or not served_ids or len(daywise.working_days(problem)) > 1:
        return solution  # (several days: repair_by_day trades by priority day by day)
    lowest_served = min(gives_way(t) for t in tasks if t.id in served_ids)
    outranking = [gives_way(t) for t in left if gives_way(t) > lowest_served]
    if not outranking:
        return solution
    top = min(outranking)  # every task left out for a lower one is of this rank or higher
    required = frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED)
    # A client is in one place at a time: a served task of a client's that ranks below one
    # of theirs left out may be what holds them (a normal ride away all afternoon against
    # a high visit at home), so the rank-first plan goes without it.
    rank = {t.id: gives_way(t) for t in tasks}
    holding = {t.id for t in tasks if t.id in served_ids and t.client_id is not None and any(
        o.client_id == t.client_id and rank[o.id] > rank[t.id] for o in left)}
    first = [t for t in tasks if rank[t.id] >= top and t.id not in holding]
    share = _share(params, PRIORITY_PASS_SHARE)
    ranked = solve_routing(problem, first, share, watch, same_worker=required)
    if watch.stop_requested():
        return solution
    kept = frozenset(t for r in ranked.routes for t, _, _ in r.visits)
    start = daywise.combined(list(ranked.routes), tasks, ranked.objective, ranked.status)
    whole = solve_routing(problem, tasks, share, watch, same_worker=required, initial=start,
                          boosted=kept)
    candidates = [solution, start, whole]
    best = max(candidates, key=lambda c: _score(problem, list(c.routes)))
    log.info("priority pass: %s", "kept the plan" if best is solution else
             "a plan serving more of the higher priorities")
    return best


def _share(params: SolveParams, fraction: float) -> SolveParams:
    limit = params.max_solutions
    return dataclasses.replace(
        params, time_limit_s=params.time_limit_s * fraction,
        max_solutions=None if limit is None else max(1, int(limit * fraction)))
