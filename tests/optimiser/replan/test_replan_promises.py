"""Re-planning keeps promises: a sick worker's promised visits go to a colleague, plain
work gives way; when no one else can keep one, the re-plan names it and why
(`optimiser.promises_broken`), for its caller to publish nothing."""

from __future__ import annotations

import dataclasses

from optimiser.check import check
from optimiser.model import LabourRules, Priority, Problem, TimeWindow
from optimiser.params import SolveParams
from optimiser.promises import promised
from optimiser.promises_broken import broken_promises
from optimiser.replan import Event, EventKind, ReplanParams, replan
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

BUDGET = ReplanParams(solve=SolveParams(time_limit_s=60, max_solutions=60))
PLAN = SolveParams(time_limit_s=60, max_solutions=60, seed=1)
NOW = 7 * H  # before any shift starts: nothing has happened yet


def _day(*, only_w1_speaks: bool) -> Problem:
    plain = [task(f"plain{k}", 1 + k % 4, service_s=H, priority=Priority.HIGH,
                  skills=("care",)) for k in range(8)]
    vows = [promised(task(f"vow{k}", 2 + k, service_s=H, skills=("care",)),
                     TimeWindow((9 + 2 * k) * H, (10 + 2 * k) * H)) for k in range(3)]
    if only_w1_speaks:  # the one promise only w1 can keep: speech therapy
        vows[0] = dataclasses.replace(vows[0], required_skills=frozenset({"speech"}))
    workers = [worker("w1", skills=("care", "speech")), worker("w2", skills=("care",))]
    return problem(workers, plain + vows, rules=LabourRules(break_after_s=None))


def _served(plan: object) -> set[str]:
    return {s.task_id for r in plan.routes for s in r.stops}  # type: ignore[attr-defined]


def test_a_sick_worker_s_promises_all_go_to_a_colleague() -> None:
    day = _day(only_w1_speaks=False)
    plan = solve(day, params=PLAN)
    assert {"vow0", "vow1", "vow2"} <= _served(plan) and check(day, plan) == []
    assert any(s.task_id.startswith("vow") for r in plan.routes if r.worker_id == "w1"
               for s in r.stops)  # w1 had promised work to lose
    out = replan(day, plan, [Event(EventKind.WORKER_UNAVAILABLE, "w1", at_s=NOW)], NOW,
                 BUDGET)
    assert not [r for r in out.plan.routes if r.worker_id == "w1"]
    assert {"vow0", "vow1", "vow2"} <= _served(out.plan)
    plain = {f"plain{k}" for k in range(8)}
    assert len(_served(out.plan) & plain) < len(_served(plan) & plain)  # plain work gives way
    assert check(out.problem, out.plan) == [] and broken_promises(out.problem, out.plan) == []


def test_a_promise_only_the_sick_worker_could_keep_is_named_with_why() -> None:
    day = _day(only_w1_speaks=True)
    plan = solve(day, params=PLAN)
    assert "vow0" in _served(plan) and check(day, plan) == []
    out = replan(day, plan, [Event(EventKind.WORKER_UNAVAILABLE, "w1", at_s=NOW)], NOW,
                 BUDGET)
    broken = broken_promises(out.problem, out.plan)
    assert [b.task_id for b in broken] == ["vow0"]
    assert "09:00-10:00" in str(broken[0]) and broken[0].reason != "outside_promise"
    assert [v.rule for v in check(out.problem, out.plan)] == ["promise_broken"]
    assert {"vow1", "vow2"} <= _served(out.plan)  # the others are still kept


def test_a_promised_visit_that_began_late_is_a_fact_not_a_refusal() -> None:
    # The worker started vow0 a minute past its promise: that happened; the re-plan goes
    # on (the promise is broken in fact, not by the plan), the others stay kept.
    day = _day(only_w1_speaks=False)
    plan = solve(day, params=PLAN)
    late = 10 * H + 60  # vow0 was promised 9:00-10:00
    out = replan(day, plan, [Event(EventKind.STARTED, "vow0", at_s=late)], late + 60,
                 BUDGET)
    start = next(s.start_s for r in out.plan.routes for s in r.stops if s.task_id == "vow0")
    assert start == late and "vow0" in out.problem.begun
    assert broken_promises(out.problem, out.plan) == []
    assert check(out.problem, out.plan) == []
    assert {"vow1", "vow2"} <= _served(out.plan)


def test_a_client_not_at_home_at_the_promised_time_is_a_fact_not_a_refusal() -> None:
    day = _day(only_w1_speaks=False)
    plan = solve(day, params=PLAN)
    start = next(s.start_s for r in plan.routes for s in r.stops if s.task_id == "vow1")
    out = replan(day, plan, [Event(EventKind.NO_SHOW, "vow1", at_s=start + 300)],
                 start + 600, BUDGET)
    assert "vow1" not in _served(out.plan)
    assert [u.reason.value for u in out.plan.unassigned if u.task_id == "vow1"] == ["no_show"]
    assert broken_promises(out.problem, out.plan) == []
    assert check(out.problem, out.plan) == []
