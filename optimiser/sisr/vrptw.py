"""SISR for routing with windows (VRPTW and a CUS day of visits), in plain Python.

A ruin-and-recreate search over stops with one or more time windows each (on
the service start), a load limit, allowed vehicles per stop, a shift per
vehicle with at most one break of fixed length whose start has a window, and
stops that may be left out at a price (a CUS day: priorities) or must all be
served (Solomon). Ruin removes strings of consecutive stops from routes near a
random stop; recreate inserts them back greedily (with rare random "blinks"),
dearest to leave out first, where the route's labels allow; simulated
annealing decides what to keep (the shared steps live in `core`).

The break is taken where the worker is, after a stop's service and before the
drive on (or before the route starts, or after it ends, where its window
allows): a route's feasibility is exact under that rule, by two labels per
stop, the earliest and latest service starts with the break still to come
(state 0) and with it taken (state 1). It knows nothing of OR-Tools: the
OR-Tools adapter decides when the problem is plain enough, hands the routes
over, and polishes and re-checks what comes back.
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
    vehicles_to_try,
)

VRPTW_SETTINGS = Settings()  # the core defaults were tuned on Solomon at 10 s
INF = math.inf
NO_PLACE_MEMORY = 200_000  # (stop, vehicle, route) triples remembered as "fits nowhere"
LABELS_MEMORY = 20_000  # routes whose labels are remembered

Windows = tuple[tuple[int, int], ...]  # (earliest, latest) service starts, in time order


@dataclass(frozen=True)
class Break:
    """A break of `duration` starting between `earliest` and `latest`."""

    earliest: int
    latest: int
    duration: int


@dataclass
class Instance:
    """Stops are integer ids; `start[v]` and `end[v]` are the route ends of vehicle v, whose
    windows are the shift. `penalty[i]` is the cost of leaving stop i out; None: every stop
    must be served."""

    travel: list[list[int]]  # travel[a][b]: travel time and cost from a to b
    windows: list[Windows]  # service start windows per id (route ends: the shift)
    service: list[int]
    demand: list[int]
    allowed: list[frozenset[int]]  # vehicles per id
    start: list[int]
    end: list[int]
    capacity: list[float]
    customers: list[int]
    breaks: list[Break | None] = field(default_factory=list)  # per vehicle; none: no breaks
    penalty: list[int] | None = None
    stop_cost: list[Sequence[int]] | None = None  # per vehicle and id: paid beyond travel
    neighbours: dict[int, list[int]] = field(init=False)
    kind: list[int] = field(init=False)  # vehicles alike when empty have one kind

    def __post_init__(self) -> None:
        t = self.travel
        self.neighbours = {i: sorted((j for j in self.customers if j != i), key=lambda j: t[i][j])
                           for i in self.customers}
        if not self.breaks:
            self.breaks = [None] * len(self.start)
        costs = self.stop_cost or [()] * len(self.start)
        signature = [(tuple(t[self.start[v]]), tuple(t[self.end[v]]),
                      self.windows[self.start[v]], self.windows[self.end[v]], self.breaks[v],
                      self.capacity[v], tuple(costs[v])) for v in range(len(self.start))]
        number: dict[tuple[object, ...], int] = {}
        self.kind = [number.setdefault(sig, len(number)) for sig in signature]

    def cost(self, routes: Routes) -> int:
        travel = route_cost(self.travel, self.start, self.end, routes)
        if self.stop_cost is None:
            return travel
        return travel + sum(self.stop_cost[v][i] for v, rt in enumerate(routes) for i in rt)

    def left_out_cost(self, missing: Sequence[int]) -> float:
        if not missing:
            return 0
        return INF if self.penalty is None else sum(self.penalty[i] for i in missing)


def improve(instance: Instance, routes: Routes, *, deadline: float, rng: random.Random,
            max_iterations: int | None = None, settings: Settings = VRPTW_SETTINGS,
            stop: Callable[[], bool] | None = None, stall: int | None = None
            ) -> tuple[Routes, float]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their
    cost (travel plus the price of the stops left out).

    With `instance.penalty` None, `routes` must serve every customer and so do the routes
    that come back; otherwise every left-out stop is offered again at every step."""
    units = Units.stops(instance.customers, instance.neighbours)
    optional = instance.penalty is not None
    no_place: set[tuple[int, int, tuple[int, ...]]] = set()
    known: dict[tuple[int, tuple[int, ...]], Labels] = {}
    served = {i for rt in routes for i in rt}
    missing = [i for i in instance.customers if i not in served]

    def ruin_and_recreate(candidate: Routes, missing: list[int]) -> list[int] | None:
        removed = [*remove_strings(candidate, units, rng, settings), *missing]
        left = _recreate(instance, candidate, removed, rng, settings, no_place, known)
        return left if optional or not left else None

    best, best_cost = anneal(
        routes, missing, cost=instance.cost, left_out_cost=instance.left_out_cost,
        complete_only=not optional, ruin_and_recreate=ruin_and_recreate,
        temperatures=temperatures(settings, instance.cost(routes), len(instance.customers),
                                  deadline=deadline, max_iterations=max_iterations, stop=stop),
        rng=rng, stall=stall)
    return best, best_cost


