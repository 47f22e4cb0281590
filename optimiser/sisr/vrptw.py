"""SISR for the plain vehicle-routing core (VRPTW), in plain Python.

A ruin-and-recreate search for one time window per stop, a load limit and
allowed vehicles per stop. Ruin removes strings of consecutive stops from
routes near a random stop; recreate inserts them back greedily (with rare
random "blinks") where the route's earliest/latest start times allow;
simulated annealing decides what to keep (the shared steps live in `core`).
It knows nothing of OR-Tools: the OR-Tools adapter decides when the problem
is plain enough, hands the routes over, and polishes and re-checks what
comes back.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from optimiser.sisr.core import (
    Routes,
    Settings,
    Units,
    anneal,
    order_for_recreate,
    remove_strings,
    route_cost,
    temperatures,
    time_bounds,
    vehicles_to_try,
)

VRPTW_SETTINGS = Settings()  # the core defaults were tuned on Solomon at 10 s


@dataclass
class Instance:
    """Stops are integer ids; `start[v]` and `end[v]` are the route ends of vehicle v."""

    travel: list[list[int]]  # travel[a][b]: travel time and cost from a to b
    earliest: list[int]  # earliest service start per id (route ends: shift bounds)
    latest: list[int]  # latest service start per id
    service: list[int]
    demand: list[int]
    allowed: list[frozenset[int]]  # vehicles per id
    start: list[int]
    end: list[int]
    capacity: list[float]
    customers: list[int]
    neighbours: dict[int, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        t = self.travel
        self.neighbours = {i: sorted((j for j in self.customers if j != i), key=lambda j: t[i][j])
                           for i in self.customers}

    def cost(self, routes: Routes) -> int:
        return route_cost(self.travel, self.start, self.end, routes)


def improve(instance: Instance, routes: Routes, *, deadline: float, rng: random.Random,
            max_iterations: int | None = None, settings: Settings = VRPTW_SETTINGS,
            stop: Callable[[], bool] | None = None) -> tuple[Routes, int]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their cost.

    `routes` must serve every customer; so do the routes that come back."""
    units = Units.stops(instance.customers, instance.neighbours)

    def ruin_and_recreate(candidate: Routes, missing: list[int]) -> list[int] | None:
        removed = remove_strings(candidate, units, rng, settings)
        return [] if _recreate(instance, candidate, removed, rng, settings) else None

    cost = instance.cost(routes)
    best, best_cost = anneal(
        routes, [], cost=instance.cost, penalty=0, ruin_and_recreate=ruin_and_recreate,
        temperatures=temperatures(settings, cost, len(instance.customers), deadline=deadline,
                                  max_iterations=max_iterations, stop=stop),
        rng=rng)
    return best, int(best_cost)  # nothing is ever left out, so the cost is finite


def schedule(instance: Instance, v: int, route: Sequence[int]
             ) -> tuple[list[int], list[int], list[int]]:
    """The stops of route v with its ends, their earliest and their latest feasible service
    starts (the route is feasible when no earliest exceeds its latest)."""
    seq = [instance.start[v], *route, instance.end[v]]
    return seq, *time_bounds(seq, instance.travel, instance.service, instance.earliest,
                             instance.latest)


def _recreate(instance: Instance, routes: Routes, removed: list[int], rng: random.Random,
              settings: Settings) -> bool:
    """Insert the removed stops greedily at their cheapest feasible place; whether all fit."""
    t, e, late, d = instance.travel, instance.earliest, instance.latest, instance.demand
    depot = t[instance.start[0]]
    order_for_recreate(removed, rng, demand=d.__getitem__, distance=depot.__getitem__,
                       width=lambda i: late[i] - e[i])
    loads = [sum(d[i] for i in rt) for rt in routes]
    schedules: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for u in removed:
        best_delta, best_at = math.inf, None
        for v in vehicles_to_try(instance.allowed[u], routes):
            rt = routes[v]
            if loads[v] + d[u] > instance.capacity[v]:
                continue
            if v not in schedules:
                schedules[v] = schedule(instance, v, rt)
            seq, earliest, latest = schedules[v]
            for k in range(len(seq) - 1):
                p, n = seq[k], seq[k + 1]
                arrive = earliest[k] + instance.service[p] + t[p][u]
                if arrive > late[u]:
                    break
                begin = max(arrive, e[u])
                if begin + instance.service[u] + t[u][n] > latest[k + 1]:
                    continue
                delta = t[p][u] + t[u][n] - t[p][n]
                if delta < best_delta and rng.random() >= settings.blink:
                    best_delta, best_at = delta, (v, k)
        if best_at is None:
            return False
        v, k = best_at
        routes[v].insert(k, u)
        loads[v] += d[u]
        schedules.pop(v, None)
    return True
