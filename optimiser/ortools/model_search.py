"""How one routing model is searched: first plans, GLS, SISR, polish, restart.

- a model SISR does not take (bus trips with returns or wheelchairs, contract limits,
  rest, series, several breaks a shift: the days of a week, the demo day): the best of
  `FIRST_SOLUTION_PORTFOLIO`, each heuristic capped in work, improved by GLS;
- problems SISR takes (see `sisr_bridge`: a one-day plan of visits and jobs, Solomon,
  plain dial-a-ride): GLS for `SISR_GLS_SHARE` of the time, SISR until
  `SISR_POLISH_SHARE` is left, then GLS again from SISR's routes, which also re-checks
  every constraint;
- a first solution that places nothing is followed by a restart from an empty plan
  for the time left;
- re-planning searches from given routes (`search_from`), the largest feasible part of
  them kept.
How a whole horizon is split into models is `optimiser.ortools.search`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from optimiser.model import Task
from optimiser.ortools import sisr_bridge
from optimiser.ortools.model import RoutingProblem
from optimiser.ortools.raw import RawSolution, status_name
from optimiser.ortools.watch import Watch
from optimiser.params import FirstSolution, SolveParams

log = logging.getLogger(__name__)


SISR_GLS_SHARE = 0.15  # of the time limit: GLS before SISR takes over
SISR_POLISH_SHARE = 0.10  # of the time limit: GLS after SISR, re-checking every constraint
# With a solution budget, SISR may run this many ruin-and-recreate steps per solution, and
# the stall limit counts as many per solution: a compiled step costs far less than a GLS
# solution (15-50 thousand steps a second on 80-150-task days against some hundreds of
# GLS solutions). At 20, a stall limit of 500 stopped SISR after 0.6 s of a 10 s day.
SISR_ITERATIONS_PER_SOLUTION = 200
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


class ModelSearch:
    """The search of one model; earlier models placed `placed_before`."""

    def __init__(self, rp: RoutingProblem, params: SolveParams, watch: Watch,
                 placed_before: Collection[Task] = (), *, polled: bool = True) -> None:
        self.rp, self.params, self.watch = rp, params, watch
        self.started = time.monotonic()
        self.plain = sisr_bridge.is_plain(rp)
        self.plain_pairs = not self.plain and sisr_bridge.is_plain_pairs(rp)
        watch.attach(rp, placed_before,
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
        if start is None:
            found = None
        elif self.plain or self.plain_pairs:  # as from a first plan: SISR, then GLS
            one = pywrapcp.DefaultRoutingSearchParameters()
            one.CopyFrom(parameters)
            one.solution_limit = 1  # the start itself, with its objective
            found = routing.SolveFromAssignmentWithParameters(start, one)
            if found is not None and not self.watch.stop_requested():
                found = self._improve_with_sisr(found, pairs=self.plain_pairs)
        else:
            found = routing.SolveFromAssignmentWithParameters(start, parameters)
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
            else self.params.stall_solutions * SISR_ITERATIONS_PER_SOLUTION,
            on_best=lambda routes, cost: self.watch.improved(int(cost),
                                                             self.rp.placed_in(routes)))
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
    search = ModelSearch(rp, params, watch, polled=False)
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
    return ModelSearch(rp, params, watch).run(None)
