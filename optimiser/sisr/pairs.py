"""SISR ruin-and-recreate for pickup-and-delivery (dial-a-ride).

The pair variant of `vrptw`: every request is a pickup and a drop-off that
share a route, pickup first. Besides one time window per stop (on the service
start), it models a load limit per vehicle, a maximum ride time per request
(from the end of boarding to the start of alighting) and a maximum route
duration per vehicle (route end minus route start; the start may be delayed).

Ruin removes strings of consecutive stops near a random request, together
with their partners; recreate inserts each request at the cheapest pickup
and drop-off positions (i <= j) that pass cheap necessary tests (earliest /
latest starts, load, a lower bound on the ride) and then an exact schedule
test; simulated annealing decides what to keep, passing through plans that
leave requests out (at a penalty) but keeping only complete ones as best.
The exact test computes the least schedule of the route's difference
constraints (windows, travel, ride time, duration) by label correction, so
it finds a schedule whenever one exists (it gives up, rejecting the route,
after a bounded number of corrections). The steps run compiled in
`pairs_loop`; this module holds the instance, its arrays and the driver. It
knows nothing of OR-Tools: the OR-Tools adapter decides when the problem
fits, hands the routes over, and polishes and re-checks the result.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

import optimiser.sisr.pairs_loop as pairs_loop
from optimiser.sisr.core import (
    OnBest,
    Routes,
    Settings,
    route_cost,
    routes_of,
    run_in_chunks,
    temperatures,
)
from optimiser.sisr.jit import seeded

# Cooler than VRPTW's 3.0 -> 0.03. Compiled, on a8-96 from GLS's plan, 15 s, seeds 0-2:
# mean gap 3.0 % at 0.5 -> 0.01, 3.2 % at 1.5 -> 0.01, 4.4 % at 3.0 -> 0.03.
PAIR_SETTINGS = Settings(temperature_start=0.5, temperature_end=0.01)
LEFT_OUT_PENALTY_ROUTES = 2  # a request left out costs about twice a route of its own
INF = math.inf


@dataclass
class PairInstance:
    """Stops are integer ids; `start[v]` and `end[v]` are the route ends of vehicle v.

    `pickup[r]`/`dropoff[r]` are the stops of request r; `delta[i]` is the load change at
    stop i (+ at the pickup, - at the drop-off); `max_ride[r]` bounds dropoff start minus
    (pickup start + pickup service); `max_duration[v]` bounds end minus start of route v.
    """

    travel: list[list[int]]
    earliest: list[int]
    latest: list[int]
    service: list[int]
    delta: list[int]
    allowed: list[frozenset[int]]  # vehicles per request
    start: list[int]
    end: list[int]
    capacity: list[float]
    max_duration: list[float]
    pickup: list[int]
    dropoff: list[int]
    max_ride: list[float]
    request_of: dict[int, int] = field(init=False)
    neighbours: list[list[int]] = field(init=False)

    def __post_init__(self) -> None:
        t, p, d = self.travel, self.pickup, self.dropoff
        self.request_of = {**{s: r for r, s in enumerate(p)}, **{s: r for r, s in enumerate(d)}}
        n = len(p)
        self.neighbours = [sorted((b for b in range(n) if b != a),
                                  key=lambda b, a=a: t[p[a]][p[b]] + t[d[a]][d[b]])  # type: ignore[misc]
                           for a in range(n)]

    def cost(self, routes: Routes) -> int:
        return route_cost(self.travel, self.start, self.end, routes)

    def feasible(self, v: int, route: list[int]) -> bool:
        """Whether route v (stops without its ends) has a schedule meeting every constraint
        (the compiled search's exact test)."""
        if any(i not in self.request_of for i in route):
            return False
        seq = np.array([self.start[v], *route, self.end[v]], np.int64)
        n, requests = len(seq), len(self.pickup)
        return bool(pairs_loop.schedule_exists(
            self.arrays, v, seq, n, np.empty(n), np.empty(n), np.empty(requests, np.int64)))

    @cached_property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The instance as the flat arrays `pairs_loop` reads, in its order."""
        size = len(self.travel)
        request_of = np.zeros(size, np.int64)
        delta = np.zeros(size)
        for i, r in self.request_of.items():
            request_of[i], delta[i] = r, self.delta[i]
        allowed = np.zeros((len(self.pickup), len(self.start)), np.bool_)
        for r, vs in enumerate(self.allowed):
            allowed[r, list(vs)] = True
        neighbours = np.zeros((len(self.pickup), max(1, len(self.pickup) - 1)), np.int64)
        for r, near in enumerate(self.neighbours):
            neighbours[r, :len(near)] = near
        ints = [np.array(a, np.int64) for a in (self.pickup, self.dropoff)]
        return (np.array(self.travel, float), np.array(self.earliest, float),
                np.array(self.latest, float), np.array(self.service, float), delta, allowed,
                np.array(self.capacity, float), np.array(self.max_duration, float), *ints,
                np.array(self.max_ride, float), request_of, np.array(self.start, np.int64),
                neighbours)


def improve_pairs(instance: PairInstance, routes: Routes, *, deadline: float,
                  rng: random.Random, max_iterations: int | None = None,
                  settings: Settings = PAIR_SETTINGS,
                  stop: Callable[[], bool] | None = None, stall: int | None = None,
                  on_best: OnBest | None = None) -> tuple[Routes, float]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their cost.

    `routes` may leave requests out; the best routes serve all unless none such was found
    (then `routes` come back, at cost inf). The steps run compiled (`pairs_loop`), a chunk
    of temperatures at a time."""
    t, P, D = instance.travel, instance.pickup, instance.dropoff
    # SA may pass through plans that leave requests out, each at this penalty
    penalty = LEFT_OUT_PENALTY_ROUTES * max(
        (t[s][P[r]] + t[P[r]][D[r]] + t[D[r]][e]
         for r in range(len(P)) for s, e in zip(instance.start, instance.end, strict=True)),
        default=0)
    p = instance.arrays
    current = route_state(instance, routes)
    candidate = tuple(a.copy() for a in current)
    best = (current[0].copy(), current[1].copy())
    served = {instance.request_of[i] for rt in routes for i in rt}
    missing = np.array([r for r in range(len(P)) if r not in served] + [0] * len(served),
                       np.int64)  # GLS may leave some out
    n_missing = len(P) - len(served)
    cost = float(current[5].sum())
    status = np.array([cost + penalty * n_missing, INF if n_missing else cost, 0, 0,
                       n_missing, 0])
    state = seeded(rng.getrandbits(63))
    schedule = temperatures(settings, instance.cost(routes), 2 * len(P), deadline=deadline,
                            max_iterations=max_iterations, stop=stop)
    run_in_chunks(schedule, status, lambda chunk: pairs_loop.run(
        p, current, candidate, best, missing, status, chunk, state,
        float(settings.average_removed), settings.max_string, settings.blink, float(penalty),
        -1 if stall is None else stall), best, on_best)
    if status[1] == INF:
        return routes, INF
    return routes_of(best), status[1]


def route_state(instance: PairInstance, routes: Routes) -> tuple[np.ndarray, ...]:
    """(seq, count, earliest, latest, load, cost) of `routes`, bounds filled."""
    vehicles, width = len(instance.start), 2 * len(instance.pickup) + 2
    seq = np.zeros((vehicles, width), np.int64)
    count = np.array([len(rt) for rt in routes], np.int64)
    for v, rt in enumerate(routes):
        seq[v, :len(rt) + 2] = [instance.start[v], *rt, instance.end[v]]
    ear, lat, load = np.zeros((vehicles, width)), np.zeros((vehicles, width)), \
        np.zeros((vehicles, width))
    cost = np.zeros(vehicles)
    for v in range(vehicles):
        pairs_loop.bounds(instance.arrays, seq, count, ear, lat, load, cost, v)
    return seq, count, ear, lat, load, cost
