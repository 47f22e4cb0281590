"""Several independent searches side by side, one process each; the best plan wins.

A user waiting for a plan has more than one core: `solve` with
`SolveParams(searches=N)` runs N searches from seeds `seed`, `seed + 1`, … in
spawned processes and returns the plan that `optimiser.kpi.rank` puts first
(mandatory served, then served by priority from urgent down, then travel), the
lowest seed on a tie. Each search is an ordinary `solve` with its own seed, so
with `max_solutions` the result is the same on any machine. Progress from every
search reaches `on_progress` (served is the best search's so far); `cancel`
stops them all, and each keeps its best plan.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import queue
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from optimiser.kpi import rank
from optimiser.model import Plan, Problem
from optimiser.params import CancelSignal, Progress, ProgressCallback, SolveParams

POLL_S = 0.2  # how often the parent passes on progress and looks at the cancel signal


Solver = Callable[..., Plan]  # optimiser.solve.solve, passed in (it calls this module)


def solve_side_by_side(problem: Problem, params: SolveParams, solver: Solver,
                       on_progress: ProgressCallback | None,
                       cancel: CancelSignal | None) -> Plan:
    """`params.searches` runs of `solver` (one process each, seeds from `params.seed`)."""
    started = time.monotonic()
    deadline = time.time() + params.time_limit_s  # wall clock: the children share it
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(
            max_workers=params.searches, mp_context=context) as pool:
        stop, progress = manager.Event(), manager.Queue()
        futures = [pool.submit(_one, solver, problem, dataclasses.replace(
            params, seed=params.seed + k, searches=1), deadline, stop, progress)
            for k in range(params.searches)]
        pending = set(futures)
        best_served = 0
        while pending:
            _, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                stop.set()
            best_served = _pass_on(progress, on_progress, best_served)
        plans: list[Plan] = [f.result() for f in futures]
    winner = max(range(len(plans)), key=lambda k: (rank(problem, plans[k]), -k))
    plan = plans[winner]
    stats = dataclasses.replace(
        plan.stats, time_s=round(time.monotonic() - started, 3),
        solutions=sum(p.stats.solutions for p in plans),
        cancelled=any(p.stats.cancelled for p in plans))
    return dataclasses.replace(plan, stats=stats)


def _pass_on(progress: Any, on_progress: ProgressCallback | None, best_served: int) -> int:
    while True:
        try:
            p: Progress = progress.get_nowait()
        except queue.Empty:
            return best_served
        best_served = max(best_served, p.served)
        if on_progress is not None:
            on_progress(dataclasses.replace(p, served=best_served))


def _one(solver: Solver, problem: Problem, params: SolveParams, deadline: float, stop: Any,
         progress: Any) -> Plan:
    """One search in a worker process, for the time left until `deadline`."""
    left = max(0.1, deadline - time.time())
    return solver(problem, params=dataclasses.replace(params, time_limit_s=left),
                 on_progress=progress.put, cancel=stop)
