"""A task left out for capacity names the tasks that hold its slot and what would free it."""

from __future__ import annotations

from optimiser.model import Priority, Reason
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

FAST = SolveParams(time_limit_s=5, max_solutions=100)


def test_the_detail_names_the_stop_in_the_window_and_that_taking_it_out_makes_room():
    # One hour of shift, two one-hour visits next door wanting the same hour.
    p = problem([worker(shifts=((8 * H, 9 * H + 1200),))],
                [task("keep", 1, service_s=H, windows=((8 * H, 9 * H + 600),),
                      priority=Priority.HIGH),
                 task("out", 1, service_s=H, windows=((8 * H, 9 * H + 600),))])
    plan = solve(p, params=FAST)
    (out,) = plan.unassigned
    assert (out.task_id, out.reason) == ("out", Reason.CAPACITY_EXHAUSTED)
    assert "the slot is held by w1: keep 08:" in out.detail
    assert "taking out keep (high) on w1 alone would make room" in out.detail


def test_the_detail_says_when_no_single_removal_makes_room():
    # Two half-hour visits fill the hour; the two-hour visit does not fit without both.
    p = problem([worker(shifts=((8 * H, 10 * H + 1200),))],
                [task("a", 1, windows=((8 * H, 10 * H),), priority=Priority.HIGH),
                 task("b", 1, windows=((8 * H, 10 * H),), priority=Priority.HIGH),
                 task("long", 1, service_s=2 * H, windows=((8 * H, 10 * H + 600),),
                      priority=Priority.NORMAL)])
    plan = solve(p, params=FAST)
    out = {u.task_id: u for u in plan.unassigned}["long"]
    assert "the slot is held by w1: " in out.detail and " a " in f" {out.detail} "
    assert out.detail.endswith("no single task taken out would make room")
