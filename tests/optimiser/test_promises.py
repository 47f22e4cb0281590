"""Promises are hard: the checker's `promise_broken` rule reads `Task.promise` itself, the
search keeps every promised task on an overloaded day, priority repair never trades one
away, and a plan that breaks one says which and why (`optimiser.promises_broken`)."""

from __future__ import annotations

import dataclasses

from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.exchange import exchange_by_priority
from optimiser.model import (
    LabourRules,
    Plan,
    Priority,
    Reason,
    Route,
    Stop,
    TimeWindow,
    Unassigned,
)
from optimiser.params import SolveParams
from optimiser.promises import promised
from optimiser.promises_broken import broken_promises
from optimiser.solve import solve
from tests.optimiser.tiny import STEP_S, H, problem, task, worker

NO_BREAKS = LabourRules(break_after_s=None)


def _rules(plan: Plan, problem_: object) -> list[str]:
    return [v.rule for v in check(problem_, plan)]  # type: ignore[arg-type]


def test_a_promised_task_left_out_breaks_the_promise_named_with_its_window() -> None:
    day = problem([worker()], [promised(task("v", 1), TimeWindow(10 * H, 11 * H))],
                  rules=NO_BREAKS)
    plan = Plan((), (Unassigned("v", Reason.CAPACITY_EXHAUSTED),))
    violations = check(day, plan)
    assert [v.rule for v in violations] == ["promise_broken"]
    assert "'v' is left out" in violations[0].message
    assert "10:00-11:00" in violations[0].message
    assert check(day, plan, promises=False) == []  # the search's own check leaves it out


def test_a_first_stop_outside_the_promise_breaks_it_even_inside_the_task_windows() -> None:
    # The task's windows are not narrowed: the checker reads Task.promise, not the windows.
    v = dataclasses.replace(task("v", 1), promise=TimeWindow(10 * H, 11 * H))
    day = problem([worker()], [v], rules=NO_BREAKS)
    at = 12 * H

    def plan_at(start: int) -> Plan:
        return Plan((Route("w1", 0, start - STEP_S, start + 30 * 60 + STEP_S,
                           (Stop("v", "p1", start, start, start + 30 * 60),)),), ())

    violations = check(day, plan_at(at))
    assert [v.rule for v in violations] == ["promise_broken"]
    assert "starts at 12:00" in violations[0].message
    assert check(day, plan_at(10 * H + 30 * 60)) == []
    assert check(day, plan_at(11 * H)) == []  # the promise's end is a start inside it


def test_an_overloaded_day_keeps_every_promise_and_leaves_plain_tasks_out() -> None:
    # One worker, 8:00-12:00; twelve visits of an hour each (high priority, plain) and
    # three promised ones (normal): at most about three fit, so the promised ones win.
    plain = [task(f"plain{k:02}", 1 + k % 3, service_s=H, priority=Priority.HIGH)
             for k in range(12)]
    vows = [promised(task(f"vow{k}", 2, service_s=H), TimeWindow((8 + k) * H + 1800,
                                                                 (9 + k) * H))
            for k in range(3)]
    day = problem([worker(shifts=((8 * H, 12 * H),))], plain + vows, rules=NO_BREAKS)
    plan = solve(day, params=SolveParams(max_solutions=200, time_limit_s=60, seed=1))
    served = {s.task_id for r in plan.routes for s in r.stops}
    assert {"vow0", "vow1", "vow2"} <= served
    assert {u.task_id for u in plan.unassigned} >= {t.id for t in plain} - served
    assert len(served & {t.id for t in plain}) < len(plain)  # plain ones are left out
    assert check(day, plan) == []  # every promise kept, by the checker's own rule
    assert broken_promises(day, plan) == []


