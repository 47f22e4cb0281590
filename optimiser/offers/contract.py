"""What an offer query asks and answers: `OfferSettings` (how many offers, how long a
window, how often a candidate window starts) and `Offer` (the promised window of each
new task, who would likely serve it, the travel it adds and the plan it makes).

Times are integer seconds from local midnight of the problem's first day.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimiser.model import Plan, TimeWindow
from optimiser.problem_parts import require

MIN_WINDOW_S, MAX_WINDOW_S = 1800, 7200
MAX_COUNT = 5


@dataclass(frozen=True)
class OfferSettings:
    """`count` offers wanted (1..5), each a window of `window_s` seconds (1800..7200) in
    which the new task's first stop starts; candidate windows start every `step_s` s."""

    count: int = 3
    window_s: int = 3600
    step_s: int = 900

    def __post_init__(self) -> None:
        require(1 <= self.count <= MAX_COUNT,
                f"offer settings: count={self.count} must be within 1..{MAX_COUNT}")
        require(MIN_WINDOW_S <= self.window_s <= MAX_WINDOW_S,
                f"offer settings: window_s={self.window_s} must be within "
                f"{MIN_WINDOW_S}..{MAX_WINDOW_S}")
        require(self.step_s > 0, f"offer settings: step_s={self.step_s} must be positive")


@dataclass(frozen=True)
class Offer:
    """One way to serve a request: `promises` maps each new task id to the window its
    first stop would start in (one per new task, in the request's order); `worker_id`
    and `vehicle_id` would likely serve the first new task; `added_travel_s` is the
    travel the new tasks add to the plan; `plan` is the basis plan with them inserted,
    which passes `optimiser.check` with the new tasks promised those windows."""

    promises: tuple[tuple[str, TimeWindow], ...]
    worker_id: str
    vehicle_id: str | None
    added_travel_s: int
    plan: Plan
