"""Several independent searches side by side, one process each; the best plan wins.

A user waiting for a plan has more than one core: `solve` with
`SolveParams(searches=N)` runs N searches from seeds `seed`, `seed + 1`, … in
spawned processes and returns the plan that `optimiser.kpi.rank` puts first
(mandatory served, then served by priority from urgent down, then travel), the
lowest seed on a tie. Each search is an ordinary `solve` with its own seed, so
with `max_solutions` the result is the same on any machine. Progress from every
search reaches `on_progress` (served is the best search's so far); `cancel`
stops them all, and each keeps its best plan.

The searches share the wall-clock time limit, counted from the call, but a
search that starts late (a loaded machine, a heavy main module to import) still
gets at least half of it: a search cut to nothing would hand back its first,
worst plan.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import multiprocessing
import queue
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from optimiser.kpi import rank
from optimiser.model import Plan, Problem
from optimiser.params import CancelSignal, Progress, ProgressCallback, SolveParams

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_S = 0.2  # how often the parent passes on progress and looks at the cancel signal


Solver = Callable[..., Plan]  # optimiser.solve.solve, passed in (it calls this module)


def solve_side_by_side(problem: Problem, params: SolveParams, solver: Solver,
                       on_progress: ProgressCallback | None,
                       cancel: CancelSignal | None) -> Plan:
    """`params.searches` runs of `solver` (one process each, seeds from `params.seed`)."""
    started = time.monotonic()
    deadline = time.time() + params.time_limit_s  # wall clock: the children share it
    context = multiprocessing.get_context("spawn")
    stop, progress = context.Event(), context.Queue()
    with ProcessPoolExecutor(max_workers=params.searches, mp_context=context,
                             initializer=_share, initargs=(stop, progress)) as pool:
        futures = [pool.submit(_one, solver, problem, dataclasses.replace(
            params, seed=params.seed + k, searches=1), deadline)
            for k in range(params.searches)]
        pending = set(futures)
        best = (0, 0)
        while pending:
            _, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                stop.set()
            best = _pass_on(progress, on_progress, best)
        plans: list[Plan] = [f.result() for f in futures]
    winner = max(range(len(plans)), key=lambda k: (rank(problem, plans[k]), -k))
    plan = plans[winner]
    stats = dataclasses.replace(
        plan.stats, time_s=round(time.monotonic() - started, 3),
        solutions=sum(p.stats.solutions for p in plans),
        cancelled=any(p.stats.cancelled for p in plans))
    return dataclasses.replace(plan, stats=stats)


def _pass_on(progress: Any, on_progress: ProgressCallback | None, best: tuple[int, int]
             ) -> tuple[int, int]:
    """Each search's progress passed on with the most served (and their priority) of any."""
    while True:
        try:
            p: Progress = progress.get_nowait()
        except queue.Empty:
            return best
        best = max(best, (p.served, p.priority))
        if on_progress is not None:
            on_progress(dataclasses.replace(p, served=best[0], priority=best[1]))


_shared: dict[str, Any] = {}  # in a worker process: the stop event and the progress queue


def _share(stop: Any, progress: Any) -> None:
    """Pool initializer: process-shared objects can only reach a worker when it starts.
    On Linux the search also ends when the process that started it is killed (a
    server's job process ended by its runner), instead of running out its time alone."""
    _shared.update(stop=stop, progress=progress)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _one(solver: Solver, problem: Problem, params: SolveParams, deadline: float) -> Plan:
    """One search in a worker process, until `deadline` but for half its limit at least."""
    left = max(params.time_limit_s / 2, deadline - time.time())
    return solver(problem, params=dataclasses.replace(params, time_limit_s=left),
                  on_progress=_shared["progress"].put, cancel=_shared["stop"])
