"""Packing a basis of promises anew (`optimiser.offers.repack`): the promised tasks all
served inside their promises, the new request left for the offers; None when a short
search cannot keep every promise. Stopped by solution count."""

from __future__ import annotations

from optimiser.model import StopAction, TimeWindow
from optimiser.offers.repack import repacked
from optimiser.promises import kept, promised
from tests.optimiser.tiny import H, problem, task, worker


def test_every_promise_is_kept_and_the_new_request_left_for_the_offers() -> None:
    tasks = [promised(task(f"p{i}", i + 1), TimeWindow(8 * H + i * H, 9 * H + i * H))
             for i in range(4)]
    p = problem([worker("w1"), worker("w2", base="p5")],
                [*tasks, task("new", 3, windows=((9 * H, 15 * H),))])
    plan = repacked(p, ("new",), max_solutions=30, time_limit_s=30)
    assert plan is not None
    starts = {s.task_id: s.start_s for r in plan.routes for s in r.stops
              if s.action is StopAction.SERVE}
    assert set(starts) == {"p0", "p1", "p2", "p3"}
    assert all(kept(p.task(t), start) for t, start in starts.items())


def test_a_promise_no_one_can_keep_gives_no_basis() -> None:
    tasks = [promised(task("p0", 1, skills=("physio",)), TimeWindow(9 * H, 10 * H))]
    p = problem([worker("w1")], [*tasks, task("new", 3)])
    assert repacked(p, ("new",), max_solutions=30, time_limit_s=30) is None
