"""How a routing model is searched: days, first plans, GLS, SISR, repair, restart.

All budget splits live here:
- several working days: `CONSTRUCTION_SHARE` of the time builds the plan day by day
  (`daywise`), the rest plans each day again with every left-out task offered;
- a model SISR does not take (bus trips with returns or wheelchairs, contract limits,
  rest, series, several breaks a shift: the days of a week, the demo day): the best of
  `FIRST_SOLUTION_PORTFOLIO`, each heuristic capped in work, improved by GLS;
- problems SISR takes (see `sisr_bridge`: a one-day plan of visits and jobs, Solomon,
  plain dial-a-ride): GLS for `SISR_GLS_SHARE` of the time, SISR until
  `SISR_POLISH_SHARE` is left, then GLS again from SISR's routes, which also re-checks
  every constraint;
- soft continuity on one day: `CONTINUITY_HELD_SHARE` of the budget with every series
  held to one worker, the rest with the series that lost a session freed;
- a first solution that places nothing is followed by a restart from an empty plan
  for the time left.
Stopping is by the clock, by `max_solutions`, by the stall limit, or by the cancel
signal, which every phase polls; a cancelled search keeps the best plan found so far.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from optimiser.kpi import rank_of
from optimiser.model import Continuity, Problem, StopAction, Task
from optimiser.ortools import daywise, sisr_bridge
from optimiser.ortools.model import (
    RawRoute,
    RawSolution,
    RoutingProblem,
    status_name,
)
from optimiser.params import (
    CancelSignal,
    FirstSolution,
    Progress,
    ProgressCallback,
    SolveParams,
)

log = logging.getLogger(__name__)

SISR_GLS_SHARE = 0.15  # of the time limit: GLS before SISR takes over
SISR_POLISH_SHARE = 0.10  # of the time limit: GLS after SISR, re-checking every constraint
CONTINUITY_HELD_SHARE = 0.6  # of the budget: soft series held to one worker
PRIORITY_PASS_SHARE = 0.15  # of the budget, each of the priority pass's two searches
# Of the budget on several days: the first plan, day by day; the rest goes to planning
# each day again with every task left out offered.
CONSTRUCTION_SHARE = 0.6
# With a solution budget, SISR may run this many ruin-and-recreate steps per solution, and
# the stall limit counts as many per solution: a compiled step costs far less than a GLS
# solution (15-50 thousand steps a second on 80-150-task days against some hundreds of
# GLS solutions). At 20, a stall limit of 500 stopped SISR after 0.6 s of a 10 s day.
SISR_ITERATIONS_PER_SOLUTION = 200
CANCEL_POLL_EVERY = 1000  # OR-Tools asks its limits very often: look at the signal 1 in N
# Tuned on Solomon (benchmarks/solomon.py): a stronger GLS penalty and no insertion-LNS
# operators took the 13-instance subset from 3.7 % to 2.6 % mean gap at 10 s and doubled
# the accepted solutions per second. With trips (pickup and drop-off pairs) the default
# penalty did better on Cordeau a6-60 (1.3 % vs 4.5 %).
GLS_LAMBDA = 0.3
GLS_LAMBDA_TRIPS = 0.1
SLOW_LNS_OPERATORS = (
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
)
# Moves that put a left-out task in and take another out (priority repair inside the
# search), off by default in OR-Tools; on for every model that SISR does not take, and
# for those it takes that have priorities to trade (the benchmark instances have none).
PRIORITY_EXCHANGE_OPERATORS = ("use_extended_swap_active", "use_relocate_and_make_active",
                               "use_exchange_and_make_active")
# ... but not when re-planning from given routes: exchange-and-make-active (two served
# stops exchanged and a left-out one put in, cubic) took 4/5 of the descent's time; without
# it 15 events of benchmarks.replan re-planned in 1.13 s median instead of 1.92 s. The
# other two still put a left-out (urgent) task in for a served one: in its place
# (extended swap active) or with a stop moved aside (relocate and make active).
REPLAN_OFF_OPERATORS = ("use_exchange_and_make_active",)
# The first plans of the SISR paths: parallel cheapest insertion for plain routing (tuned
# on Solomon), local cheapest insertion for plain pairs (Cordeau's DARP set). Every other
# model takes the best of FIRST_SOLUTION_PORTFOLIO.
FIRST_SOLUTION_PLAIN = FirstSolution.PARALLEL_CHEAPEST_INSERTION
FIRST_SOLUTION_PAIRS = FirstSolution.LOCAL_CHEAPEST_INSERTION
# Rich models try these in turn and keep the best first plan; each is stopped after
# FIRST_SOLUTION_POLLS_PER_NODE_VEHICLE x nodes x vehicles checks of the search limit (a
# count, so a stopped attempt is stopped at the same point on any machine). On days of
# generated weeks (~160 tasks, 10 shifts) a heuristic that works asked 500-900 times, one
# that struggled ~445 000 times over 11-13 s, and each struggled on some day while another
# did not; on a 150-task Chełm day with 16 shifts sequential insertion asked 12 000 times.
FIRST_SOLUTION_PORTFOLIO = (FirstSolution.SEQUENTIAL_CHEAPEST_INSERTION,
                            FirstSolution.PARALLEL_CHEAPEST_INSERTION, FirstSolution.SAVINGS,
                            FirstSolution.LOCAL_CHEAPEST_INSERTION)
FIRST_SOLUTION_POLLS_PER_NODE_VEHICLE = 10


@dataclass
class Watch:
    """Counts solutions, records each improvement, reports progress, polls the cancel signal.

    One watch follows a whole solve, across every model and phase."""

    tasks: int
    on_progress: ProgressCallback | None = None
    cancel: CancelSignal | None = None
    stall_solutions: int | None = None
    started: float = field(default_factory=time.monotonic)
    solutions: int = 0
    improvements: list[tuple[float, int, int]] = field(default_factory=list)
    cancelled: bool = False
    _polls: int = 0
    _monitors: list[object] = field(default_factory=list)  # keep SWIG monitors alive
    _offset: int = 0  # tasks placed by earlier models (earlier days)
    _best: int | None = None  # best objective of the model being searched
    _poll_limit: int | None = None
    _model_solutions: int = 0  # solutions of the model being searched
    _best_at: int = 0  # ... when its best was found

    @property
    def polls(self) -> int:
        return self._polls

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def stop_requested(self) -> bool:
        if not self.cancelled and self.cancel is not None and self.cancel.is_set():
            log.info("solve cancelled after %.1f s", self.elapsed_s())
            self.cancelled = True
        return self.cancelled

    @contextlib.contextmanager
    def capped(self, polls: int) -> Iterator[None]:
        """Within the block, a search that has found no solution yet stops after `polls`
        more checks of its limit; the first solution lifts the cap."""
        self._poll_limit = self._polls + polls
        try:
            yield
        finally:
            self._poll_limit = None

    def attach(self, rp: RoutingProblem, served_offset: int, *, sisr: bool) -> None:
        """Follow the search of `rp`; `served_offset` tasks were placed by earlier models.

        The limit (cancel, first-solution cap, stall) is a Python call at every node of the
        search; models SISR takes (`sisr`: plain routing, plain pairs) get it only for a
        cancel signal or a stall limit: their GLS phases are short, and the literature
        benchmarks, which measure their throughput, set no stall limit."""
        self._offset, self._best = served_offset, None
        self._model_solutions = self._best_at = 0
        routing = rp.routing
        routing.AddAtSolutionCallback(lambda: self._at_solution(rp))
        if self.cancel is None and self.stall_solutions is None and sisr:
            return
        limit = routing.solver().CustomLimit(self._limit_reached)
        self._monitors.append(limit)
        routing.AddSearchMonitor(limit)

    def new_phase(self) -> None:
        """The stall limit counts afresh: a search continued from a given plan (after SISR,
        or from the best first plan) is a phase of its own."""
        self._model_solutions = self._best_at = 0

    def _limit_reached(self) -> bool:
        self._polls += 1
        if self._poll_limit is not None and self._polls >= self._poll_limit:
            return True
        if self.stall_solutions is not None and self._model_solutions - self._best_at > max(
                self.stall_solutions, self._best_at):
            return True
        return self.cancelled or (self._polls % CANCEL_POLL_EVERY == 0
                                  and self.stop_requested())

    def _at_solution(self, rp: RoutingProblem) -> None:
        self.solutions += 1
        self._model_solutions += 1
        self._poll_limit = None
        objective = rp.routing.CostVar().Value()
        if self._best is not None and objective >= self._best:
            return
        self._best, self._best_at = objective, self._model_solutions
        served = self._offset + rp.served_now()
        self.improvements.append((round(self.elapsed_s(), 3), objective, served))
        if self.on_progress is not None:
            self.on_progress(Progress(self.elapsed_s(), objective, served, self.tasks))


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
        raw = _Search(rp, per_day, watch, served_offset=len(served) - len(own)).run(None)
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
        raw = _Search(rp, per_day, watch, served_offset=len(tasks) - len(left)).run(None)
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
    return _Search(rp, params, watch).run(initial)


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
    lowest_served = min((t.mandatory, t.priority) for t in tasks if t.id in served_ids)
    outranking = [(t.mandatory, t.priority) for t in left
                  if (t.mandatory, t.priority) > lowest_served]
    if not outranking:
        return solution
    top = min(outranking)  # every task left out for a lower one is of this rank or higher
    required = frozenset(s.id for s in problem.series if s.continuity is Continuity.REQUIRED)
    # A client is in one place at a time: a served task of a client's that ranks below one
    # of theirs left out may be what holds them (a normal ride away all afternoon against
    # a high visit at home), so the rank-first plan goes without it.
    rank = {t.id: (t.mandatory, t.priority) for t in tasks}
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


class _Search:
    """The search of one model; `served_offset` tasks were placed by earlier models."""

    def __init__(self, rp: RoutingProblem, params: SolveParams, watch: Watch,
                 served_offset: int = 0, *, polled: bool = True) -> None:
        self.rp, self.params, self.watch = rp, params, watch
        self.started = time.monotonic()
        self.plain = sisr_bridge.is_plain(rp)
        self.plain_pairs = not self.plain and sisr_bridge.is_plain_pairs(rp)
        watch.attach(rp, served_offset,
                     sisr=self.plain or self.plain_pairs or not polled)

    def parameters(self) -> pywrapcp.DefaultRoutingSearchParameters:
        p = pywrapcp.DefaultRoutingSearchParameters()
        first = self.params.first_solution or (
            FIRST_SOLUTION_PLAIN if self.plain else FIRST_SOLUTION_PAIRS)
        p.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first)
        p.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, self.params.metaheuristic)
        has_trips = any(n.task.ride is not None for n in self.rp.nodes)
        p.guided_local_search_lambda_coefficient = GLS_LAMBDA_TRIPS if has_trips else GLS_LAMBDA
        for name in SLOW_LNS_OPERATORS:
            setattr(p.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
        ranks = {(n.task.mandatory, n.task.priority) for n in self.rp.nodes}
        if not (self.plain or self.plain_pairs) or len(ranks) > 1:
            for name in PRIORITY_EXCHANGE_OPERATORS:
                setattr(p.local_search_operators, name, optional_boolean_pb2.BOOL_TRUE)
        self._set_time(p, self.params.time_limit_s)
        if self.params.max_solutions is not None:
            p.solution_limit = self.params.max_solutions
        return p

    def _left_s(self) -> float:
        return self.started + self.params.time_limit_s - time.monotonic()

    @staticmethod
    def _set_time(p: pywrapcp.DefaultRoutingSearchParameters, seconds: float,
                  floor_ms: int = 1) -> None:
        p.time_limit.FromMilliseconds(max(floor_ms, int(seconds * 1000)))

    def run(self, initial: RawSolution | None) -> RawSolution:
        rp, routing = self.rp, self.rp.routing
        parameters = self.parameters()
        pairs = initial is None and self.plain_pairs
        phased = initial is None and (pairs or self.plain)
        if phased:  # GLS for a first good plan, SISR for most of the time, GLS to polish
            self._set_time(parameters, self.params.time_limit_s * SISR_GLS_SHARE)
        if initial is not None:
            return self._run_from(initial, parameters)
        if phased:
            solution = routing.SolveWithParameters(parameters)
            if solution is not None and not self.watch.stop_requested():
                solution = self._improve_with_sisr(solution, pairs=pairs)
        else:
            solution = self._portfolio_search(parameters)
        if (rp.tasks and (solution is None or not rp.served(solution))
                and not self.watch.stop_requested()):
            # Insertion heuristics cannot see constraints that span routes (a weekly limit,
            # rest between days) and may give up with nothing placed; starting from an empty
            # plan lets the local search insert task by task under full propagation.
            log.info("first solution placed nothing; restarting from an empty plan")
            parameters.first_solution_strategy = (
                routing_enums_pb2.FirstSolutionStrategy.ALL_UNPERFORMED)
            self._set_time(parameters, self._left_s(), floor_ms=100)
            retry = routing.SolveWithParameters(parameters)
            solution = retry if retry is not None else solution
        status = "CANCELLED" if self.watch.cancelled else status_name(routing.status())
        if solution is None:
            log.warning("OR-Tools found no solution (%s); every task is dropped", status)
            return RawSolution((), tuple(t.id for t in rp.tasks), 0, status)
        return rp.read(solution, status)

    def _portfolio_search(self, parameters: pywrapcp.DefaultRoutingSearchParameters
                          ) -> pywrapcp.Assignment | None:
        """GLS from the best first plan of the portfolio's insertion heuristics.

        Each heuristic is tried alone, capped in work; GLS continues from the best plan
        (a whole assignment: OR-Tools restores it, breaks included). Where it cannot (a
        shift with several breaks: a distance rule it does not restore), the chosen
        heuristic is run again with the local search in one solve. (Stopping at the first
        heuristic that serves a task saved time on 150-task days but served one task
        fewer on the demo day at 10 s; so did the insertion LNS operators.)"""
        strategies = ((self.params.first_solution,) if self.params.first_solution
                      else FIRST_SOLUTION_PORTFOLIO)
        cap = FIRST_SOLUTION_POLLS_PER_NODE_VEHICLE * len(self.rp.nodes) * len(self.rp.shifts)
        best, chosen = None, strategies[0]
        for strategy in strategies:
            if self.watch.stop_requested():
                break
            found = self._solve(parameters, strategy, cap, solution_limit=1)
            if found is not None and (best is None
                                      or found.ObjectiveValue() < best.ObjectiveValue()):
                best, chosen = self.rp.routing.solver().Assignment(found), strategy
        if best is None or self.watch.stop_requested():
            return best
        more = self._gls_from(best)
        if more is None:
            more = self._solve(parameters, chosen, cap)
        served = self.rp.served
        return more if more is not None and served(more) >= served(best) else best

    def _solve(self, parameters: pywrapcp.DefaultRoutingSearchParameters,
               strategy: FirstSolution, cap: int, solution_limit: int | None = None
               ) -> pywrapcp.Assignment | None:
        """One solve with `strategy`; the first solution is cut off after `cap` polls."""
        one = pywrapcp.DefaultRoutingSearchParameters()
        one.CopyFrom(parameters)
        one.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
        if solution_limit is not None:
            one.solution_limit = solution_limit
        self._set_time(one, self._left_s(), floor_ms=10)
        polls = self.watch.polls
        with self.watch.capped(cap):
            found = self.rp.routing.SolveWithParameters(one)
        log.debug("%s%s: %s after %d polls", strategy, " alone" if solution_limit else "",
                  "none" if found is None else f"objective {found.ObjectiveValue()}",
                  self.watch.polls - polls)
        return found

    def _run_from(self, initial: RawSolution,
                  parameters: pywrapcp.DefaultRoutingSearchParameters) -> RawSolution:
        """Search from the routes of an earlier solve; keep them if the search loses tasks."""
        rp, routing = self.rp, self.rp.routing
        routing.CloseModelWithParameters(parameters)
        vehicle = {(w.id, k): v for v, (w, k) in enumerate(rp.shifts)}
        routes: list[list[int]] = [[] for _ in rp.shifts]
        for raw in initial.routes:
            routes[vehicle[(raw.worker_id, raw.shift_index)]] = [
                rp.index(task_id, action) for task_id, action, _ in raw.visits]
        start = rp.assignment(routes)
        found = None if start is None else routing.SolveFromAssignmentWithParameters(
            start, parameters)
        before = len(rp.tasks) - len(initial.dropped)
        if found is None or rp.served(found) < before:
            log.warning("the search from the earlier routes found no plan serving as many "
                        "tasks (%s); keeping them", status_name(routing.status()))
            return initial
        status = "CANCELLED" if self.watch.cancelled else status_name(routing.status())
        return rp.read(found, status)

    def _improve_with_sisr(self, solution: pywrapcp.Assignment, *, pairs: bool
                           ) -> pywrapcp.Assignment:
        solution = self.rp.routing.solver().Assignment(solution)  # later solves reuse it
        limit = self.params.max_solutions
        improved = sisr_bridge.improved_routes(
            self.rp, solution, pairs=pairs,
            deadline=self.started + self.params.time_limit_s * (1 - SISR_POLISH_SHARE),
            seed=self.params.seed,
            max_iterations=None if limit is None else limit * SISR_ITERATIONS_PER_SOLUTION,
            stop=self.watch.stop_requested,
            stall=None if self.params.stall_solutions is None
            else self.params.stall_solutions * SISR_ITERATIONS_PER_SOLUTION)
        if improved is None:  # costs SISR does not model, or a route it finds infeasible
            return self._continue_gls(solution)
        return self._polish(solution, improved)

    def _polish(self, best: pywrapcp.Assignment, improved: list[list[int]]
                ) -> pywrapcp.Assignment:
        """GLS from the SISR routes for the time left; OR-Tools re-checks every constraint.

        A GLS that finds no solution in the time left (a large dial-a-ride day) still has
        the SISR routes read back with every constraint propagated, or else `best`."""
        routing = self.rp.routing
        start = self.rp.assignment(improved)
        # A SISR stopped by its stall limit leaves the polish its share, not the time left:
        # GLS counts too few solutions for the stall limit to stop it.
        share = (None if self.params.max_solutions is not None
                 else self.params.time_limit_s * SISR_POLISH_SHARE)
        result = None if start is None else self._gls_from(start, share)
        if result is None and not self.watch.stop_requested():
            result = routing.ReadAssignmentFromRoutes(improved, True)
            log.info("polish found no solution; SISR's routes read back: %s",
                     "feasible" if result is not None else "rejected")
        if (result is not None and self.rp.served(result) >= self.rp.served(best)
                and result.ObjectiveValue() <= best.ObjectiveValue()):
            return result
        return best

    def _continue_gls(self, start: pywrapcp.Assignment) -> pywrapcp.Assignment:
        """GLS from `start` (a whole assignment) for the time left; `start` is kept if the
        search finds nothing serving as many tasks."""
        more = self._gls_from(start)
        served = self.rp.served
        return more if more is not None and served(more) >= served(start) else start

    def _gls_from(self, start: pywrapcp.Assignment, seconds: float | None = None
                  ) -> pywrapcp.Assignment | None:
        """GLS from `start` for the time left, or at most `seconds`."""
        self.watch.new_phase()
        rest = self.parameters()
        left = self._left_s()
        self._set_time(rest, left if seconds is None else min(left, seconds), floor_ms=10)
        return self.rp.routing.SolveFromAssignmentWithParameters(start, rest)


def search_from(rp: RoutingProblem, routes: list[list[int]], params: SolveParams,
                watch: Watch, *, first: frozenset[str] = frozenset()) -> RawSolution:
    """GLS from given routes (routing indices per vehicle) that may no longer all fit.

    The search starts from the largest part of them found feasible task by task, each
    route's stops kept in their order (a route that fits as a whole is kept whole);
    re-planning gives the plan being changed, so an unchanged day needs no change; the
    tasks in `first` (stops that happened) go in on every route before any other. The
    search is polled only for a cancel signal (re-planning descends to a local optimum and
    stops: no stall limit is needed, and a poll at every node costs a third of the time)."""
    search = _Search(rp, params, watch, polled=False)
    parameters = search.parameters()
    for name in REPLAN_OFF_OPERATORS:
        setattr(parameters.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
    routing = rp.routing
    routing.CloseModelWithParameters(parameters)
    start = _feasible_part(rp, routes, first)
    found = routing.SolveFromAssignmentWithParameters(start, parameters)
    if found is None or rp.served(found) < rp.served(start):
        found = start
    status = "CANCELLED" if watch.cancelled else status_name(routing.status())
    return rp.read(found, status)


def _feasible_part(rp: RoutingProblem, routes: list[list[int]], first: frozenset[str]
                   ) -> pywrapcp.Assignment:
    routing = rp.routing
    routes = [[i for i in route if routing.VehicleVar(i).Contains(v)]
              for v, route in enumerate(routes)]
    whole = routing.ReadAssignmentFromRoutes(routes, True)
    if whole is not None:
        return routing.solver().Assignment(whole)
    task_of = [rp.nodes[rp.manager.IndexToNode(i)].task.id if not routing.IsStart(i)
               and not routing.IsEnd(i) else "" for i in range(routing.Size())]
    # The tasks of `first` on every route, then the others: a stop that happened is
    # never left out for a task an earlier route kept.
    chosen: list[set[str]] = [set() for _ in routes]
    kept: list[list[int]] = [[] for _ in routes]
    for phase in (True, False):
        for v, route in enumerate(routes):
            if not phase:
                kept[v] = route
                if routing.ReadAssignmentFromRoutes(kept, True) is not None:
                    chosen[v] = {task_of[i] for i in route}
                    continue
            for task in dict.fromkeys(task_of[i] for i in route):
                if (task in first) is not phase or task in chosen[v]:
                    continue
                kept[v] = [i for i in route if task_of[i] in chosen[v] | {task}]
                if routing.ReadAssignmentFromRoutes(kept, True) is not None:
                    chosen[v].add(task)
            kept[v] = [i for i in route if task_of[i] in chosen[v]]
    found = routing.ReadAssignmentFromRoutes(kept, True)
    if found is None:  # not even an empty day: stops fixed in place contradict a rule
        raise NoFeasibleStart("the stops fixed in place break a rule on their own "
                              "(even a day with nothing else planned is not feasible)")
    return routing.solver().Assignment(found)


class NoFeasibleStart(RuntimeError):
    """No part of the given routes is feasible: the model's fixed stops (re-planning's
    frozen ones) cannot all keep the rules."""


def search_fresh(rp: RoutingProblem, params: SolveParams, watch: Watch) -> RawSolution:
    """The search of a new plan (first solutions, then the metaheuristic) for one model."""
    return _Search(rp, params, watch).run(None)
