"""The part of SISR that the VRPTW and the pickup-and-delivery searches share.

Slack induction by string removals (Christiaens & Vanden Berghe 2020) is a
ruin-and-recreate search: ruin removes strings of consecutive stops from
routes near a random seed, recreate inserts what was removed greedily (with
rare random "blinks"), and simulated annealing decides what to keep. What a
search removes and re-inserts is a *unit*: a stop (VRPTW) or a request, a
pickup with its drop-off (pickup-and-delivery). This module holds the route
cost, the settings, the string removal over either kind of unit, the choice
of recreate order, the cooling schedule and the annealing loop; `vrptw` and
`pairs` add their own instances, schedules and insertion steps.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

Routes = list[list[int]]

MAX_STRINGS_FACTOR = 4  # at most 4·c̄ / (1 + L) - 1 strings per ruin (the paper's k_s^max)
PICKUP_ANCHOR_CHANCE = 0.5  # a request's string starts at its pickup or its drop-off alike
MIN_COST_PER_STOP = 1.0  # keeps temperatures positive when the routes cost (almost) nothing
MIN_COOLING_SPAN_S = 1e-6  # a deadline already reached still gives a positive time span
RECREATE_ORDERS = ("random", "demand", "far", "tight")  # equally likely, one per recreate


@dataclass(frozen=True)
class Settings:
    """Temperatures are relative to the average cost per stop of the starting routes.

    The defaults were tuned for VRPTW on Solomon at 10 s; `pairs.PAIR_SETTINGS` cools
    differently."""

    temperature_start: float = 3.0  # × cost / stops
    temperature_end: float = 0.03
    average_removed: int = 10  # c̄: stops removed per ruin on average
    max_string: int = 10  # L^max: stops per string at most
    blink: float = 0.01  # chance of skipping a better position while recreating


@dataclass(frozen=True)
class Units:
    """What string removal takes out of the routes and hands to recreate.

    Either stops one by one (`request_of` is None), or requests: then every stop of a
    string takes its request's partner stop with it, and `pickup[r]`/`dropoff[r]` are the
    stops of request r. `ids` are the units a seed is drawn from; `neighbours[u]` are the
    other units, nearest first."""

    ids: Sequence[int]
    neighbours: Mapping[int, Sequence[int]] | Sequence[Sequence[int]]
    request_of: Mapping[int, int] | None = None
    pickup: Sequence[int] = ()
    dropoff: Sequence[int] = ()

    @classmethod
    def stops(cls, customers: Sequence[int], neighbours: Mapping[int, Sequence[int]]
              ) -> Units:
        return cls(ids=customers, neighbours=neighbours)

    @classmethod
    def requests(cls, pickup: Sequence[int], dropoff: Sequence[int],
                 request_of: Mapping[int, int], neighbours: Sequence[Sequence[int]]
                 ) -> Units:
        return cls(ids=range(len(pickup)), neighbours=neighbours, request_of=request_of,
                   pickup=pickup, dropoff=dropoff)


def route_cost(travel: list[list[int]], start: Sequence[int], end: Sequence[int],
               routes: Routes) -> int:
    """Total travel of the routes, each from its vehicle's start to its end; empty routes
    cost nothing."""
    total = 0
    for v, rt in enumerate(routes):
        if rt:
            seq = [start[v], *rt, end[v]]
            total += sum(travel[a][b] for a, b in zip(seq, seq[1:], strict=False))
    return total


def remove_strings(routes: Routes, units: Units, rng: random.Random, settings: Settings
                   ) -> list[int]:
    """Ruin: cut one string out of each of a few routes near a random seed unit, in place.

    The removed units, in the order they were cut."""
    request_of = units.request_of
    if request_of is None:
        where = {i: v for v, rt in enumerate(routes) for i in rt}
    else:
        where = {request_of[i]: v for v, rt in enumerate(routes) for i in rt}
    used = [rt for rt in routes if rt]
    if not used:
        return []
    average_length = sum(map(len, used)) / len(used)
    longest = min(settings.max_string, average_length)
    strings = int(rng.random()
                  * (MAX_STRINGS_FACTOR * settings.average_removed / (1 + longest) - 1)) + 1
    seed = rng.choice(units.ids)
    removed: list[int] = []
    ruined: set[int] = set()
    for u in [seed, *units.neighbours[seed]]:
        if len(ruined) >= strings:
            break
        v = where.get(u)
        if v is None or v in ruined:
            continue
        rt = routes[v]
        length = int(rng.random() * min(len(rt), longest)) + 1
        if request_of is None:
            stop = u
        else:
            stop = units.pickup[u] if rng.random() < PICKUP_ANCHOR_CHANCE else units.dropoff[u]
        k = rt.index(stop)
        lo = rng.randint(max(0, k - length + 1), min(k, len(rt) - length))
        if request_of is None:
            removed.extend(rt[lo:lo + length])
            del rt[lo:lo + length]
        else:
            gone = {request_of[i] for i in rt[lo:lo + length]}
            routes[v] = [i for i in rt if request_of[i] not in gone]
            removed.extend(gone)
        ruined.add(v)
    return removed


def order_for_recreate(removed: list[int], rng: random.Random, *,
                       demand: Callable[[int], float], distance: Callable[[int], float],
                       width: Callable[[int], float]) -> None:
    """Sort the removed units in place by one order drawn at random: random, largest
    demand first, farthest from the first vehicle's start first, or tightest windows first."""
    order = RECREATE_ORDERS[rng.randrange(len(RECREATE_ORDERS))]
    if order == "random":
        rng.shuffle(removed)
    elif order == "demand":
        removed.sort(key=lambda u: -demand(u))
    elif order == "far":
        removed.sort(key=lambda u: -distance(u))
    else:
        removed.sort(key=width)


