"""What crosses the edge of the routing model by task and worker ids (not routing
indices): what re-planning asks a model to keep (`Stability`), and what a search gives
back (each shift's visits with their service starts and breaks, the tasks left out, the
objective and the solver's status)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from optimiser.model import StopAction


@dataclass(frozen=True)
class Stability:
    """What re-planning keeps: each task's worker and each stop's start in the plan being
    changed. A task served by another worker costs `move_cost_s`; a stop that starts more
    than `tolerance_s` from its old start costs `per_s` for every second beyond (both in
    travel seconds). Drop penalties grow by the most these can cost, so serving by priority
    still comes first."""

    worker_of: Mapping[str, str]
    start_of: Mapping[tuple[str, StopAction], int]
    move_cost_s: int = 1800
    tolerance_s: int = 900
    per_s: int = 1


@dataclass(frozen=True)
class RawRoute:
    worker_id: str
    shift_index: int
    start_s: int
    end_s: int
    visits: tuple[tuple[str, StopAction, int], ...]  # (task id, action, service start s)
    breaks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RawSolution:
    routes: tuple[RawRoute, ...]
    dropped: tuple[str, ...]
    objective: int
    status: str


def status_name(status: int) -> str:
    names = {
        0: "NOT_SOLVED", 1: "SUCCESS", 2: "PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED",
        3: "FAIL", 4: "FAIL_TIMEOUT", 5: "INVALID", 6: "INFEASIBLE", 7: "OPTIMAL",
    }
    return names.get(status, str(status))
