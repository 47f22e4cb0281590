"""The soft goals a vehicle pays for beyond travel, for the routing model
(`optimiser.ortools.model`): a client's wish for other workers, re-planning's cost of
moving a task to another worker, and balanced days (the busiest route's work or visits).
Each is far below the price of leaving a task out, so none costs served work."""

from __future__ import annotations

from ortools.constraint_solver import pywrapcp

from optimiser.model import PREFERENCE_COST_S, Goals, Problem, Task, Worker
from optimiser.ortools.raw import Stability


def unpreferred_cost(problem: Problem, first_stop_of: Task | None, worker: Worker) -> int:
    """`PREFERENCE_COST_S` when the task whose first stop this is (None: another stop) is
    of a client who would rather see other workers than `worker` (`Client.wished`)."""
    if first_stop_of is None or first_stop_of.client_id is None:
        return 0
    wished = problem.client(first_stop_of.client_id).wished
    return PREFERENCE_COST_S if wished and worker.id not in wished else 0


def move_cost(stability: Stability | None, first_stop_of: Task | None, worker: Worker) -> int:
    """The re-planning cost of serving the task whose first stop this is by `worker`."""
    if stability is None or first_stop_of is None:
        return 0
    before = stability.worker_of.get(first_stop_of.id)
    return 0 if before in (None, worker.id) else stability.move_cost_s


def add_balance(routing: pywrapcp.RoutingModel, goals: Goals, first_stops: list[bool],
                places: int, transit: list[list[int]], skills: list[frozenset[str]]
                ) -> tuple[bool, int]:
    """Balanced days (`Goals.balance`) between workers of one kind (`kinds`, from the
    vehicles' `skills`): in each kind of two routes or more, the busiest route's work
    (travel and service, no waiting) or visits charged `balance_weight` (rounded, at least
    1) per second or per visit: a dimension counting them from 0 on that kind's routes
    alone, and its global span cost, OR-Tools' min-max. Returns whether it is on and the
    most one task can add to that cost (the drop penalties outweigh it)."""
    if not (goals.balance and goals.balance_weight):
        return False, 0
    coef = max(1, round(goals.balance_weight))
    if goals.balance == "visits":
        steps = [int(first) for first in first_stops] + [0] * (places - len(first_stops))
        counted = routing.RegisterUnaryTransitVector(steps)
        capacity, most = len(first_stops) + 1, 1
    else:
        counted = routing.RegisterTransitMatrix(transit)
        capacity, most = sum(map(max, transit)) + 1, 2 * max(map(max, transit))
    nothing = routing.RegisterUnaryTransitVector([0] * places)
    groups = [g for g in kinds(skills) if len(g) > 1]
    for k, group in enumerate(groups):
        name = f"balance-{k}"
        routing.AddDimensionWithVehicleTransits(
            [counted if v in group else nothing for v in range(len(skills))], 0, capacity,
            True, name)
        routing.GetDimensionOrDie(name).SetGlobalSpanCostCoefficient(coef)
    return bool(groups), coef * most if groups else 0


def kinds(skills: list[frozenset[str]]) -> list[set[int]]:
    """The vehicles (by index, with their workers' skills) grouped into kinds of worker:
    two are of one kind when they share a skill, or are both of one kind with a third
    (physiotherapists; handymen who share plumbing, one also certified for gas; drivers).
    Workers without skills are one kind."""
    groups: list[tuple[set[str], set[int]]] = []
    for v, theirs in enumerate(skills):
        own = theirs or frozenset({""})
        joined = [g for g in groups if g[0] & own]
        merged = (set(own).union(*(g[0] for g in joined)),
                  {v}.union(*(g[1] for g in joined)))
        groups = [g for g in groups if g not in joined] + [merged]
    return sorted((g[1] for g in groups), key=min)