def vehicles_to_try(allowed: Iterable[int], routes: Routes,
                    kind: Sequence[Hashable] | None = None) -> Iterator[int]:
    """The allowed vehicles, with only the first empty one of each kind (all one kind when
    `kind` is None): empty routes of one kind are alike enough to try one."""
    tried: set[Hashable] = set()
    for v in allowed:
        if not routes[v]:
            k = None if kind is None else kind[v]
            if k in tried:
                continue
            tried.add(k)
        yield v


def anneal(routes: Routes, missing: list[int], *, cost: Callable[[Routes], int],
           left_out_cost: Callable[[list[int]], float],
           ruin_and_recreate: Callable[[Routes, list[int]], list[int] | None],
           temperatures: Iterable[float], rng: random.Random, complete_only: bool = True,
           stall: int | None = None) -> tuple[Routes, float]:
    """Simulated annealing over ruin-and-recreate moves; the best routes and their cost.

    `missing` are the units `routes` leave out; they cost `left_out_cost(missing)` on top
    of the travel. `ruin_and_recreate(candidate, missing)` changes a copy of the current
    routes in place and returns the units it left out, or None to discard the candidate. A
    candidate is kept when its cost is below the current cost plus an exponentially
    distributed slack whose mean is the temperature. With `complete_only`, only routes that
    leave nothing out can become the best (cost inf until one does). With `stall`, the
    search ends when it went as many steps again as it took to find its best, and at
    least `stall`, without a better one."""
    current = [r[:] for r in routes]
    current_cost = cost(routes) + left_out_cost(missing)
    best = [r[:] for r in current]
    best_cost = math.inf if missing and complete_only else current_cost
    best_at = 0
    for step, temperature in enumerate(temperatures, start=1):
        if stall is not None and step - best_at > max(stall, best_at):
            break
        candidate = [r[:] for r in current]
        left = ruin_and_recreate(candidate, missing)
        if left is None:
            continue
        candidate_cost = cost(candidate) + left_out_cost(left)
        if candidate_cost < current_cost - temperature * math.log(1.0 - rng.random()):
            current, current_cost, missing = candidate, candidate_cost, left
            if (not left or not complete_only) and candidate_cost < best_cost:
                best, best_cost, best_at = [r[:] for r in candidate], candidate_cost, step
    return best, best_cost


def temperatures(settings: Settings, cost: float, stops: int, *, deadline: float,
                 max_iterations: int | None, stop: Callable[[], bool] | None = None
                 ) -> Iterator[float]:
    """The cooling schedule of `settings`, scaled to the average cost per stop."""
    per_stop = max(MIN_COST_PER_STOP, cost / max(1, stops))
    return cooling(settings.temperature_start * per_stop, settings.temperature_end * per_stop,
                   deadline=deadline, max_iterations=max_iterations, stop=stop)


def cooling(t_start: float, t_end: float, *, deadline: float, max_iterations: int | None,
            stop: Callable[[], bool] | None = None) -> Iterator[float]:
    """Exponentially falling temperatures, one per iteration, until the deadline or count,
    or until `stop()` says so (a cancelled solve)."""
    started = time.monotonic()
    span = max(MIN_COOLING_SPAN_S, deadline - started)
    iteration = 0
    while (time.monotonic() < deadline and (max_iterations is None or iteration < max_iterations)
           and (stop is None or not stop())):
        progress = (iteration / max_iterations if max_iterations
                    else (time.monotonic() - started) / span)
        yield t_start * (t_end / t_start) ** min(1.0, progress)
        iteration += 1
