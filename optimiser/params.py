"""Explicit solve parameters: every solve states its limits and seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Called after each improving solution: (elapsed_s, objective, tasks_served).
ProgressCallback = Callable[[float, int, int], None]


@dataclass(frozen=True)
class SolveParams:
    """How long and how to search.

    `time_limit_s` caps the wall-clock time. `max_solutions` caps the number of
    solutions the local search may accept; when it, and not the clock, ends the
    search, the same problem and seed always give the same plan on any machine.
    `seed` renumbers the tasks before the search, which changes its trajectory
    reproducibly (seed 0 keeps the input order).
    """

    time_limit_s: float = 10.0
    seed: int = 0
    max_solutions: int | None = None
    # None: the adapter chooses. Parallel cheapest insertion for plain routing (the SISR
    # path, tuned on Solomon); local cheapest insertion otherwise: parallel insertion found
    # no first plan in 90 s on the generated week (363 tasks, 42 series), local in ~10 s.
    first_solution: str | None = None
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    on_progress: ProgressCallback | None = None

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise ValueError(f"time_limit_s={self.time_limit_s} must be positive")
        if self.max_solutions is not None and self.max_solutions <= 0:
            raise ValueError(f"max_solutions={self.max_solutions} must be positive")
