"""Slack induction by string removals (SISR, Christiaens & Vanden Berghe 2020), in plain Python.

A ruin-and-recreate search for the plain vehicle-routing core: one time window
per stop, a load limit and allowed vehicles per stop. Ruin removes strings of
consecutive stops from routes near a random stop; recreate inserts them back
greedily (with rare random "blinks") where the route's earliest/latest start
times allow; simulated annealing decides what to keep. It knows nothing of
OR-Tools: `_ortools.py` decides when the problem is plain enough, hands the
routes over, and polishes and re-checks what comes back.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Routes = list[list[int]]


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
        t = self.travel
        total = 0
        for v, rt in enumerate(routes):
            if rt:
                seq = [self.start[v], *rt, self.end[v]]
                total += sum(t[a][b] for a, b in zip(seq, seq[1:], strict=False))
        return total


@dataclass(frozen=True)
class Settings:
    """Tuned on Solomon at 10 s: temperatures relative to the average cost per stop."""

    temperature_start: float = 3.0  # × cost / stops
    temperature_end: float = 0.03
    average_removed: int = 10
    max_string: int = 10
    blink: float = 0.01


def improve(instance: Instance, routes: Routes, *, deadline: float, rng: random.Random,
            max_iterations: int | None = None, settings: Settings = Settings()
            ) -> tuple[Routes, int]:
    """Best routes found before `deadline` (time.monotonic) or `max_iterations`, and their cost."""
    current, current_cost = [r[:] for r in routes], instance.cost(routes)
    best, best_cost = [r[:] for r in current], current_cost
    per_stop = max(1.0, current_cost / max(1, len(instance.customers)))
    for temperature in cooling(settings.temperature_start * per_stop,
                               settings.temperature_end * per_stop,
                               deadline=deadline, max_iterations=max_iterations):
        candidate = [r[:] for r in current]
        removed = _ruin(instance, candidate, rng, settings)
        if not _recreate(instance, candidate, removed, rng, settings):
            continue
        cost = instance.cost(candidate)
        if cost < current_cost - temperature * math.log(1.0 - rng.random()):
            current, current_cost = candidate, cost
            if cost < best_cost:
                best, best_cost = [r[:] for r in candidate], cost
    return best, best_cost


def cooling(t_start: float, t_end: float, *, deadline: float, max_iterations: int | None
            ) -> Iterator[float]:
    """Exponentially falling temperatures, one per iteration, until the deadline or count."""
    started = time.monotonic()
    span = max(1e-6, deadline - started)
    iteration = 0
    while time.monotonic() < deadline and (max_iterations is None or iteration < max_iterations):
        progress = (iteration / max_iterations if max_iterations
                    else (time.monotonic() - started) / span)
        yield t_start * (t_end / t_start) ** min(1.0, progress)
        iteration += 1


def _ruin(instance: Instance, routes: Routes, rng: random.Random, settings: Settings
          ) -> list[int]:
    where = {i: v for v, rt in enumerate(routes) for i in rt}
    used = [rt for rt in routes if rt]
    average_length = sum(map(len, used)) / max(1, len(used))
    longest = min(settings.max_string, average_length)
    strings = int(rng.random() * (4 * settings.average_removed / (1 + longest) - 1)) + 1
    seed = rng.choice(instance.customers)
    removed: list[int] = []
    ruined: set[int] = set()
    for stop in [seed, *instance.neighbours[seed]]:
        if len(ruined) >= strings:
            break
        v = where.get(stop)
        if v is None or v in ruined:
            continue
        rt = routes[v]
        length = int(rng.random() * min(len(rt), longest)) + 1
        k = rt.index(stop)
        lo = rng.randint(max(0, k - length + 1), min(k, len(rt) - length))
        removed.extend(rt[lo:lo + length])
        del rt[lo:lo + length]
        ruined.add(v)
    return removed


def _recreate(instance: Instance, routes: Routes, removed: list[int], rng: random.Random,
              settings: Settings) -> bool:
    t, e, late, d = instance.travel, instance.earliest, instance.latest, instance.demand
    order = rng.randrange(4)
    if order == 0:
        rng.shuffle(removed)
    elif order == 1:
        removed.sort(key=lambda i: -d[i])
    elif order == 2:
        removed.sort(key=lambda i: -t[instance.start[0]][i])
    else:
        removed.sort(key=lambda i: late[i] - e[i])
    loads = [sum(d[i] for i in rt) for rt in routes]
    schedules: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for u in removed:
        best_delta, best_at = math.inf, None
        empty_tried = False
        for v in instance.allowed[u]:
            rt = routes[v]
            if not rt:
                if empty_tried:
                    continue  # empty routes of one kind are alike enough: try one
                empty_tried = True
            if loads[v] + d[u] > instance.capacity[v]:
                continue
            if v not in schedules:
                schedules[v] = _schedule(instance, v, rt)
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


def _schedule(instance: Instance, v: int, route: Sequence[int]
              ) -> tuple[list[int], list[int], list[int]]:
    """The stops with route ends, their earliest and their latest feasible service starts."""
    seq = [instance.start[v], *route, instance.end[v]]
    return seq, *time_bounds(seq, instance.travel, instance.service, instance.earliest,
                             instance.latest)


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
