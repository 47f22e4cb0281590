"""The budget of a re-planning and the price of change (the search every path asks for
is built from these defaults by `api.services.parameters`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from optimiser.params import Metaheuristic, SolveParams


@dataclass(frozen=True)
class ReplanParams:
    """The search budget and the price of change (see `Stability`): `solve.time_limit_s`
    bounds the whole re-planning (every day planned again), `stability` is the cost of a
    second a stop moves beyond `tolerance_s`, in travel seconds (0: re-optimise freely),
    `move_cost_s` the cost of a task given to another worker."""

    solve: SolveParams = field(default_factory=lambda: SolveParams(
        time_limit_s=4.0, max_solutions=200, stall_solutions=50,
        metaheuristic=Metaheuristic.GREEDY_DESCENT))
    stability: int = 1
    move_cost_s: int = 1800
    tolerance_s: int = 900
    # False: plan what is not frozen anew (the default first solutions and GLS of a new
    # plan, the same budget): what benchmarks.replan compares re-planning with.
    warm_start: bool = True

    def __post_init__(self) -> None:
        for name in ("stability", "move_cost_s", "tolerance_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}={getattr(self, name)} must be >= 0")

