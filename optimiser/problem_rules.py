"""The rules and goals a problem sets beside its parts: labour rules, therapy series and
their continuity, the PES share goal, and the longest ride of a trip."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from optimiser.problem_parts import require


@dataclass(frozen=True)
class LabourRules:
    """Labour-code rules the plan must respect (Polish Labour Code art. 134 by default)."""

    break_after_s: int | None = 6 * 3600  # None: no break rule
    break_s: int = 15 * 60
    rest_s: int | None = 11 * 3600  # daily rest between two routes of one worker (art. 132)

    def __post_init__(self) -> None:
        require(self.rest_s is None or self.rest_s > 0,
                 f"labour rules: rest_s={self.rest_s} must be positive")
        require(
            self.break_after_s is None or self.break_after_s > 0,
            f"labour rules: break_after_s={self.break_after_s} must be positive",
        )
        require(self.break_s > 0, f"labour rules: break_s={self.break_s} must be positive")


class Continuity(enum.StrEnum):
    """Whether the sessions of a series should have the same worker."""

    NONE = "none"
    SOFT = "soft"  # the same worker unless that costs a session
    REQUIRED = "required"


@dataclass(frozen=True)
class Series:
    """Sessions (tasks) of one therapy series: on days at least `min_gap_days` apart."""

    id: str
    task_ids: tuple[str, ...]
    min_gap_days: int = 1
    continuity: Continuity = Continuity.SOFT

    def __post_init__(self) -> None:
        require(len(self.task_ids) >= 1, f"series {self.id!r}: no sessions")
        require(len(set(self.task_ids)) == len(self.task_ids),
                 f"series {self.id!r}: a session is listed twice")
        require(self.min_gap_days >= 0, f"series {self.id!r}: min_gap_days="
                 f"{self.min_gap_days} must be >= 0")


@dataclass(frozen=True)
class Goals:
    """Soft goals: the PES share of service hours the plan should reach, and balanced
    days (`balance`: `"work"`, the busiest route's working time, travel and service; or
    `"visits"`, its number of stops served), weighed against travel by `balance_weight`:
    what one more second of work (or one more visit) on the busiest route costs, in
    seconds of travel. A min-max goal: only the busiest route is charged.

    `Goals()` sets none; `CUS_PROJECT_GOALS` is what a CUS scenario gets by default."""

    pes_share_target: float | None = None
    pes_weight: float = 0.0  # cost per second of service done by CUS, in travel seconds
    balance: str | None = None  # None, "work" or "visits"
    balance_weight: float = 0.0

    def __post_init__(self) -> None:
        require(self.balance in BALANCE, f"goals: balance={self.balance!r} must be one of "
                                         f"{sorted(b for b in BALANCE if b)} or none")
        require(self.balance_weight >= 0,
                f"goals: balance_weight={self.balance_weight} must be >= 0")
        require(self.pes_share_target is None or 0 <= self.pes_share_target <= 1,
                 f"goals: pes_share_target={self.pes_share_target} must be within 0..1")
        require(self.pes_weight >= 0, f"goals: pes_weight={self.pes_weight} must be >= 0")


BALANCE = (None, "work", "visits")
# The weights a balanced plan gets unless it names one: one more minute of busy time on
# the busiest route costs a minute of travel; one more visit, ten minutes.
DEFAULT_BALANCE_WEIGHT = {"work": 1.0, "visits": 600.0}

# The CUS project promised that more than 35 % of service hours are done by PES; a CUS
# second of service costs 0.1 s of travel, enough to prefer PES where travel is similar.
CUS_PROJECT_GOALS = Goals(pes_share_target=0.35, pes_weight=0.1)


@dataclass(frozen=True)
class TripRules:
    """Default maximum ride: the larger of factor × direct ride and direct ride + extra."""

    max_ride_factor: float = 1.5
    max_ride_extra_s: int = 15 * 60

    def __post_init__(self) -> None:
        require(self.max_ride_factor >= 1, f"trip rules: max_ride_factor="
                 f"{self.max_ride_factor} must be >= 1")
        require(self.max_ride_extra_s >= 0, f"trip rules: max_ride_extra_s="
                 f"{self.max_ride_extra_s} must be >= 0")