def first_start(windows: Windows, x: float) -> float:
    """The earliest service start at or after x, or inf."""
    for a, b in windows:
        if x <= b:
            return a if x < a else x
    return INF


def last_start(windows: Windows, x: float) -> float:
    """The latest service start at or before x, or -inf."""
    for a, b in reversed(windows):
        if x >= a:
            return b if x > b else x
    return -INF


@dataclass
class Labels:
    """Route v's stops with its ends, and per stop the earliest (E) and latest (L) service
    start with the break still to come (0) and taken (1); a vehicle without a break is
    always in state 1."""

    seq: list[int]
    e0: list[float]
    e1: list[float]
    l0: list[float]
    l1: list[float]

    @property
    def feasible(self) -> bool:
        return self.e1[-1] <= self.l1[-1] or self.e0[-1] <= self.l0[-1]


def labels(instance: Instance, v: int, route: Sequence[int]) -> Labels:
    t, s, w = instance.travel, instance.service, instance.windows
    seq = [instance.start[v], *route, instance.end[v]]
    n = len(seq)
    brk = instance.breaks[v]
    e0, e1 = [INF] * n, [INF] * n
    l0, l1 = [-INF] * n, [-INF] * n
    e1[0] = first_start(w[seq[0]], -INF)
    if brk is not None:
        e0[0] = e1[0]
        e1[0] = first_start(w[seq[0]], brk.earliest + brk.duration)  # the break before leaving
    for k in range(1, n):
        a, b = seq[k - 1], seq[k]
        d = t[a][b]
        e1[k] = first_start(w[b], e1[k - 1] + s[a] + d)
        if brk is not None and e0[k - 1] < INF:
            e0[k] = first_start(w[b], e0[k - 1] + s[a] + d)
            taken = max(e0[k - 1] + s[a], brk.earliest)
            if taken <= brk.latest:
                e1[k] = min(e1[k], first_start(w[b], taken + brk.duration + d))
    last = w[seq[-1]][-1][1]
    l1[-1] = last
    if brk is not None:
        l0[-1] = min(last, brk.latest)  # the break after the route's end
    for k in range(n - 2, -1, -1):
        a, b = seq[k], seq[k + 1]
        d = t[a][b]
        l1[k] = last_start(w[a], l1[k + 1] - d - s[a])
        if brk is not None:
            later = last_start(w[a], l0[k + 1] - d - s[a])
            here = min(brk.latest, l1[k + 1] - brk.duration - d)  # the break right after a
            if here >= brk.earliest:
                later = max(later, last_start(w[a], here - s[a]))
            l0[k] = later
    return Labels(seq, e0, e1, l0, l1)


