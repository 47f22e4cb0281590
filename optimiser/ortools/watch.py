"""The watch that follows a whole solve across every model and phase: it counts solutions,
records each improvement, reports progress, polls the cancel signal, and stops a search
that stalls or a first-solution heuristic that struggles (a count of polls, so a stop
falls at the same point on any machine)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from optimiser.model import Task
from optimiser.ortools.model import RoutingProblem
from optimiser.params import CancelSignal, Progress, ProgressCallback

log = logging.getLogger(__name__)


CANCEL_POLL_EVERY = 1000  # OR-Tools asks its limits very often: look at the signal 1 in N


@dataclass
class Watch:
    """Counts solutions, records each improvement, reports progress, polls the cancel signal.

    One watch follows a whole solve, across every model and phase."""

    tasks: int
    on_progress: ProgressCallback | None = None
    cancel: CancelSignal | None = None
    stall_solutions: int | None = None
    started: float = field(default_factory=time.monotonic)
    solutions: int = 0
    improvements: list[tuple[float, int, int]] = field(default_factory=list)
    cancelled: bool = False
    _polls: int = 0
    _monitors: list[object] = field(default_factory=list)  # keep SWIG monitors alive
    _offset: tuple[int, int] = (0, 0)  # tasks placed by earlier models (earlier days),
    # and their priority levels summed
    _best: int | None = None  # best objective of the model being searched
    _poll_limit: int | None = None
    _model_solutions: int = 0  # solutions of the model being searched
    _best_at: int = 0  # ... when its best was found

    @property
    def polls(self) -> int:
        return self._polls

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def stop_requested(self) -> bool:
        if not self.cancelled and self.cancel is not None and self.cancel.is_set():
            log.info("solve cancelled after %.1f s", self.elapsed_s())
            self.cancelled = True
        return self.cancelled

    @contextlib.contextmanager
    def capped(self, polls: int) -> Iterator[None]:
        """Within the block, a search that has found no solution yet stops after `polls`
        more checks of its limit; the first solution lifts the cap."""
        self._poll_limit = self._polls + polls
        try:
            yield
        finally:
            self._poll_limit = None

    def attach(self, rp: RoutingProblem, placed_before: Collection[Task], *, sisr: bool
               ) -> None:
        """Follow the search of `rp`; earlier models placed `placed_before`.

        The limit (cancel, first-solution cap, stall) is a Python call at every node of the
        search; models SISR takes (`sisr`: plain routing, plain pairs) get it only for a
        cancel signal or a stall limit: their GLS phases are short, and the literature
        benchmarks, which measure their throughput, set no stall limit."""
        self._offset = (len(placed_before), sum(int(t.priority) for t in placed_before))
        self._best = None
        self._model_solutions = self._best_at = 0
        routing = rp.routing
        routing.AddAtSolutionCallback(lambda: self._at_solution(rp))
        if self.cancel is None and self.stall_solutions is None and sisr:
            return
        limit = routing.solver().CustomLimit(self._limit_reached)
        self._monitors.append(limit)
        routing.AddSearchMonitor(limit)

    def new_phase(self) -> None:
        """The stall limit counts afresh: a search continued from a given plan (after SISR,
        or from the best first plan) is a phase of its own."""
        self._model_solutions = self._best_at = 0

    def _limit_reached(self) -> bool:
        self._polls += 1
        if self._poll_limit is not None and self._polls >= self._poll_limit:
            return True
        if self.stall_solutions is not None and self._model_solutions - self._best_at > max(
                self.stall_solutions, self._best_at):
            return True
        return self.cancelled or (self._polls % CANCEL_POLL_EVERY == 0
                                  and self.stop_requested())

    def _at_solution(self, rp: RoutingProblem) -> None:
        self.solutions += 1
        self._model_solutions += 1
        self._poll_limit = None
        objective = rp.routing.CostVar().Value()
        if self._best is not None and objective >= self._best:
            return
        self._best_at = self._model_solutions
        self.improved(objective, rp.placed_now())

    def improved(self, objective: int, placed: Collection[Task]) -> None:
        """A better plan of the model being searched, placing `placed`: recorded and
        reported (OR-Tools' solutions, and SISR's new best routes between its chunks)."""
        self._best = objective
        served = self._offset[0] + len(placed)
        priority = self._offset[1] + sum(int(t.priority) for t in placed)
        self.improvements.append((round(self.elapsed_s(), 3), objective, served))
        if self.on_progress is not None:
            self.on_progress(Progress(self.elapsed_s(), objective, served, self.tasks,
                                      priority))
