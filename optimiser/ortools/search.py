"""How a routing model is searched: first solution, GLS phases, SISR between them, restart.

All budget splits live here:
- plain problems (see `sisr_bridge`): GLS for `SISR_GLS_SHARE` of the time, SISR
  until `SISR_POLISH_SHARE` is left, then GLS again from SISR's routes, which also
  re-checks every constraint SISR does not model;
- soft continuity: `CONTINUITY_HELD_SHARE` of the budget with every series held to
  one worker, the rest with the series that lost a session freed;
- a first solution that places nothing is followed by a restart from an empty plan
  for the time left.
Stopping is by the clock, by `max_solutions`, or by the cancel signal, which every
phase polls; a cancelled search keeps the best plan found so far.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from optimiser.model import Continuity, Problem, Task
from optimiser.ortools import sisr_bridge
from optimiser.ortools.model import RawSolution, RoutingProblem, status_name
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
# With a solution budget, SISR may run this many ruin-and-recreate steps per solution:
# a step costs far less than a GLS solution, so a counted budget still gives SISR most of
# the work, as a timed one does (an assumption kept from the tuning on Solomon, not a
# measured exchange rate).
SISR_ITERATIONS_PER_SOLUTION = 20
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
# Parallel cheapest insertion for plain routing (the SISR path, tuned on Solomon); local
# cheapest insertion otherwise: parallel insertion found no first plan in 90 s on the
# generated week (363 tasks, 42 series), local in ~10 s.
FIRST_SOLUTION_PLAIN = FirstSolution.PARALLEL_CHEAPEST_INSERTION
FIRST_SOLUTION_RICH = FirstSolution.LOCAL_CHEAPEST_INSERTION


@dataclass
class Watch:
    """Counts solutions, records each improvement, reports progress, polls the cancel signal.

    One watch follows a whole solve, across every model and phase."""

    tasks: int
    on_progress: ProgressCallback | None = None
    cancel: CancelSignal | None = None
    started: float = field(default_factory=time.monotonic)
    solutions: int = 0
    improvements: list[tuple[float, int, int]] = field(default_factory=list)
    cancelled: bool = False
    _polls: int = 0
    _monitors: list[object] = field(default_factory=list)  # keep SWIG monitors alive

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def stop_requested(self) -> bool:
        if not self.cancelled and self.cancel is not None and self.cancel.is_set():
            log.info("solve cancelled after %.1f s", self.elapsed_s())
            self.cancelled = True
        return self.cancelled

    def attach(self, rp: RoutingProblem) -> None:
        routing = rp.routing
        routing.AddAtSolutionCallback(lambda: self._at_solution(rp))
        if self.cancel is not None:
            limit = routing.solver().CustomLimit(self._limit_reached)
            self._monitors.append(limit)
            routing.AddSearchMonitor(limit)

    def _limit_reached(self) -> bool:
        self._polls += 1
        return self.cancelled or (self._polls % CANCEL_POLL_EVERY == 0
                                  and self.stop_requested())

    def _at_solution(self, rp: RoutingProblem) -> None:
        self.solutions += 1
        objective = rp.routing.CostVar().Value()
        if self.improvements and objective >= self.improvements[-1][1]:
            return
        served = rp.served_now()
        self.improvements.append((round(self.elapsed_s(), 3), objective, served))
        if self.on_progress is not None:
            self.on_progress(Progress(self.elapsed_s(), objective, served, self.tasks))


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
                  initial: RawSolution | None = None) -> RawSolution:
    """Route `tasks`; the series in `same_worker` keep one worker for all sessions.

    `initial` (routes of an earlier solve of the same tasks) is where the search starts."""
    rp = RoutingProblem(problem, tasks, same_worker)
    watch.attach(rp)
    return _Search(rp, params, watch).run(initial)


def _share(params: SolveParams, fraction: float) -> SolveParams:
    limit = params.max_solutions
    return SolveParams(time_limit_s=params.time_limit_s * fraction, seed=params.seed,
                       max_solutions=None if limit is None else max(1, int(limit * fraction)),
                       first_solution=params.first_solution,
                       metaheuristic=params.metaheuristic)


class _Search:
    def __init__(self, rp: RoutingProblem, params: SolveParams, watch: Watch) -> None:
        self.rp, self.params, self.watch = rp, params, watch
        self.started = time.monotonic()
        self.plain = sisr_bridge.is_plain(rp)

    def parameters(self) -> pywrapcp.DefaultRoutingSearchParameters:
        p = pywrapcp.DefaultRoutingSearchParameters()
        first = self.params.first_solution or (
            FIRST_SOLUTION_PLAIN if self.plain else FIRST_SOLUTION_RICH)
        p.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first)
        p.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, self.params.metaheuristic)
        has_trips = any(n.task.ride is not None for n in self.rp.nodes)
        p.guided_local_search_lambda_coefficient = GLS_LAMBDA_TRIPS if has_trips else GLS_LAMBDA
        for name in SLOW_LNS_OPERATORS:
            setattr(p.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
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
        pairs = initial is None and not self.plain and sisr_bridge.is_plain_pairs(rp)
        phased = initial is None and (pairs or self.plain)
        if phased:  # GLS for a first good plan, SISR for most of the time, GLS to polish
            self._set_time(parameters, self.params.time_limit_s * SISR_GLS_SHARE)
        if initial is None:
            solution = routing.SolveWithParameters(parameters)
        else:
            solution = self._solve_from(initial, parameters)
        if phased and solution is not None and not self.watch.stop_requested():
            solution = self._improve_with_sisr(solution, pairs=pairs)
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

    def _solve_from(self, initial: RawSolution, parameters: pywrapcp.DefaultRoutingSearchParameters
                    ) -> pywrapcp.Assignment | None:
        rp, routing = self.rp, self.rp.routing
        routing.CloseModelWithParameters(parameters)
        vehicle = {(w.id, k): v for v, (w, k) in enumerate(rp.shifts)}
        routes: list[list[int]] = [[] for _ in rp.shifts]
        for raw in initial.routes:
            routes[vehicle[(raw.worker_id, raw.shift_index)]] = [
                rp.index(task_id, action) for task_id, action, _ in raw.visits]
        start = rp.assignment(routes)
        if start is None:
            log.warning("the earlier routes do not fit this model; searching afresh")
            return routing.SolveWithParameters(parameters)
        return routing.SolveFromAssignmentWithParameters(start, parameters)

    def _improve_with_sisr(self, solution: pywrapcp.Assignment, *, pairs: bool
                           ) -> pywrapcp.Assignment:
        solution = self.rp.routing.solver().Assignment(solution)  # later solves reuse it
        limit = self.params.max_solutions
        improved = sisr_bridge.improved_routes(
            self.rp, solution, pairs=pairs,
            deadline=self.started + self.params.time_limit_s * (1 - SISR_POLISH_SHARE),
            seed=self.params.seed,
            max_iterations=None if limit is None else limit * SISR_ITERATIONS_PER_SOLUTION,
            stop=self.watch.stop_requested)
        if improved is None:  # tasks left out, or costs SISR does not model
            return self._continue_gls(solution)
        return self._polish(solution, improved)

    def _polish(self, best: pywrapcp.Assignment, improved: list[list[int]]
                ) -> pywrapcp.Assignment:
        """GLS from the SISR routes for the time left; OR-Tools re-checks every constraint."""
        start = self.rp.assignment(improved)
        result = None if start is None else self._continue_gls(start)
        if result is not None and result.ObjectiveValue() <= best.ObjectiveValue():
            return result
        return best

    def _continue_gls(self, start: pywrapcp.Assignment) -> pywrapcp.Assignment:
        rest = self.parameters()
        self._set_time(rest, self._left_s(), floor_ms=10)
        more = self.rp.routing.SolveFromAssignmentWithParameters(start, rest)
        served = self.rp.served
        return more if more is not None and served(more) >= served(start) else start
