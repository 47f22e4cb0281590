"""The plan document written from a plan reads back into the same plan, and bad fields are named."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from api.convert.plan_document import PlanDocumentError, plan_document, read_plan
from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.model import LabourRules, Plan, Problem
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

# The day the clocks go back in Warsaw: a 25-hour day tests the ISO offsets both ways.
DST_END = Calendar(date(2026, 10, 25), timezone="Europe/Warsaw")


@pytest.fixture(scope="module")
def day() -> tuple[Problem, Plan]:
    tasks = [task(f"t{i}", 1 + i % 5, service_s=40 * 60, windows=((8 * H, 20 * H),))
             for i in range(9)] + [task("far", 5, service_s=13 * H, windows=((7 * H, 21 * H),))]
    p = problem([worker("a", shifts=((7 * H, 21 * H),)), worker("b", base="p5")], tasks,
                rules=LabourRules(break_after_s=4 * H), calendar=DST_END)
    return p, solve(p, params=SolveParams(max_solutions=100))


def document(day: tuple[Problem, Plan]) -> dict[str, Any]:
    p, plan = day
    written = plan_document(p, plan, violations=check(p, plan), network={"source": "tiny"},
                            solver={"seed": 0})
    return json.loads(json.dumps(written))  # exactly what a file holds


def test_a_written_plan_reads_back_as_the_same_routes_and_unassigned(day: Any) -> None:
    p, plan = day
    back = read_plan(p, document(day))
    assert back.routes == plan.routes
    assert back.unassigned == plan.unassigned
    assert any(r.breaks for r in plan.routes), "the round trip covers a break"
    assert plan.unassigned, "and a task that was not served"


def test_document_times_carry_the_offset_of_the_calendar_on_a_dst_day(day: Any) -> None:
    doc = document(day)
    assert doc["date"] == "2026-10-25" and doc["timezone"] == "Europe/Warsaw"
    starts = [s["start"] for r in doc["routes"] for s in r["stops"]]
    # 02:00-03:00 happens twice on this day; after 03:00 CEST the offset is +01:00
    assert all(t.endswith(("+01:00", "+02:00")) for t in starts)
    assert any(t.endswith("+01:00") for t in starts)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update(format="vroom"), "format: expected 'trasa-plan/1', got 'vroom'"),
    (lambda d: d.update(timezone="Europe/Berlin"),
     "timezone: 'Europe/Berlin' is not the scenario's 'Europe/Warsaw'"),
    (lambda d: d["routes"][0].update(shift="1"), "routes[0].shift: '1' is not an integer"),
    (lambda d: d["routes"][0]["stops"][0].update(action="wait"),
     "routes[0].stops[0].action: 'wait' is not one of serve, pickup, dropoff"),
    (lambda d: d["routes"][0]["stops"][0].update(end="2026-10-25T10:00:00"),
     "routes[0].stops[0].end: '2026-10-25T10:00:00' has no UTC offset"),
    (lambda d: d["unassigned"][0].update(reason="tired"),
     "unassigned[0].reason: 'tired' is not one of no_skilled_worker"),
])
def test_a_bad_field_is_named_with_its_value(day: Any, edit: Any, message: str) -> None:
    doc = copy.deepcopy(document(day))
    edit(doc)
    with pytest.raises(PlanDocumentError) as info:
        read_plan(day[0], doc)
    assert message in str(info.value)
