"""SISR ruin-and-recreate for pickup-and-delivery (dial-a-ride), in plain Python.

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
after a bounded number of corrections). The shared steps live in `core`. It
knows nothing of OR-Tools: the OR-Tools adapter decides when the problem
fits, hands the routes over, and polishes and re-checks the result.
"""

from __future__ import annotations

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
    vehicles_to_try,
)

# Tried on Cordeau a6-72..a8-96 at 30 s: in pure Python only a few thousand iterations fit,
# so a cooler start than VRPTW's (3.0 → 0.03) did better from GLS's plan.
PAIR_SETTINGS = Settings(temperature_start=0.5, temperature_end=0.01)
LEFT_OUT_PENALTY_ROUTES = 2  # a request left out costs about twice a route of its own
# The exact test's label-correction budget is 10·n + 20 raises for n stops: it bounds the
# work per test, and a route that needs more is rejected, never guessed feasible.
CORRECTIONS_PER_STOP = 10
CORRECTIONS_BASE = 20


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
        """Whether route v (stops without its ends) has a schedule meeting every constraint."""
        seq = [self.start[v], *route, self.end[v]]
        return schedule_exists(self, v, seq)


def improve_pairs(instance: PairInstance, routes: Routes, *, deadline: float,
                  rng: random.Random, max_iterations: int | None = None,
                  settings: Settings = PAIR_SETTINGS,
                  stop: Callable[[], bool] | None = None, stall: int | None = None
                  ) -> tuple[Routes, float]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their cost.

    `routes` may leave requests out; the best routes serve all unless none such was found
    (then `routes` come back, at cost inf)."""
    t, P, D = instance.travel, instance.pickup, instance.dropoff
    # SA may pass through plans that leave requests out, each at this penalty
    penalty = LEFT_OUT_PENALTY_ROUTES * max(
        (t[s][P[r]] + t[P[r]][D[r]] + t[D[r]][e]
         for r in range(len(P)) for s, e in zip(instance.start, instance.end, strict=True)),
        default=0)
    served = {instance.request_of[i] for rt in routes for i in rt}
    missing = [r for r in range(len(P)) if r not in served]  # GLS may leave some out
    units = Units.requests(P, D, instance.request_of, instance.neighbours)

    def ruin_and_recreate(candidate: Routes, missing: list[int]) -> list[int]:
        removed = [*remove_strings(candidate, units, rng, settings), *missing]
        return _recreate(instance, candidate, removed, rng, settings)

    return anneal(
        routes, missing, cost=instance.cost, left_out_cost=lambda left: penalty * len(left),
        ruin_and_recreate=ruin_and_recreate,
        temperatures=temperatures(settings, instance.cost(routes), 2 * len(P),
                                  deadline=deadline, max_iterations=max_iterations,
                                  stop=stop),
        rng=rng, stall=stall)


def _recreate(instance: PairInstance, routes: Routes, removed: list[int], rng: random.Random,
              settings: Settings) -> list[int]:
    """Insert the removed requests greedily; the ones that found no feasible place."""
    t, e, late = instance.travel, instance.earliest, instance.latest
    s, dl = instance.service, instance.delta
    P, D = instance.pickup, instance.dropoff
    depot = t[instance.start[0]]
    order_for_recreate(removed, rng, demand=lambda r: dl[P[r]], distance=lambda r: depot[P[r]],
                       width=lambda r: late[P[r]] - e[P[r]] + late[D[r]] - e[D[r]])
    cache: dict[int, tuple[list[int], list[int], list[int], list[int]]] = {}
    left: list[int] = []
    for r in removed:
        p, d = P[r], D[r]
        q, ride = dl[p], instance.max_ride[r]
        tp, td, sp, sd, ed, ld = t[p], t[d], s[p], s[d], e[d], late[d]
        candidates: list[tuple[int, int, int, int]] = []
        for v in vehicles_to_try(instance.allowed[r], routes):
            rt = routes[v]
            if q > instance.capacity[v]:
                continue
            if v not in cache:
                cache[v] = _bounds(instance, v, rt)
            seq, ear, lat, load = cache[v]
            room = instance.capacity[v] - q
            last = len(seq) - 1
            for i in range(last):
                a, b = seq[i], seq[i + 1]
                if load[i] > room:
                    continue  # the load after stop i must make room for the pickup
                arrive = ear[i] + s[a] + t[a][p]
                if arrive > late[p]:
                    break
                bp = arrive if arrive > e[p] else e[p]
                # drop-off straight after the pickup
                bd = bp + sp + tp[d]
                if bd < ed:
                    bd = ed
                if bd <= ld and bd - bp - sp <= ride and bd + sd + td[b] <= lat[i + 1]:
                    candidates.append((t[a][p] + tp[d] + td[b] - t[a][b], v, i, i))
                # drop-off later: push the pickup's delay through stops i+1..j
                x = bp + sp + tp[b]
                if x > lat[i + 1]:
                    continue
                if x < ear[i + 1]:
                    x = ear[i + 1]
                ride_low = tp[b]  # travel from p to stop i+1: a lower bound on the ride so far
                add_p = t[a][p] + tp[b] - t[a][b]
                for j in range(i + 1, last):
                    c, n = seq[j], seq[j + 1]
                    if load[j] > room or ride_low > ride:
                        break
                    tc = t[c]
                    sc = s[c]
                    ad = x + sc + tc[d]
                    if ad > ld:
                        break
                    bd = ad if ad > ed else ed
                    if bd + sd + td[n] <= lat[j + 1] and ride_low + sc + tc[d] <= ride:
                        candidates.append((add_p + tc[d] + td[n] - tc[n], v, i, j))
                    x += sc + tc[n]
                    if x < ear[j + 1]:
                        x = ear[j + 1]
                    if x > lat[j + 1]:
                        break
                    ride_low += sc + tc[n]
        candidates.sort()
        placed = False
        for _, v, i, j in candidates:
            if rng.random() < settings.blink:
                continue
            rt = routes[v]
            new = [*rt[:i], p, *rt[i:j], d, *rt[j:]]
            if instance.feasible(v, new):
                routes[v] = new
                cache.pop(v, None)
                placed = True
                break
        if not placed:
            left.append(r)
    return left


def _bounds(instance: PairInstance, v: int, route: list[int]
            ) -> tuple[list[int], list[int], list[int], list[int]]:
    """Stops with route ends; earliest and latest service starts (windows and travel only:
    bounds that every feasible schedule meets); the load after each stop."""
    seq = [instance.start[v], *route, instance.end[v]]
    earliest, latest = time_bounds(seq, instance.travel, instance.service, instance.earliest,
                                   instance.latest)
    load, acc = [], 0
    for i in seq:
        acc += instance.delta[i] if i in instance.request_of else 0
        load.append(acc)
    return seq, earliest, latest, load


def schedule_exists(instance: PairInstance, v: int, seq: list[int]) -> bool:
    """Exact: whether the stops `seq` (route v with its ends) have a schedule; the least
    solution of the route's difference constraints, by label correction.

    Service starts x_k only ever rise from their window opens; a ride longer than allowed
    raises the pickup, a route longer than allowed raises the start; any start beyond its
    window close proves that no schedule exists (every schedule is at least the least one).
    """
    t, s, e, late = instance.travel, instance.service, instance.earliest, instance.latest
    req, P = instance.request_of, instance.pickup
    n = len(seq)
    load = 0
    position: dict[int, int] = {}
    for k in range(1, n - 1):
        i = seq[k]
        load += instance.delta[i]
        if load > instance.capacity[v]:
            return False
        r = req[i]
        if i == P[r]:
            position[r] = k
        elif r not in position:
            return False  # drop-off before its pickup
    if position.keys() != {req[i] for i in seq[1:-1]}:
        return False
    low: list[float] = [e[i] for i in seq]
    x: list[float] = [0] * n
    duration = instance.max_duration[v]
    k = 0
    budget = CORRECTIONS_PER_STOP * n + CORRECTIONS_BASE
    while True:
        while k < n:
            i = seq[k]
            x[k] = low[k] if k == 0 else max(low[k], x[k - 1] + s[seq[k - 1]] + t[seq[k - 1]][i])
            if x[k] > late[i]:
                return False
            if 0 < k < n - 1:
                r = req[i]
                if i != P[r]:
                    q = position[r]
                    too_long = x[k] - x[q] - s[seq[q]] - instance.max_ride[r]
                    if too_long > 0:
                        budget -= 1
                        if budget < 0:
                            return False  # give up: reject rather than guess
                        low[q] = x[q] + too_long
                        k = q
                        continue
            k += 1
        over = x[-1] - x[0] - duration
        if over <= 0:
            return True
        budget -= 1
        if budget < 0:
            return False
        low[0] = x[0] + over
        k = 0


def time_bounds(seq: Sequence[int], travel: list[list[int]], service: list[int],
                opens: list[int], closes: list[int]) -> tuple[list[int], list[int]]:
    """Earliest and latest service start of each stop of `seq` from windows and travel."""
    earliest = [opens[seq[0]]]
    for k in range(1, len(seq)):
        a, b = seq[k - 1], seq[k]
        earliest.append(max(opens[b], earliest[-1] + service[a] + travel[a][b]))
    latest = [0] * len(seq)
    latest[-1] = closes[seq[-1]]
    for k in range(len(seq) - 2, -1, -1):
        a, b = seq[k], seq[k + 1]
        latest[k] = min(closes[a], latest[k + 1] - service[a] - travel[a][b])
    return earliest, latest
