"""One variant's outcome in a sweep: the row of `rows.csv`, `rows.jsonl` and the sweep job's
answer (api/services/sweep.py makes them, api/render/sweep_charts.py draws them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One variant's outcome (shares 0–1, km, hours, PLN)."""

    variant: str
    counts: dict[str, int]
    served: int
    tasks: int
    mandatory_unassigned: int
    served_share_by_service: dict[str, float]
    served_share_by_priority: dict[str, float]
    unassigned_by_reason: dict[str, int]
    km: float
    work_h: float
    overtime_h: float
    pes_share: float | None
    workers: int
    vehicles: int
    cost: float  # every plan passed the independent checker inside `solve`
