"""The OR-Tools routing model: one `_add_*` method per rule, nothing about the search.

Every (worker, shift) pair is one OR-Tools vehicle. Nodes are the tasks to place, then
one node per distinct start/end place. The time dimension's cumul at a task node is the
service start; transit from a node is its service time plus the travel to the next node.
Optional tasks sit in a disjunction whose drop penalty grows by a factor of 100 per
priority level, so serving by priority comes first and travel second; a mandatory task
outweighs every optional one and, among mandatory tasks, priority still counts; a
promised one outweighs ten mandatory ones.

A worker's time (shifts, contract limits, rest, breaks, a shared bus) is in `worker_time`;
what re-planning asks it to keep and what a search gives back in `optimiser.ortools.raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp

from optimiser import presence
from optimiser.model import (
    Priority,
    Problem,
    ProviderKind,
    StopAction,
    Task,
    TimeWindow,
    can_serve,
)
from optimiser.ortools import soft_costs as soft
from optimiser.ortools.raw import RawRoute, RawSolution, Stability
from optimiser.ortools.worker_time import WorkerTimeRules

PRIORITY_WEIGHT = {p: 100 ** (p - Priority.LOW) for p in Priority}
MANDATORY_WEIGHT = 100 ** len(Priority)
# A promised task (mandatory too) outweighs ten mandatory ones of any priority: a larger
# factor would let a day of boosted promises overflow the 64-bit objective. The search's
# repair and the plan's ranking put promises strictly first (docs/promises.md).
PROMISE_WEIGHT = 10 * MANDATORY_WEIGHT


@dataclass(frozen=True)
class Node:
    task: Task
    action: StopAction
    location: int  # index into the matrices
    service_s: int
    windows: tuple[TimeWindow, ...]


class RoutingProblem(WorkerTimeRules):
    """`tasks` of `problem` as an OR-Tools routing model; the series in `same_worker` keep
    one worker for all their sessions, and a task in `pinned` may only be served by the
    worker it names (a session whose series was started by that worker on another day).
    A `deferrable` task (one a later model may still take) costs half as much to drop, so
    that of two tasks of one priority the one with no other chance is kept. `stability`
    (re-planning) makes every change to an earlier plan cost. A `boosted` task costs as
    much to drop as one of the next priority up (the priority pass keeps what it found)."""

    def __init__(self, problem: Problem, tasks: list[Task], same_worker: frozenset[str],
                 pinned: Mapping[str, str] | None = None,
                 deferrable: frozenset[str] = frozenset(),
                 stability: Stability | None = None,
                 boosted: frozenset[str] = frozenset()) -> None:
        self.problem = problem
        self.tasks = tasks
        self.same_worker = same_worker
        self.pinned = dict(pinned or {})
        self.deferrable = deferrable
        self.boosted = boosted
        self.stability = stability
        self.shifts = [(w, k) for w in problem.workers for k in range(len(w.shifts))]
        self.nodes = [Node(t, a, problem.location_index(loc), service, windows)
                      for t in tasks for a in t.actions
                      for loc, service, windows in [t.leg(a)]]
        self.node_of = {(n.task.id, n.action): i for i, n in enumerate(self.nodes)}
        # The bases of the shifts only: a base no shift starts or ends at (a worker absent
        # all horizon) would be a node every solution must visit, a stop on no task.
        places = sorted({p for w, _ in self.shifts
                         for p in (w.start_location_id, w.end_location_id)})
        self.node_location = [n.location for n in self.nodes] + [
            problem.location_index(p) for p in places]
        place_node = {p: len(self.nodes) + i for i, p in enumerate(places)}
        starts = [place_node[w.start_location_id] for w, _ in self.shifts]
        ends = [place_node[w.end_location_id] for w, _ in self.shifts]
        self.manager = pywrapcp.RoutingIndexManager(
            len(self.node_location), len(self.shifts), starts, ends)
        self.break_vehicle: dict[str, int] = {}
        self.routing = pywrapcp.RoutingModel(self.manager)
        self._build()

    def index(self, task_id: str, action: StopAction) -> int:
        return int(self.manager.NodeToIndex(self.node_of[(task_id, action)]))

    def _build(self) -> None:
        routing = self.routing
        duration = self.problem.matrix.duration_s
        service = [n.service_s for n in self.nodes] + [0] * (
            len(self.node_location) - len(self.nodes))
        loc = self.node_location
        travel = [[int(duration[a, b]) for b in loc] for a in loc]
        transit = [[service[i] + row[j] for j in range(len(loc))] for i, row in enumerate(travel)]
        time_cb = routing.RegisterTransitMatrix(transit)
        self._set_arc_costs(travel, service)

        self.horizon = max([w.end_s for n in self.nodes for w in n.windows]
                           + [s.end_s for w in self.problem.workers for s in w.shifts] + [1])
        routing.AddDimension(time_cb, self.horizon, self.horizon, False, "time")
        self.time = routing.GetDimensionOrDie("time")

        self._add_windows_and_allowed_shifts()
        self.retime_cap = self._add_retiming_costs()
        self.balanced, self.balance_cap = soft.add_balance(
            self.routing, self.problem.goals,
            [n.action is n.task.actions[0] for n in self.nodes], len(self.node_location),
            transit, [frozenset(w.skills) for w, _ in self.shifts])
        self._add_drop_penalties(travel)
        self._add_trips()
        self._add_shifts()
        self._add_capacity()
        self._add_working_time_limits()
        self._add_breaks(service)
        self._add_series()
        self._add_shared_vehicles()
        self._add_presence()

    def _set_arc_costs(self, travel: list[list[int]], service: list[int]) -> None:
        """Travel seconds; with a PES-share goal, CUS routes also pay for their service time;
        a client's wish for other workers and, when re-planning, moving a task to another
        worker cost too (`optimiser.ortools.soft_costs`)."""
        routing, goals = self.routing, self.problem.goals
        kinds = [self.problem.provider(w.provider_id).kind for w, _ in self.shifts]
        pes_goal = bool(goals.pes_share_target is not None and goals.pes_weight
                        and ProviderKind.PES in kinds)
        self.max_arc_cost = max(max(row) for row in travel)
        # What a vehicle pays beyond travel for each node it serves (by node), or None: a
        # cost of another shape (re-planning's move costs).
        self.stop_costs: list[tuple[int, ...]] | None = None
        wishes = any(c.wished for c in self.problem.clients)
        if not pes_goal and not wishes and self.stability is None:
            self.stop_costs = [(0,) * len(travel)] * len(self.shifts)
            routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(travel))
            return
        cus_extra = [round(goals.pes_weight * x) if pes_goal else 0 for x in service]
        firsts = [n.task if n.action is n.task.actions[0] else None for n in self.nodes]
        firsts += [None] * (len(travel) - len(firsts))  # the places
        callbacks: dict[tuple[int, ...], int] = {}
        callbacks_by_vehicle: list[tuple[int, ...]] = []
        for v, ((worker, _), kind) in enumerate(zip(self.shifts, kinds, strict=True)):
            extra = tuple(cus_extra[i] * (kind is ProviderKind.CUS)
                          + soft.move_cost(self.stability, firsts[i], worker)
                          + soft.unpreferred_cost(self.problem, firsts[i], worker)
                          for i in range(len(travel)))
            callbacks_by_vehicle.append(extra)
            if extra not in callbacks:
                callbacks[extra] = routing.RegisterTransitMatrix(
                    [[extra[i] + t for t in row] for i, row in enumerate(travel)])
            routing.SetArcCostEvaluatorOfVehicle(callbacks[extra], v)
        if self.stability is None:
            self.stop_costs = list(callbacks_by_vehicle)
        self.max_arc_cost += max(max(extra) for extra in callbacks)

    def _add_retiming_costs(self) -> int:
        """Soft bounds around each stop's old start; returns the most they can cost a task."""
        stability = self.stability
        if stability is None or not stability.per_s:
            return 0
        most = 0
        for node, spec in enumerate(self.nodes):
            before = stability.start_of.get((spec.task.id, spec.action))
            if before is None:
                continue
            index = self.manager.NodeToIndex(node)
            cumul = self.time.CumulVar(index)  # its bounds are the windows by now
            self.time.SetCumulVarSoftUpperBound(index, before + stability.tolerance_s,
                                                stability.per_s)
            self.time.SetCumulVarSoftLowerBound(index, max(0, before - stability.tolerance_s),
                                                stability.per_s)
            reach = max(cumul.Max() - before, before - cumul.Min()) - stability.tolerance_s
            most = max(most, stability.per_s * max(0, reach))
        return 2 * most  # a trip has two stops

    def _add_series(self) -> None:
        """Sessions on days at least min_gap_days apart; optionally all with one worker."""
        routing, solver = self.routing, self.routing.solver()
        bounds = self.problem.day_starts_s[1:]
        worker_number = {w.id: i for i, w in enumerate(self.problem.workers)}
        worker_of_vehicle = [-1] + [worker_number[w.id] for w, _ in self.shifts]
        for series in self.problem.series:
            sessions = [t for t in series.task_ids if (t, StopAction.SERVE) in self.node_of]
            index = [self.index(t, StopAction.SERVE) for t in sessions]
            active = [routing.ActiveVar(i) for i in index]
            day = [solver.Sum([solver.IsGreaterOrEqualCstVar(self.time.CumulVar(i), b)
                               for b in bounds]) if bounds else solver.IntConst(0)
                   for i in index]
            gap = series.min_gap_days
            for k in range(len(index)):
                for m in range(k + 1, len(index)):
                    # |day_m - day_k| >= gap, in either order, when both are served
                    later = solver.IsGreaterOrEqualCstVar(day[m] - day[k], gap)
                    earlier = solver.IsGreaterOrEqualCstVar(day[k] - day[m], gap)
                    solver.Add(later + earlier + 2 >= active[k] + active[m] + 1)
            if series.id not in self.same_worker or len(index) < 2:
                continue
            worker = [solver.Element(worker_of_vehicle, (routing.VehicleVar(i) + 1).Var())
                      for i in index]
            for k in range(1, len(index)):
                both = active[0] + active[k]
                spread = len(self.problem.workers) * (2 - both)
                solver.Add(worker[k] - worker[0] <= spread)
                solver.Add(worker[0] - worker[k] <= spread)

    def _add_windows_and_allowed_shifts(self) -> None:
        for node, spec in enumerate(self.nodes):
            index = self.manager.NodeToIndex(node)
            if spec.windows:
                cumul = self.time.CumulVar(index)
                ordered = sorted((w.start_s, w.end_s - spec.service_s) for w in spec.windows)
                cumul.SetRange(ordered[0][0], ordered[-1][1])
                for (_, gap_from), (gap_to, _) in zip(ordered, ordered[1:], strict=False):
                    cumul.RemoveInterval(gap_from + 1, gap_to - 1)
            task = spec.task
            pinned = self.pinned.get(task.id)
            allowed = [v for v, (w, k) in enumerate(self.shifts)
                       if (pinned is None or w.id == pinned)
                       and can_serve(self.problem, w, task, w.shifts[k])]
            # SetAllowedVehiclesForIndex's Python binding rejects lists in OR-Tools 9.15;
            # restricting the vehicle variable is the same constraint (-1 = not served).
            self.routing.VehicleVar(index).SetValues([-1, *allowed])

    def _add_drop_penalties(self, travel: list[list[int]]) -> None:
        base = 2 * self.max_arc_cost + 1 + self.retime_cap + self.balance_cap
        self.drop_penalty: dict[str, int] = {}
        for task in self.tasks:
            weight = PRIORITY_WEIGHT[task.priority] + (MANDATORY_WEIGHT if task.mandatory else 0)
            weight += PROMISE_WEIGHT if task.promise is not None else 0
            if task.id in self.boosted:  # kept as if one priority higher
                weight *= PRIORITY_WEIGHT[Priority.NORMAL]
            penalty = base * weight * len(task.actions)
            if task.id in self.deferrable:
                penalty //= 2
            self.drop_penalty[task.id] = penalty
            first, *rest = (self.index(task.id, a) for a in task.actions)
            self.routing.AddDisjunction([first], penalty)
            for other in rest:  # a drop-off follows its pickup in or out of the plan
                self.routing.AddDisjunction([other], 0)

    def _add_trips(self) -> None:
        routing, solver = self.routing, self.routing.solver()
        for task in self.tasks:
            if task.ride is None:
                continue
            pickup = self.index(task.id, StopAction.PICKUP)
            dropoff = self.index(task.id, StopAction.DROPOFF)
            routing.AddPickupAndDelivery(pickup, dropoff)
            solver.Add(routing.ActiveVar(pickup) == routing.ActiveVar(dropoff))
            solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(dropoff))
            board_end = self.time.CumulVar(pickup) + task.service_s
            solver.Add(board_end <= self.time.CumulVar(dropoff))
            solver.Add(self.time.CumulVar(dropoff) - board_end <= self.problem.max_ride_s(task))
            outbound = task.ride.return_of
            if outbound is not None and (outbound, StopAction.DROPOFF) in self.node_of:
                out_drop = self.index(outbound, StopAction.DROPOFF)
                out_task = self.problem.task(outbound)
                assert out_task.ride is not None
                # Nobody is fetched home from a clinic they were not taken to. (Nor taken
                # there and left: but OR-Tools inserts one pickup-and-delivery pair a move,
                # so with both-or-neither here neither trip could ever go in; an outbound
                # whose return found no place is taken out after the search, by the
                # checker's trip_pair rule: see optimiser.solve.repaired.)
                solver.Add(routing.ActiveVar(pickup) <= routing.ActiveVar(out_drop))
                # Only binding when both trips are in the plan (big-M on the active flags).
                slack = self.horizon * (2 - routing.ActiveVar(pickup) - routing.ActiveVar(out_drop))
                solver.Add(self.time.CumulVar(pickup) + slack >= self.time.CumulVar(out_drop)
                           + out_task.ride.alight_s + task.ride.appointment_s)

    def _add_capacity(self) -> None:
        extra = len(self.node_location) - len(self.nodes)
        if any(n.task.demand for n in self.nodes):
            demand = [n.task.demand if n.action is StopAction.SERVE else 0
                      for n in self.nodes] + [0] * extra
            unlimited = sum(demand) + 1
            caps = [w.capacity if w.capacity is not None else unlimited for w, _ in self.shifts]
            self._add_load("load", demand, caps)
        if not any(n.task.ride for n in self.nodes):
            return
        vehicles = [self.problem.vehicle_of(w) for w, _ in self.shifts]
        for name, count, capacity in (
            ("seats", lambda p: p.seats, lambda v: v.seats),
            ("wheelchair", lambda p: p.wheelchair, lambda v: v.wheelchair_places),
        ):
            delta = [0 if n.task.ride is None else
                     count(n.task.ride.passengers) * (1 if n.action is StopAction.PICKUP else -1)
                     for n in self.nodes] + [0] * extra
            self._add_load(name, delta, [0 if v is None else capacity(v) for v in vehicles])

    def _add_load(self, name: str, delta: list[int], caps: list[int]) -> None:
        cb = self.routing.RegisterUnaryTransitVector(delta)
        self.routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, name)

    def _add_presence(self) -> None:
        """A client is in one place at a time (`optimiser.presence`): of each pair of their
        spans that could overlap, one ends before the other starts when both are served."""
        solver = self.routing.solver()
        self.clashes = presence.clashes(self.problem, self.tasks)
        for clash in self.clashes:
            (s1, e1, a1), (s2, e2, a2) = (self._span(x) for x in (clash.first, clash.second))
            first = solver.IsLessOrEqualVar(e1, s2)
            second = solver.IsLessOrEqualVar(e2, s1)
            solver.Add(first + second + 2 >= a1 + a2 + 1)

    def _span(self, item: Task | presence.Absence
              ) -> tuple[pywrapcp.IntExpr, pywrapcp.IntExpr, pywrapcp.IntVar]:
        """(start, end, served) of a task at home or of an absence, as solver expressions."""
        solver, routing, cumul = self.routing.solver(), self.routing, self.time.CumulVar
        if isinstance(item, Task):
            index = self.index(item.id, StopAction.SERVE)
            return cumul(index), cumul(index) + item.service_s, routing.ActiveVar(index)
        pickup = self.index(item.trip.id, StopAction.PICKUP)
        earliest, latest = presence.span_bounds(self.problem, item)
        start = cumul(pickup) if item.starts_at_pickup else solver.IntConst(earliest)
        if item.until is not None and (item.until.id, StopAction.DROPOFF) in self.node_of:
            assert item.until.ride is not None
            drop = self.index(item.until.id, StopAction.DROPOFF)
            back = routing.ActiveVar(drop)
            # Home when the way back drops off; with no way back (left out), at the day's
            # end (the checker's trip_pair rule then takes the outbound out too).
            midnight = presence.day_end_s(self.problem, self.problem.day_of(earliest))
            end = back * (cumul(drop) + item.until.ride.alight_s) + (1 - back) * midnight
        else:
            end = solver.IntConst(latest)
        return start, end, routing.ActiveVar(pickup)

    # ------------------------------------------------------------------ reading
    def assignment(self, routes: list[list[int]]) -> pywrapcp.Assignment | None:
        """Routes (routing indices per vehicle) as a start for a search: RoutesToAssignment,
        unlike ReadAssignmentFromRoutes, does not re-propagate: any route taken before."""
        assignment = self.routing.solver().Assignment()
        ok = self.routing.RoutesToAssignment(routes, True, True, assignment)
        return assignment if ok else None

    def route_indices(self, solution: pywrapcp.Assignment, v: int) -> list[int]:
        out, index = [], solution.Value(self.routing.NextVar(self.routing.Start(v)))
        while not self.routing.IsEnd(index):
            out.append(index)
            index = solution.Value(self.routing.NextVar(index))
        return out

    def placed_now(self) -> list[Task]:
        """Tasks placed in the solution being reported (inside an at-solution callback)."""
        return [t for t, i in self._firsts() if self.routing.NextVar(i).Value() != i]

    def placed_in(self, routes: list[list[int]]) -> list[Task]:
        """Tasks placed in `routes` (routing indices per vehicle)."""
        on = {i for route in routes for i in route}
        return [t for t, i in self._firsts() if i in on]

    def served(self, solution: pywrapcp.Assignment) -> int:
        return sum(solution.Value(self.routing.NextVar(i)) != i for _, i in self._firsts())

    def _firsts(self) -> list[tuple[Task, int]]:
        return [(t, self.index(t.id, t.actions[0])) for t in self.tasks]

    def read(self, solution: pywrapcp.Assignment, status: str) -> RawSolution:
        routing, manager = self.routing, self.manager
        breaks_by_vehicle: dict[int, list[tuple[int, int]]] = {}
        intervals = solution.IntervalVarContainer()
        for i in range(intervals.Size()):
            element = intervals.Element(i)
            if element.PerformedValue():
                v = self.break_vehicle[element.Var().Name()]
                breaks_by_vehicle.setdefault(v, []).append(
                    (element.StartValue(), element.StartValue() + element.DurationValue()))
        routes: list[RawRoute] = []
        served: set[str] = set()
        for v, (worker, k) in enumerate(self.shifts):
            index = solution.Value(routing.NextVar(routing.Start(v)))
            if routing.IsEnd(index):
                continue
            visits = []
            while not routing.IsEnd(index):
                spec = self.nodes[manager.IndexToNode(index)]
                visits.append((spec.task.id, spec.action,
                               solution.Value(self.time.CumulVar(index))))
                served.add(spec.task.id)
                index = solution.Value(routing.NextVar(index))
            start_s = solution.Value(self.time.CumulVar(routing.Start(v)))
            end_s = solution.Value(self.time.CumulVar(routing.End(v)))
            # A fixed break the solver put before the route or after it is not needed:
            # the route is then shorter than the stretch the rule allows.
            breaks = sorted(b for b in breaks_by_vehicle.get(v, [])
                            if start_s <= b[0] and b[1] <= end_s)
            routes.append(RawRoute(
                worker_id=worker.id, shift_index=k, start_s=start_s, end_s=end_s,
                visits=tuple(visits), breaks=tuple(breaks),
            ))
        dropped = tuple(t.id for t in self.tasks if t.id not in served)
        return RawSolution(tuple(routes), dropped, solution.ObjectiveValue(), status)
