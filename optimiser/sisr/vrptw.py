"""SISR for routing with windows (VRPTW and a CUS day of visits).

A ruin-and-recreate search over stops with one or more time windows each (on
the service start), a load limit, allowed vehicles per stop, a shift per
vehicle with at most one break of fixed length whose start has a window, and
stops that may be left out at a price (a CUS day: priorities) or must all be
served (Solomon). Ruin removes strings of consecutive stops from routes near a
random stop; recreate inserts them back greedily (with rare random "blinks"),
dearest to leave out first, where the route's labels allow; simulated
annealing decides what to keep. The steps run compiled in `vrptw_loop`; this
module holds the instance, its arrays and the driver.

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
from functools import cached_property

import numpy as np

import optimiser.sisr.vrptw_loop as vrptw_loop
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

VRPTW_SETTINGS = Settings()  # the core defaults were tuned on Solomon at 10 s
INF = math.inf

Windows = tuple[tuple[int, int], ...]  # (earliest, latest) service starts, in time order


Arrays = tuple[np.ndarray, ...]


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

    @cached_property
    def arrays(self) -> Arrays:
        """The instance as the flat arrays `vrptw_loop` reads, in its order."""
        size, vehicles = len(self.demand), len(self.start)
        widest = max(map(len, self.windows))
        wlo, whi = np.full((size, widest), INF), np.full((size, widest), INF)
        for i, ws in enumerate(self.windows):
            for j, (a, b) in enumerate(ws):
                wlo[i, j], whi[i, j] = a, b
        allowed = np.zeros((size, vehicles), np.bool_)
        for i, vs in enumerate(self.allowed):
            allowed[i, list(vs)] = True
        breaks = self.breaks
        stop_cost = (np.zeros((vehicles, size)) if self.stop_cost is None
                     else np.array(self.stop_cost, float))
        customers = np.array(self.customers, np.int64)
        neighbours = np.zeros((size, max(1, len(customers) - 1)), np.int64)
        for i, near in self.neighbours.items():
            neighbours[i, :len(near)] = near
        penalty = (np.zeros(size) if self.penalty is None
                   else np.array(self.penalty, float))
        return (np.array(self.travel, float), wlo, whi,
                np.array([len(ws) for ws in self.windows], np.int64),
                np.array(self.service, float), np.array(self.demand, float), allowed,
                np.array(self.capacity, float),
                np.array([b is not None for b in breaks], np.bool_),
                np.array([b.earliest if b else 0 for b in breaks], float),
                np.array([b.latest if b else 0 for b in breaks], float),
                np.array([b.duration if b else 0 for b in breaks], float),
                penalty, stop_cost, np.array(self.kind, np.int64), customers, neighbours)


def improve(instance: Instance, routes: Routes, *, deadline: float, rng: random.Random,
            max_iterations: int | None = None, settings: Settings = VRPTW_SETTINGS,
            stop: Callable[[], bool] | None = None, stall: int | None = None,
            on_best: OnBest | None = None) -> tuple[Routes, float]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their
    cost (travel plus the price of the stops left out).

    With `instance.penalty` None, `routes` must serve every customer and so do the routes
    that come back; otherwise every left-out stop is offered again at every step. The
    steps run compiled (`vrptw_loop`), a chunk of temperatures at a time."""
    optional = instance.penalty is not None
    p = instance.arrays
    current = route_state(instance, routes)
    candidate = tuple(a.copy() for a in current)
    best = (current[0].copy(), current[1].copy())
    served = {i for rt in routes for i in rt}
    missing = np.array([i for i in instance.customers if i not in served] or [0], np.int64)
    n_missing = len(instance.customers) - len(served)
    cost = float(current[7].sum()) + instance.left_out_cost(missing[:n_missing].tolist())
    status = np.array([cost, INF if n_missing and not optional else cost, 0, 0, n_missing, 0])
    missing = np.resize(missing, len(instance.demand))
    state = seeded(rng.getrandbits(63))
    schedule = temperatures(settings, instance.cost(routes), len(instance.customers),
                            deadline=deadline, max_iterations=max_iterations, stop=stop)
    start = np.array(instance.start, np.int64)
    run_in_chunks(schedule, status, lambda chunk: vrptw_loop.run(
        p, start, current, candidate, best, missing, status, chunk, state,
        float(settings.average_removed), settings.max_string, settings.blink, optional,
        -1 if stall is None else stall), best, on_best)
    return routes_of(best), status[1]


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
    """The labels of `route` on vehicle v, as the compiled search computes them."""
    routes: Routes = [[] for _ in instance.start]
    routes[v] = list(route)
    seq, count, e0, e1, l0, l1, _, _ = route_state(instance, routes)
    m = len(route) + 2
    return Labels(seq[v, :m].tolist(), e0[v, :m].tolist(), e1[v, :m].tolist(),
                  l0[v, :m].tolist(), l1[v, :m].tolist())


def route_state(instance: Instance, routes: Routes) -> Arrays:
    """(seq, count, e0, e1, l0, l1, load, cost) of `routes`, labels filled."""
    vehicles, width = len(instance.start), len(instance.customers) + 2
    seq = np.zeros((vehicles, width), np.int64)
    count = np.array([len(rt) for rt in routes], np.int64)
    for v, rt in enumerate(routes):
        seq[v, :len(rt) + 2] = [instance.start[v], *rt, instance.end[v]]
    e0, e1 = np.full((vehicles, width), INF), np.full((vehicles, width), INF)
    l0, l1 = np.full((vehicles, width), -INF), np.full((vehicles, width), -INF)
    load = np.array([sum(instance.demand[i] for i in rt) for rt in routes], float)
    cost = np.zeros(vehicles)
    for v in range(vehicles):
        vrptw_loop.refresh(instance.arrays, seq, count, e0, e1, l0, l1, cost, v)
    return seq, count, e0, e1, l0, l1, load, cost
