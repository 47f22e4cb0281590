"""Between OR-Tools and the SISR searches: which problems they model, and their instances.

SISR (`optimiser.sisr`) knows nothing of OR-Tools. On problems plain enough for
it (see `is_plain` and `is_plain_pairs`) the search hands it the routes of a
first GLS phase by routing index; the routes that come back are re-checked by
OR-Tools in a final GLS phase (`optimiser.ortools.model_search`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from ortools.constraint_solver import pywrapcp

from optimiser import sisr
from optimiser.model import StopAction
from optimiser.ortools.model import RoutingProblem
from optimiser.ortools.worker_time import breaks_needed, one_break_window


def is_plain(rp: RoutingProblem) -> bool:
    """What the VRPTW search models: windows, loads, allowed vehicles, shift bounds, one
    fixed-window break a shift, travel and a cost per stop served by a vehicle (the PES
    goal's) as the only costs, and a price for a task left out
    (a one-day CUS plan of visits and jobs, or a Solomon instance)."""
    p = rp.problem
    days = {w.id: {p.day_of(s.start_s) for s in w.shifts} for w in p.workers}
    vehicles = [w.vehicle_id for w in p.workers if w.vehicle_id is not None]
    return (rp.stop_costs is not None and not p.series and not rp.same_worker and not rp.deferrable
            and not rp.clashes and not rp.balanced
            and all(n.task.ride is None for n in rp.nodes)
            and all(breaks_needed(s, p.rules) <= 1 for w in p.workers for s in w.shifts)
            and all(w.max_week_s is None and len(days[w.id]) <= 1
                    and (w.max_work_s is None or (
                        len(w.shifts) <= 1 and all(s.length_s <= w.max_work_s for s in w.shifts)))
                    for w in p.workers)
            and len(vehicles) == len(set(vehicles)))


def is_plain_pairs(rp: RoutingProblem) -> bool:
    """Trips only, with windows, seats, ride and route-duration limits: what the pair
    search models (no wheelchairs, return trips, loads, breaks or shared buses)."""
    p = rp.problem
    vehicles = [p.vehicle_of(w) for w in p.workers]
    return (bool(rp.tasks) and p.rules.break_after_s is None and not p.series
            and not rp.same_worker and not rp.clashes
            and all(t.ride is not None and t.ride.return_of is None and not t.demand
                    and t.ride.passengers.wheelchair == 0 for t in rp.tasks)
            and all(len(n.windows) <= 1 for n in rp.nodes)
            and all(w.max_week_s is None and len(w.shifts) <= 1 for w in p.workers)
            and None not in vehicles
            and len({v.id for v in vehicles if v is not None}) == len(vehicles))


def improved_routes(rp: RoutingProblem, solution: pywrapcp.Assignment, *, pairs: bool,
                    deadline: float, seed: int, max_iterations: int | None,
                    stop: Callable[[], bool] | None = None, stall: int | None = None,
                    on_best: sisr.OnBest | None = None) -> list[list[int]] | None:
    """SISR's best routes (routing indices per vehicle) from `solution`, or None when the
    solution is not one SISR can take over (costs SISR does not model, or a route it finds
    infeasible). `on_best` hears of each new best routes, with their cost."""
    routes = [rp.route_indices(solution, v) for v in range(len(rp.shifts))]
    if pairs:
        pair_instance = pairs_instance(rp)
        complete = sum(map(len, routes)) == 2 * len(pair_instance.pickup)
        cost = pair_instance.cost(routes)
        if (cost != solution.ObjectiveValue() if complete
                else cost >= solution.ObjectiveValue()) or not all(
                pair_instance.feasible(v, rt) for v, rt in enumerate(routes)):
            return None
        return sisr.improve_pairs(pair_instance, routes, deadline=deadline,
                                  rng=random.Random(seed),
                                  max_iterations=max_iterations, stop=stop,
                                  stall=stall, on_best=on_best)[0]
    served = {i for rt in routes for i in rt}
    instance = vrptw_instance(rp, optional=len(served) < len(rp.nodes))
    missing = [i for i in instance.customers if i not in served]
    if (instance.cost(routes) + instance.left_out_cost(missing) != solution.ObjectiveValue()
            or not all(sisr.labels(instance, v, rt).feasible for v, rt in enumerate(routes))):
        return None
    return sisr.improve(instance, routes, deadline=deadline, rng=random.Random(seed),
                        max_iterations=max_iterations, stop=stop, stall=stall,
                        on_best=on_best)[0]


def index_arrays(rp: RoutingProblem) -> tuple[list[list[int]], list[int], list[int], list[int]]:
    """Travel, earliest and latest service start, and service time by routing index."""
    routing, manager = rp.routing, rp.manager
    size = routing.Size() + routing.vehicles()
    location = [rp.node_location[manager.IndexToNode(i)] for i in range(size)]
    duration = rp.problem.matrix.duration_s
    earliest, latest, service = [0] * size, [rp.horizon] * size, [0] * size
    for node, spec in enumerate(rp.nodes):
        i = manager.NodeToIndex(node)
        service[i] = spec.service_s
        if spec.windows:
            earliest[i] = spec.windows[0].start_s
            latest[i] = spec.windows[0].end_s - spec.service_s
    for v, (worker, k) in enumerate(rp.shifts):
        for i in (routing.Start(v), routing.End(v)):
            earliest[i], latest[i] = worker.shifts[k].start_s, worker.shifts[k].end_s
    travel = [[int(duration[a, b]) for b in location] for a in location]
    return travel, earliest, latest, service


def vrptw_instance(rp: RoutingProblem, *, optional: bool = False) -> sisr.Instance:
    """The VRPTW search's instance of `rp`; with `optional`, tasks may be left out at the
    model's price, else every task must be served."""
    routing, manager, p = rp.routing, rp.manager, rp.problem
    travel, _, _, service = index_arrays(rp)
    size = len(service)
    demand = [0] * size
    allowed: list[frozenset[int]] = [frozenset()] * size
    windows: list[sisr.Windows] = [((0, rp.horizon),)] * size
    penalty = [0] * size
    vehicles = range(len(rp.shifts))
    for node, spec in enumerate(rp.nodes):
        i = manager.NodeToIndex(node)
        demand[i] = spec.task.demand
        allowed[i] = frozenset(v for v in vehicles if routing.VehicleVar(i).Contains(v))
        if spec.windows:
            windows[i] = tuple(sorted((w.start_s, w.end_s - spec.service_s)
                                      for w in spec.windows))
        penalty[i] = rp.drop_penalty[spec.task.id]
    breaks: list[sisr.Break | None] = []
    for v, (worker, k) in enumerate(rp.shifts):
        shift = worker.shifts[k]
        for i in (routing.Start(v), routing.End(v)):
            windows[i] = ((shift.start_s, shift.end_s),)
        breaks.append(sisr.Break(*one_break_window(shift, p.rules), p.rules.break_s)
                      if breaks_needed(shift, p.rules) else None)
    return sisr.Instance(
        travel=travel, windows=windows, service=service, demand=demand, allowed=allowed,
        start=[routing.Start(v) for v in vehicles], end=[routing.End(v) for v in vehicles],
        capacity=[math.inf if w.capacity is None or not any(demand) else w.capacity
                  for w, _ in rp.shifts],
        customers=[manager.NodeToIndex(n) for n in range(len(rp.nodes))],
        breaks=breaks, penalty=penalty if optional else None,
        stop_cost=None if rp.stop_costs is None or not any(map(any, rp.stop_costs)) else [
            [extra[manager.IndexToNode(i)] for i in range(size)] for extra in rp.stop_costs])


def pairs_instance(rp: RoutingProblem) -> sisr.PairInstance:
    routing, manager = rp.routing, rp.manager
    travel, earliest, latest, service = index_arrays(rp)
    delta = [0] * len(service)
    for node, spec in enumerate(rp.nodes):
        assert spec.task.ride is not None
        seats = spec.task.ride.passengers.seats
        delta[manager.NodeToIndex(node)] = seats if spec.action is StopAction.PICKUP else -seats
    vehicles = range(len(rp.shifts))
    pickup = [rp.index(t.id, StopAction.PICKUP) for t in rp.tasks]
    buses = [rp.problem.vehicle_of(w) for w, _ in rp.shifts]
    return sisr.PairInstance(
        travel=travel, earliest=earliest, latest=latest, service=service, delta=delta,
        allowed=[frozenset(v for v in vehicles if routing.VehicleVar(i).Contains(v))
                 for i in pickup],
        start=[routing.Start(v) for v in vehicles], end=[routing.End(v) for v in vehicles],
        capacity=[0 if b is None else b.seats for b in buses],
        max_duration=[math.inf if w.max_work_s is None else w.max_work_s
                      for w, _ in rp.shifts],
        pickup=pickup, dropoff=[rp.index(t.id, StopAction.DROPOFF) for t in rp.tasks],
        max_ride=[rp.problem.max_ride_s(t) for t in rp.tasks])
