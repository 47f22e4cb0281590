"""Priority repair after the search: a left-out task of higher rank takes a lower one's place."""

from __future__ import annotations

import numpy as np

from optimiser.check import check
from optimiser.exchange import exchange_by_priority
from optimiser.model import (
    LabourRules,
    Location,
    Plan,
    Priority,
    Problem,
    Provider,
    ProviderKind,
    Reason,
    Route,
    Stop,
    Task,
    TaskKind,
    TimeWindow,
    TravelMatrix,
    Unassigned,
    Worker,
)

H = 3600


def _day() -> Problem:
    seconds = np.array([[0, 600, 600], [600, 0, 600], [600, 600, 0]], dtype=np.int64)
    slot = (TimeWindow(9 * H, 10 * H),)  # both visits want the same hour

    def visit(tid: str, place: str, priority: Priority) -> Task:
        return Task(id=tid, kind=TaskKind.VISIT, location_id=place, service_s=H,
                    windows=slot, priority=priority)

    return Problem(
        locations=tuple(Location(f"p{i}", 51.0, 21.0 + i / 1000) for i in range(3)),
        providers=(Provider("cus", "CUS", ProviderKind.CUS),),
        workers=(Worker(id="w", name="w", provider_id="cus", skills=frozenset(), shifts=(
            TimeWindow(8 * H, 12 * H),), start_location_id="p0", end_location_id="p0"),),
        tasks=(visit("low", "p1", Priority.LOW), visit("high", "p2", Priority.HIGH)),
        matrix=TravelMatrix(seconds, seconds * 10), rules=LabourRules(break_after_s=None))


def test_a_high_task_left_out_takes_the_place_of_a_low_one() -> None:
    problem = _day()
    route = Route("w", 0, 9 * H - 600, 10 * H + 600,
                  (Stop("low", "p1", 9 * H, 9 * H, 10 * H),))
    plan = Plan((route,), (Unassigned("high", Reason.CAPACITY_EXHAUSTED),))
    assert not check(problem, plan)
    repaired, left = exchange_by_priority(problem, plan, ["high"])
    assert [s.task_id for s in repaired.routes[0].stops] == ["high"]
    assert left == ["low"]


def test_no_exchange_when_the_left_out_task_ranks_lower() -> None:
    problem = _day()
    route = Route("w", 0, 9 * H - 600, 10 * H + 600,
                  (Stop("high", "p2", 9 * H, 9 * H, 10 * H),))
    plan = Plan((route,), (Unassigned("low", Reason.CAPACITY_EXHAUSTED),))
    repaired, left = exchange_by_priority(problem, plan, ["low"])
    assert repaired == plan and left == ["low"]