def test_a_two_day_horizon_keeps_the_promise_on_its_day() -> None:
    day2 = 24 * H
    plain = [task(f"plain{k}", 1, service_s=2 * H, priority=Priority.URGENT,
                  windows=((8 * H, 12 * H), (day2 + 8 * H, day2 + 12 * H))) for k in range(4)]
    vow = promised(task("vow", 3, service_s=H, windows=((8 * H, 12 * H),
                                                         (day2 + 8 * H, day2 + 12 * H))),
                   TimeWindow(day2 + 9 * H, day2 + 10 * H))
    week = problem([worker(shifts=((8 * H, 12 * H), (day2 + 8 * H, day2 + 12 * H)))],
                   [*plain, vow], rules=NO_BREAKS, calendar=Calendar(days=2))
    plan = solve(week, params=SolveParams(max_solutions=200, time_limit_s=60, seed=1))
    start = next(s.start_s for r in plan.routes for s in r.stops if s.task_id == "vow")
    assert day2 + 9 * H <= start <= day2 + 10 * H
    assert check(week, plan) == []


def _slot_day(*, promise: bool) -> tuple[object, Plan]:
    held = task("held", 1, service_s=H, windows=((9 * H, 10 * H),))
    if promise:
        held = promised(held, TimeWindow(9 * H, 9 * H))
    urgent = task("urgent", 2, service_s=H, windows=((9 * H, 10 * H),),
                  priority=Priority.URGENT, mandatory=True)
    day = problem([worker(shifts=((8 * H, 12 * H),))], [held, urgent], rules=NO_BREAKS)
    plan = Plan((Route("w1", 0, 9 * H - STEP_S, 10 * H + STEP_S,
                       (Stop("held", "p1", 9 * H, 9 * H, 10 * H),)),),
                (Unassigned("urgent", Reason.CAPACITY_EXHAUSTED),))
    return day, plan


def test_priority_repair_never_takes_a_promised_task_out() -> None:
    day, plan = _slot_day(promise=False)
    changed, left = exchange_by_priority(day, plan, ["urgent"])  # type: ignore[arg-type]
    assert left == ["held"]  # without a promise the urgent task takes the slot
    day, plan = _slot_day(promise=True)
    changed, left = exchange_by_priority(day, plan, ["urgent"])  # type: ignore[arg-type]
    assert left == ["urgent"]
    assert [s.task_id for s in changed.routes[0].stops] == ["held"]


def test_a_promise_no_one_can_keep_is_named_with_why() -> None:
    vow = promised(task("vow", 1, skills=("physio",)), TimeWindow(10 * H, 11 * H))
    day = problem([worker()], [vow], rules=NO_BREAKS)
    plan = solve(day, params=SolveParams(max_solutions=20, time_limit_s=30))
    broken = broken_promises(day, plan)
    assert [(b.task_id, b.reason) for b in broken] == [("vow", "no_skilled_worker")]
    assert "10:00-11:00" in str(broken[0]) and "required skills" in str(broken[0])


def test_the_only_skilled_worker_absent_all_day_breaks_the_promise_not_the_search() -> None:
    # The physiotherapist has no shift (absent): their base is no stop for anyone else.
    vow = promised(task("vow", 1, skills=("physio",)), TimeWindow(10 * H, 11 * H))
    day = problem([worker("handy"), worker("physio", skills=("physio",), shifts=(),
                                            base="p5")],
                  [vow, task("fix", 2), task("fix2", 3)], rules=NO_BREAKS)
    plan = solve(day, params=SolveParams(max_solutions=20, time_limit_s=30, searches=1))
    assert {s.task_id for r in plan.routes for s in r.stops} == {"fix", "fix2"}
    assert [(b.task_id, b.reason) for b in broken_promises(day, plan)] == [
        ("vow", "no_availability")]


def test_a_promise_wins_its_slot_over_a_mandatory_urgent_task() -> None:
    # Both need w1's only free hour, 9:00-10:00: the promise is kept, the urgent one waits.
    vow = promised(task("vow", 1, service_s=H, windows=((9 * H, 10 * H),)),
                   TimeWindow(9 * H, 9 * H))
    urgent = task("urgent", 2, service_s=H, windows=((9 * H, 10 * H),),
                  priority=Priority.URGENT, mandatory=True)
    day = problem([worker(shifts=((8 * H + 1800, 10 * H + 1800),))], [urgent, vow],
                  rules=NO_BREAKS)
    plan = solve(day, params=SolveParams(max_solutions=50, time_limit_s=30, searches=1))
    assert {s.task_id for r in plan.routes for s in r.stops} == {"vow"}
    assert [u.task_id for u in plan.unassigned] == ["urgent"]