def _recreate(instance: Instance, routes: Routes, removed: list[int], rng: random.Random,
              settings: Settings, no_place: set[tuple[int, int, tuple[int, ...]]],
              known: dict[tuple[int, tuple[int, ...]], Labels]) -> list[int]:
    """Insert the removed stops greedily at their cheapest feasible place, dearest to leave
    out first; the stops that found none.

    `no_place` remembers (stop, vehicle, route) where a stop fits nowhere: a stop left out
    is offered again at every step, and most routes are as they were; `known` keeps the
    labels of routes seen before."""
    t, w, s, d = instance.travel, instance.windows, instance.service, instance.demand
    depot = t[instance.start[0]]
    order_for_recreate(removed, rng, demand=d.__getitem__, distance=depot.__getitem__,
                       width=lambda i: w[i][-1][1] - w[i][0][0])
    if instance.penalty is not None:
        penalty = instance.penalty
        removed.sort(key=lambda i: -penalty[i])  # stable: the drawn order within a price
    loads = [sum(d[i] for i in rt) for rt in routes]
    contents: dict[int, tuple[int, ...]] = {}
    if len(no_place) > NO_PLACE_MEMORY:
        no_place.clear()
    if len(known) > LABELS_MEMORY:
        known.clear()
    breaks = instance.breaks
    stop_cost = instance.stop_cost
    left: list[int] = []
    for u in removed:
        best_delta, best_at = INF, None
        wu, su, tu = w[u], s[u], t[u]
        (open_u, _), close_u = wu[0], wu[-1][1]
        single = len(wu) == 1
        for v in vehicles_to_try(instance.allowed[u], routes, instance.kind):
            if loads[v] + d[u] > instance.capacity[v]:
                continue
            if v not in contents:
                contents[v] = tuple(routes[v])
            if (u, v, contents[v]) in no_place:
                continue
            key = (v, contents[v])
            if key not in known:
                known[key] = labels(instance, v, routes[v])
            complete, fitted = best_delta == INF, False  # no place skipped as dearer
            lab = known[key]
            seq, e0, e1, l0, l1 = lab.seq, lab.e0, lab.e1, lab.l0, lab.l1
            brk = breaks[v]
            # with a break to take, the earliest times are those with it still to come
            first = e0 if brk is not None else e1
            extra = stop_cost[v][u] if stop_cost is not None else 0
            for k in range(len(seq) - 1):
                p, q = seq[k], seq[k + 1]
                tp = t[p]
                depart = first[k] + s[p]
                if depart + tp[u] > close_u:
                    break  # later places are later still
                delta = tp[u] + tu[q] - tp[q] + extra
                if delta >= best_delta:
                    continue
                arrive = e1[k] + s[p] + tp[u]
                if single:
                    x = arrive if arrive > open_u else open_u
                    if x > close_u:
                        x = INF
                else:
                    x = first_start(wu, arrive)
                fits = x + su + tu[q] <= l1[k + 1]
                if not fits and brk is not None and e0[k] < INF:
                    x0 = first_start(wu, e0[k] + s[p] + tp[u])
                    if x0 + su + tu[q] <= l0[k + 1]:
                        fits = True  # the break later
                    else:
                        taken = max(e0[k] + s[p], brk.earliest)  # the break before u
                        if taken <= brk.latest and first_start(
                                wu, taken + brk.duration + tp[u]) + su + tu[q] <= l1[k + 1]:
                            fits = True
                        elif x0 < INF:  # the break after u
                            taken = max(x0 + su, brk.earliest)
                            fits = (taken <= brk.latest
                                    and taken + brk.duration + tu[q] <= l1[k + 1])
                if fits:
                    fitted = True
                    if rng.random() >= settings.blink:
                        best_delta, best_at = delta, (v, k)
            if complete and not fitted:
                no_place.add((u, v, contents[v]))
        if best_at is None:
            if instance.penalty is None:
                return [u]  # a stop that must be served found no place: give up early
            left.append(u)
            continue
        v, k = best_at
        routes[v].insert(k, u)
        loads[v] += d[u]
        contents.pop(v, None)
    return left
