"""One small scenario per hard rule or objective; each fails if the rule is not modelled."""

from __future__ import annotations

from optimiser.check import check
from optimiser.kpi import kpis
from optimiser.model import LabourRules, Plan, Priority, Reason
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import STEP_S, H, problem, task, worker

FAST = SolveParams(time_limit_s=2, max_solutions=100)  # deterministic and quick


def served_by(plan: Plan) -> dict[str, str]:
    return {s.task_id: r.worker_id for r in plan.routes for s in r.stops}


def reasons(plan: Plan) -> dict[str, Reason]:
    return {u.task_id: u.reason for u in plan.unassigned}


def test_task_needing_a_skill_goes_to_the_worker_who_has_it_even_if_another_is_closer():
    p = problem(
        [worker("near"), worker("plumber", skills=("plumbing",), base="p5")],
        [task("tap", 1, skills=("plumbing",))],
    )
    plan = solve(p, params=FAST)
    assert served_by(plan) == {"tap": "plumber"}


def test_task_is_served_in_its_second_window_when_the_first_is_outside_every_shift():
    p = problem([worker(shifts=((14 * H, 18 * H),))],
                [task("t", 2, windows=((9 * H, 11 * H), (15 * H, 17 * H)))])
    plan = solve(p, params=FAST)
    stop = plan.routes[0].stops[0]
    assert stop.start_s >= 15 * H and stop.end_s <= 17 * H


def test_service_starts_and_ends_inside_the_window():
    p = problem([worker()], [task("t", 1, service_s=H, windows=((10 * H, 11 * H),))])
    stop = solve(p, params=FAST).routes[0].stops[0]
    assert (stop.start_s, stop.end_s) == (10 * H, 11 * H)


def test_pes_evening_worker_takes_the_evening_visit_and_the_day_worker_the_morning_one():
    p = problem(
        [worker("cus-day", shifts=((8 * H, 16 * H),)),
         worker("pes-evening", provider="pes", shifts=((16 * H, 21 * H),))],
        [task("morning", 1, windows=((9 * H, 12 * H),)),
         task("evening", 1, windows=((18 * H, 20 * H),))],
    )
    assert served_by(solve(p, params=FAST)) == {"morning": "cus-day", "evening": "pes-evening"}


def test_route_never_leaves_before_the_shift_or_returns_after_it():
    p = problem([worker(shifts=((9 * H, 12 * H),))],
                [task("a", 3, windows=((8 * H, 12 * H),)), task("b", 4)])
    plan = solve(p, params=FAST)
    route = plan.routes[0]
    assert route.start_s >= 9 * H and route.end_s <= 12 * H
    assert len(route.stops) == 2


def test_contract_limit_on_working_time_leaves_the_rest_unassigned():
    # Both take 1 h at one place 10 min away: one needs 80 min, both 140 min; 2 h allows one.
    p = problem([worker(max_work_s=2 * H)],
                [task("a", 1, service_s=H), task("b", 1, service_s=H)])
    plan = solve(p, params=FAST)
    assert len(plan.routes[0].stops) == 1
    assert plan.routes[0].work_s <= 2 * H
    assert [u.reason for u in plan.unassigned] == [Reason.CAPACITY_EXHAUSTED]


def test_contract_limit_counts_all_shifts_of_the_day_together():
    p = problem([worker(max_work_s=int(1.5 * H), shifts=((8 * H, 10 * H), (15 * H, 17 * H)))],
                [task("am", 1, service_s=H, windows=((8 * H, 10 * H),)),
                 task("pm", 1, service_s=H, windows=((15 * H, 17 * H),))])
    plan = solve(p, params=FAST)
    assert sum(r.work_s for r in plan.routes) <= 1.5 * H
    assert len(served_by(plan)) == 1


def test_shift_over_six_hours_gets_a_fifteen_minute_break_between_tasks():
    tasks = [task(f"t{i}", 1, service_s=H) for i in range(7)]
    p = problem([worker(shifts=((8 * H, 16 * H),))], tasks)
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=300))
    route = plan.routes[0]
    assert route.work_s > 6 * H
    assert route.breaks and all(b.end_s - b.start_s >= 15 * 60 for b in route.breaks)
    for b in route.breaks:
        assert all(b.end_s <= s.start_s or b.start_s >= s.end_s for s in route.stops)
    assert check(p, plan) == []


def test_break_rule_can_be_switched_off():
    tasks = [task(f"t{i}", 0, service_s=H) for i in range(8)]
    p = problem([worker(shifts=((8 * H, 16 * H),))], tasks,
                rules=LabourRules(break_after_s=None))
    plan = solve(p, params=FAST)
    assert len(plan.routes[0].stops) == 8 and plan.routes[0].breaks == ()


