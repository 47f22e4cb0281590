"""The part of SISR that the VRPTW and the pickup-and-delivery searches share.

Slack induction by string removals (Christiaens & Vanden Berghe 2020) is a
ruin-and-recreate search: ruin removes strings of consecutive stops from
routes near a random seed, recreate inserts what was removed greedily (with
rare random "blinks"), and simulated annealing decides what to keep. What a
search removes and re-inserts is a *unit*: a stop (VRPTW) or a request, a
pickup with its drop-off (pickup-and-delivery). The steps run compiled
(`vrptw_loop`, `pairs_loop`); this module holds what they share: the route
cost, the settings, the ruin and recreate constants, the cooling schedule fed
to them a chunk at a time, and the compiled stall limit and annealing choice.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from optimiser.sisr.jit import njit, random01

Routes = list[list[int]]
OnBest = Callable[[Routes, float], None]  # told of each new best routes, with their cost

MAX_STRINGS_FACTOR = 4.0  # at most 4·c̄ / (1 + L) - 1 strings per ruin (the paper's k_s^max)
PICKUP_ANCHOR_CHANCE = 0.5  # a request's string starts at its pickup or its drop-off alike
RECREATE_ORDERS = 4  # equally likely, one per recreate: random, demand, far, tight windows
MIN_COST_PER_STOP = 1.0  # keeps temperatures positive when the routes cost (almost) nothing
MIN_COOLING_SPAN_S = 1e-6  # a deadline already reached still gives a positive time span
CHUNK = 256  # steps per call of a compiled loop; the clock is read between calls


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


def run_in_chunks(schedule: Iterator[float], status: np.ndarray,
                  steps: Callable[[np.ndarray], None], best: tuple[np.ndarray, np.ndarray],
                  on_best: OnBest | None = None) -> None:
    """Hand `steps` (a compiled loop) the temperatures `CHUNK` at a time, until they run
    out or the loop says it stalled (status[5] set); after a chunk that found a better
    plan, `on_best` hears of the `best` routes (read by `routes_of`) and their cost."""
    told = status[1]
    while status[5] == 0:
        chunk = np.fromiter(itertools.islice(schedule, CHUNK), float)
        if not chunk.size:
            return
        steps(chunk)
        if on_best is not None and status[1] < told:
            told = status[1]
            on_best(routes_of(best), float(told))


def routes_of(best: tuple[np.ndarray, np.ndarray]) -> Routes:
    """The routes (stops without the vehicle's ends) of a compiled loop's (seq, count)."""
    seq, count = best
    return [[int(i) for i in seq[v, 1:count[v] + 1]] for v in range(len(count))]


@njit(cache=True)
def begin_step(status: np.ndarray, stall: int) -> int:
    """The next step's number, counted in status[2]; 0 when the stall limit ends the loop
    (status[5] set): it went as many steps again as it took to find the best (status[3]),
    and at least `stall` (< 0: no limit), without a better one.

    `status` is the compiled loops' [current cost, best cost, step, best step, missing
    count, stopped]."""
    step, best_at = int(status[2]) + 1, int(status[3])
    if stall >= 0 and step - best_at > max(stall, best_at):
        status[5] = 1
        return 0
    status[2] = step
    return step


@njit(cache=True)
def accept(status: np.ndarray, total: float, temperature: float, rng: np.ndarray,
           left: np.ndarray, n_left: int, missing: np.ndarray, may_be_best: bool) -> int:
    """Simulated annealing's choice for a candidate costing `total` that leaves out
    `left[:n_left]`: kept when below the current cost plus an exponentially distributed
    slack whose mean is the temperature. 0: rejected; 1: kept (status and `missing`
    updated); 2: kept and the new best (`may_be_best` allowing)."""
    if total >= status[0] - temperature * np.log(1.0 - random01(rng)):
        return 0
    status[0] = total
    missing[:n_left] = left[:n_left]
    status[4] = n_left
    if may_be_best and total < status[1]:
        status[1] = total
        status[3] = status[2]
        return 2
    return 1
