"""Explicit solve parameters: every solve states its limits and seed.

Plain and picklable, so a solve can be sent to a worker process or a Dask worker;
validated on construction, so a misspelt strategy fails at once, not mid-solve.
The progress callback and the cancel signal are arguments of `solve`, not parameters.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar


class FirstSolution(enum.StrEnum):
    """OR-Tools first-solution strategies Trasa offers (names as in OR-Tools)."""

    PARALLEL_CHEAPEST_INSERTION = "PARALLEL_CHEAPEST_INSERTION"
    LOCAL_CHEAPEST_INSERTION = "LOCAL_CHEAPEST_INSERTION"
    SEQUENTIAL_CHEAPEST_INSERTION = "SEQUENTIAL_CHEAPEST_INSERTION"
    PATH_CHEAPEST_ARC = "PATH_CHEAPEST_ARC"
    SAVINGS = "SAVINGS"
    CHRISTOFIDES = "CHRISTOFIDES"
    ALL_UNPERFORMED = "ALL_UNPERFORMED"


class Metaheuristic(enum.StrEnum):
    """OR-Tools local-search metaheuristics Trasa offers (names as in OR-Tools)."""

    GUIDED_LOCAL_SEARCH = "GUIDED_LOCAL_SEARCH"
    SIMULATED_ANNEALING = "SIMULATED_ANNEALING"
    TABU_SEARCH = "TABU_SEARCH"
    GREEDY_DESCENT = "GREEDY_DESCENT"


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running solve, given to the progress callback after each improvement."""

    elapsed_s: float
    objective: int
    served: int  # tasks placed so far
    tasks: int  # tasks in the problem
    priority: int = 0  # the placed tasks' priority levels (low 1 ... urgent 4) summed


ProgressCallback = Callable[[Progress], None]


class CancelSignal(Protocol):
    """What `solve(cancel=...)` polls: `threading.Event` and `multiprocessing.Event` fit."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class SolveParams:
    """How long and how to search.

    `time_limit_s` caps the wall-clock time. `max_solutions` caps the number of
    solutions the local search may accept; when it, and not the clock, ends the
    search, the same problem and seed always give the same plan on any machine.
    `seed` renumbers the tasks before the search, which changes its trajectory
    reproducibly (seed 0 keeps the input order). `first_solution` None lets the
    adapter choose (see `optimiser.ortools.model_search`). `stall_solutions` ends the search of a
    model early when it has gone on without improving for as many solutions as it took
    to find its best, and at least this many (None: never; a count, so that it stops at
    the same point on any machine), so a small day does not take the whole time limit;
    in SISR a solution counts as `SISR_ITERATIONS_PER_SOLUTION` ruin-and-recreate steps
    (`optimiser.ortools.model_search`). The literature benchmarks set it to None.
    """

    time_limit_s: float = 10.0
    seed: int = 0
    max_solutions: int | None = None
    first_solution: FirstSolution | None = None
    metaheuristic: Metaheuristic = Metaheuristic.GUIDED_LOCAL_SEARCH
    stall_solutions: int | None = 500
    searches: int = 1

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise ValueError(f"time_limit_s={self.time_limit_s} must be positive")
        if self.searches < 1:
            raise ValueError(f"searches={self.searches} must be at least 1")
        for name in ("max_solutions", "stall_solutions"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name}={value} must be positive")
        if self.first_solution is not None:
            object.__setattr__(self, "first_solution",
                               _member(FirstSolution, "first_solution", self.first_solution))
        object.__setattr__(self, "metaheuristic",
                           _member(Metaheuristic, "metaheuristic", self.metaheuristic))


_E = TypeVar("_E", bound=enum.StrEnum)


def _member(kind: type[_E], name: str, value: object) -> _E:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(kind)
        raise ValueError(f"{name}={value!r} is not one of {allowed}") from None
