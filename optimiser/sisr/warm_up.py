"""Compile the SISR steps ahead of the first plan.

numba compiles the steps on their first call and caches them beside their modules
(`__pycache__`, or numba's user cache folder where that is read-only), so the first
plan after an installation would wait for the compiler (20 to 30 s on a 2-core
machine) inside its time limit, in every search side by side. `compile_steps` runs
both searches a few steps on tiny instances, with the argument types a real plan
uses: after it, every process loads the steps from the cache (under 1 s).

`trasa warm-up` calls it once after installing (the README's install does). The server
calls it in each job process as it starts; `trasa plan` and `trasa demo` in a process
of their own while they load the road network (`compiled_aside`), so
that a cache still cold is written once, before the searches start and their clock
runs, and not by each search at once.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import random
import time
from collections.abc import Iterator

from optimiser.sisr import jit, pairs_loop, vrptw_loop
from optimiser.sisr.pairs import PairInstance, improve_pairs
from optimiser.sisr.vrptw import Break, Instance, improve, labels

STEPS = 50
# The steps Python calls: each is compiled (and cached) with the steps it calls, so a
# cache holding these holds every step. A step called only from compiled code may
# keep a stale entry of its own that nothing ever reads (`jit.random01` after an edit).
CALLED_FROM_PYTHON = (vrptw_loop.run, vrptw_loop.refresh, pairs_loop.run, pairs_loop.bounds,
                      pairs_loop.schedule_exists)


def compile_steps() -> float:
    """Compile (or load from the cache) the steps of both searches; the seconds it took."""
    started = time.monotonic()
    travel = [[0, 5, 7], [5, 0, 4], [7, 4, 0]]  # a depot and two stops
    day = Instance(travel=travel, windows=[((0, 100),), ((0, 60),), ((10, 40), (50, 80))],
                   service=[0, 3, 3], demand=[0, 1, 1],
                   allowed=[frozenset(), frozenset({0}), frozenset({0})],
                   start=[0], end=[0], capacity=[math.inf], customers=[1, 2],
                   breaks=[Break(20, 60, 5)], penalty=[0, 1000, 1000])
    labels(day, 0, [1])  # the bridge's own checks call these compiled functions too
    improve(day, [[1]], deadline=math.inf, rng=random.Random(0), max_iterations=STEPS)
    trips = [[0, 0, 6, 6], [0, 0, 6, 6], [6, 6, 0, 3], [6, 6, 3, 0]]  # two depots, a trip
    ride = PairInstance(travel=trips, earliest=[0, 0, 0, 0], latest=[100, 100, 80, 90],
                        service=[0, 0, 1, 1], delta=[0, 0, 1, -1], allowed=[frozenset({0})],
                        start=[0], end=[1], capacity=[4], max_duration=[100], pickup=[2],
                        dropoff=[3], max_ride=[20])
    ride.feasible(0, [2, 3])
    improve_pairs(ride, [[2, 3]], deadline=math.inf, rng=random.Random(0),
                  max_iterations=STEPS)
    return time.monotonic() - started


def steps_cached() -> bool:
    """Whether the cache holds the compiled steps (a few milliseconds to ask)."""
    return all(jit.cached(step) for step in CALLED_FROM_PYTHON)


@contextlib.contextmanager
def compiled_aside() -> Iterator[None]:
    """`compile_steps` in a spawned process while the body runs, waited for on leaving,
    when the cache lacks a step: the body's searches then start after the compiler and
    load its steps. With a warm cache, nothing (no process, no wait)."""
    if steps_cached():
        yield
        return
    process = multiprocessing.get_context("spawn").Process(
        target=compile_steps, name="trasa-compile", daemon=True)
    process.start()
    try:
        yield
    except BaseException:
        process.terminate()  # an error (or Ctrl-C) is told at once, not after the compiler
        raise
    finally:
        process.join()  # its failure is the search's own: it compiles what is missing
