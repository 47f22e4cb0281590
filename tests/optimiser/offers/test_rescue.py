"""`keep_promises`: a plan that leaves a promised task out gets it back where its promise
fits, by insertion when there is room, else by planning the promises first and putting
the other work back, a task that no longer fits reported as giving way."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings

from optimiser.check import check
from optimiser.model import Plan, Problem, Reason, StopAction, TimeWindow, Unassigned
from optimiser.offers.rescue import GAVE_WAY, _promises_first, keep_promises
from optimiser.params import SolveParams
from optimiser.promises import kept, promised
from optimiser.solve import plan_without, solve
from tests.optimiser.random_days import days_with_trips
from tests.optimiser.tiny import H, problem, task, worker


def left_out(plan: Plan, problem_: Problem, ids: set[str]) -> Plan:
    """`plan` with `ids` taken out and reported as left out (as a short search would)."""
    gone = plan_without(problem_, plan, ids)
    return dataclasses.replace(gone, unassigned=(*gone.unassigned, *(
        Unassigned(t, Reason.CAPACITY_EXHAUSTED) for t in sorted(ids))))


def starts(plan: Plan) -> dict[str, int]:
    return {s.task_id: s.start_s for r in plan.routes for s in r.stops
            if s.action in (StopAction.SERVE, StopAction.PICKUP)}


def test_a_promise_left_out_is_inserted_with_the_other_work_kept() -> None:
    tasks = [task(f"t{i}", i % 6, windows=((8 * H, 15 * H),)) for i in range(5)]
    tasks[3] = promised(tasks[3], TimeWindow(13 * H, 14 * H))
    p = problem([worker("w1")], tasks)
    plan = solve(p, params=SolveParams(time_limit_s=60, max_solutions=30))
    out = keep_promises(p, left_out(plan, p, {"t3"}))
    assert check(p, out) == []
    assert set(starts(out)) == {t.id for t in tasks} and not out.unassigned
    assert kept(p.task("t3"), starts(out)["t3"])


def test_when_nothing_fits_the_promise_comes_first_and_other_work_gives_way() -> None:
    # One worker, two one-hour visits at the same place that both want 10:00-11:00; the
    # plan served the unpromised one, so the promise fits only if it gives way.
    free = task("free", 2, service_s=H, windows=((10 * H, 11 * H),))
    sure = promised(task("sure", 2, service_s=H, windows=((10 * H, 11 * H),)),
                    TimeWindow(10 * H, 10 * H + 1800))
    p = problem([worker("w1")], [free, sure])
    plan = solve(dataclasses.replace(p, tasks=(free,)),
                 params=SolveParams(time_limit_s=60, max_solutions=10))
    before = dataclasses.replace(plan, unassigned=(Unassigned("sure", Reason.CAPACITY_EXHAUSTED),))
    out = keep_promises(p, before)
    assert check(p, out) == []
    assert set(starts(out)) == {"sure"}
    assert [(u.task_id, u.detail) for u in out.unassigned] == [("free", GAVE_WAY)]


@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(days_with_trips())
def test_every_promise_a_plan_left_out_is_kept_again(problem_: Problem) -> None:
    plan = solve(problem_, params=SolveParams(time_limit_s=60, max_solutions=30))
    first = starts(plan)
    made = dataclasses.replace(problem_, tasks=tuple(
        promised(t, TimeWindow(first[t.id] - 900, first[t.id] + 900))
        if t.id in first and t.ride is None else t for t in problem_.tasks))
    out_ids = set(sorted(t.id for t in made.tasks if t.promise is not None)[::2])
    if not out_ids:
        return
    out = keep_promises(made, left_out(plan, made, out_ids))
    assert check(made, out) == []
    now = starts(out)
    for t in made.tasks:
        if t.promise is not None:
            assert t.id in now and kept(t, now[t.id])


def test_from_a_packing_its_promised_stops_stay_and_the_other_work_comes_back() -> None:
    # The plan the promises were made against (the packing) holds them where the offers
    # put them; the search's plan left one out. From the packing, the promised stops stay
    # in their promises and the search's other work is put back around them.
    tasks = [task(f"t{i}", i % 6, windows=((8 * H, 15 * H),)) for i in range(6)]
    tasks[1] = promised(tasks[1], TimeWindow(13 * H, 14 * H))
    tasks[4] = promised(tasks[4], TimeWindow(9 * H, 10 * H))
    p = problem([worker("w1")], tasks)
    only_promised = dataclasses.replace(p, tasks=(tasks[1], tasks[4]))
    packing = solve(only_promised, params=SolveParams(time_limit_s=60, max_solutions=10))
    assert set(starts(packing)) == {"t1", "t4"}
    plan = left_out(solve(p, params=SolveParams(time_limit_s=60, max_solutions=30)), p, {"t4"})
    out = _promises_first(p, plan, p.matrix.duration_s.tolist(), packing)
    assert out is not None and check(p, out) == []
    now = starts(out)
    assert all(kept(p.task(t), now[t]) for t in ("t1", "t4"))
    assert set(now) | {u.task_id for u in out.unassigned} == {t.id for t in tasks}
    assert all(u.detail == GAVE_WAY for u in out.unassigned)