def test_break_takes_time_so_a_full_day_without_slack_loses_a_task():
    tasks = [task(f"t{i}", 0, service_s=H) for i in range(8)]
    p = problem([worker(shifts=((8 * H, 16 * H),))], tasks)
    plan = solve(p, params=FAST)
    assert len(plan.routes[0].stops) == 7
    assert len(plan.unassigned) == 1


def test_higher_priority_is_served_first_when_only_one_fits():
    p = problem([worker(shifts=((8 * H, 10 * H),))],
                [task("low", 1, service_s=H, priority=Priority.LOW),
                 task("urgent", 2, service_s=H, priority=Priority.URGENT)],
                rules=LabourRules(break_after_s=None))
    plan = solve(p, params=FAST)
    assert set(served_by(plan)) == {"urgent"}
    assert reasons(plan) == {"low": Reason.CAPACITY_EXHAUSTED}
    assert "urgent" in plan.unassigned[0].detail


def test_mandatory_task_is_served_before_an_urgent_optional_one():
    p = problem([worker(shifts=((8 * H, 10 * H),))],
                [task("urgent", 1, service_s=H, priority=Priority.URGENT),
                 task("must", 2, service_s=H, priority=Priority.LOW, mandatory=True)])
    assert set(served_by(solve(p, params=FAST))) == {"must"}


def test_least_travel_drives_out_and_back_without_zigzag():
    p = problem([worker()], [task("far", 4), task("near", 1), task("mid", 2)])
    plan = solve(p, params=FAST)
    assert kpis(p, plan).travel_s == 8 * STEP_S  # any zigzag order costs at least 10 steps


def test_vehicle_capacity_limits_the_load_of_a_route():
    p = problem([worker(capacity=10)], [task("a", 1, demand=6), task("b", 2, demand=6)])
    plan = solve(p, params=FAST)
    assert len(served_by(plan)) == 1


def test_task_nobody_has_the_skill_for_is_unassigned_with_that_reason():
    p = problem([worker()], [task("gas", 1, skills=("gas",))])
    plan = solve(p, params=FAST)
    assert plan.routes == () and reasons(plan) == {"gas": Reason.NO_SKILLED_WORKER}


def test_task_outside_every_shift_is_unassigned_for_availability():
    p = problem([worker(shifts=((8 * H, 12 * H),))], [task("night", 1, windows=((22 * H,
                                                                                 23 * H),))])
    assert reasons(solve(p, params=FAST)) == {"night": Reason.NO_AVAILABILITY}


def test_task_too_far_to_reach_within_its_window_is_unreachable():
    # 5 steps = 50 min away; the window closes 40 min after the shift starts.
    p = problem([worker(shifts=((8 * H, 16 * H),))],
                [task("far", 5, service_s=10 * 60, windows=((8 * H, 8 * H + 40 * 60),))])
    assert reasons(solve(p, params=FAST)) == {"far": Reason.UNREACHABLE_IN_TIME}


def test_task_larger_than_every_vehicle_is_reported():
    p = problem([worker(capacity=5)], [task("piano", 1, demand=50)])
    assert reasons(solve(p, params=FAST)) == {"piano": Reason.EXCEEDS_CAPACITY}


def test_worker_without_shifts_serves_nothing_and_tasks_say_why():
    p = problem([worker(shifts=())], [task("a", 1)])
    plan = solve(p, params=FAST)
    assert plan.routes == () and reasons(plan) == {"a": Reason.NO_AVAILABILITY}


def test_arrival_times_follow_the_matrix():
    p = problem([worker()], [task("a", 2, windows=((8 * H, 16 * H),))])
    route = solve(p, params=FAST).routes[0]
    assert route.stops[0].arrival_s == route.start_s + 2 * STEP_S
    assert route.end_s >= route.stops[0].end_s + 2 * STEP_S


def test_same_input_and_seed_give_the_same_plan():
    tasks = [task(f"t{i}", 1 + i % 5, service_s=(20 + 5 * i) * 60) for i in range(12)]
    p = problem([worker("a"), worker("b", base="p5")], tasks)
    params = SolveParams(time_limit_s=30, seed=3, max_solutions=200)
    assert solve(p, params=params) == solve(p, params=params)


def test_route_leaves_just_in_time_and_ends_on_return_so_idle_time_is_not_work():
    p = problem([worker()], [task("noon", 2, windows=((12 * H, 13 * H),))])
    route = solve(p, params=FAST).routes[0]
    assert route.start_s == route.stops[0].start_s - 2 * STEP_S
    assert route.end_s == route.stops[0].end_s + 2 * STEP_S
