"""The checker finds each kind of broken plan, and accepts a correct one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from optimiser.check import check
from optimiser.model import Break, Plan, Reason, Route, Stop, Unassigned
from tests.optimiser.tiny import STEP_S, H, problem, task, worker

P = problem(
    [worker("w1", skills=("physio",), max_work_s=4 * H), worker("w2", shifts=((8 * H, 9 * H),))],
    [task("a", 1, skills=("physio",), windows=((9 * H, 10 * H),)), task("b", 2)],
)


def good_route() -> Route:
    # leave 08:50, 10 min to p1, a 09:00-09:30, 10 min to p2, b 09:40-10:10, 20 min home.
    a = Stop("a", "p1", 9 * H, 9 * H, 9 * H + 1800)
    b = Stop("b", "p2", 9 * H + 1800 + STEP_S, 9 * H + 2400, 9 * H + 4200)
    return Route("w1", 0, 9 * H - STEP_S, 9 * H + 4200 + 2 * STEP_S, (a, b))


def rules_broken(plan: Plan) -> set[str]:
    return {v.rule for v in check(P, plan)}


def test_a_correct_plan_has_no_violations():
    assert check(P, Plan((good_route(),), ())) == []


def test_a_task_neither_served_nor_reported_is_lost():
    route = replace(good_route(), stops=good_route().stops[:1])
    assert rules_broken(Plan((route,), ())) >= {"task_lost"}


def test_a_task_served_and_also_reported_is_caught():
    plan = Plan((good_route(),), (Unassigned("b", Reason.CAPACITY_EXHAUSTED),))
    assert "served_and_unassigned" in rules_broken(plan)


def test_a_task_served_twice_is_caught():
    route = good_route()
    twice = replace(route, stops=(*route.stops, route.stops[1]))
    assert "served_twice" in rules_broken(Plan((twice,), ()))


def test_service_outside_the_window_is_caught():
    route = good_route()
    late = [Stop("a", "p1", 9 * H, 10 * H, 10 * H + 1800), route.stops[1]]
    late[1] = Stop("b", "p2", 10 * H + 1800 + STEP_S, 10 * H + 2400, 10 * H + 4200)
    route = replace(route, stops=tuple(late), end_s=10 * H + 4200 + 2 * STEP_S)
    assert rules_broken(Plan((route,), ())) == {"time_window"}


def test_a_worker_without_the_skill_is_caught():
    route = replace(good_route(), worker_id="w2", end_s=10 * H + 4200)
    assert "skill" in rules_broken(Plan((route,), ()))


def test_a_route_outside_the_shift_is_caught():
    route = replace(good_route(), worker_id="w2")
    assert "availability" in rules_broken(Plan((route,), ()))


def test_arriving_faster_than_the_matrix_allows_is_caught():
    route = good_route()
    a = replace(route.stops[0], arrival_s=route.stops[0].arrival_s - 60)
    assert "travel_time" in rules_broken(Plan((replace(route, stops=(a, route.stops[1])),), ()))


def test_coming_home_faster_than_the_matrix_allows_is_caught():
    route = replace(good_route(), end_s=good_route().end_s - 60)
    assert "travel_time" in rules_broken(Plan((route,), ()))


def test_a_shortened_service_is_caught():
    route = good_route()
    a = replace(route.stops[0], end_s=route.stops[0].end_s - 60)
    assert "service_time" in rules_broken(Plan((replace(route, stops=(a, route.stops[1])),), ()))


def test_working_over_the_contract_limit_is_caught():
    route = replace(good_route(), start_s=5 * H)
    a = replace(route.stops[0], arrival_s=5 * H + STEP_S)
    assert rules_broken(Plan((replace(route, stops=(a, route.stops[1])),), ())) >= {
        "working_time"}


@pytest.mark.parametrize("break_at", [9 * H + 300, 9 * H + 1800 + 300])
def test_a_break_overlapping_a_task_or_squeezing_travel_is_caught(break_at: int):
    route = replace(good_route(), breaks=(Break(break_at, break_at + 900),))
    assert "break" in rules_broken(Plan((route,), ()))


def test_a_break_in_idle_time_is_accepted():
    route = good_route()
    early = replace(route, start_s=8 * H, breaks=(Break(8 * H, 8 * H + 900),))
    a = replace(route.stops[0], arrival_s=8 * H + 900 + STEP_S)  # break first, then drive
    assert check(P, Plan((replace(early, stops=(a, route.stops[1])),), ())) == []


def test_more_than_six_hours_without_a_break_is_caught():
    p = problem([worker(shifts=((6 * H, 18 * H),))], [task("x", 0, service_s=7 * H,
                                                              windows=((7 * H, 15 * H),))])
    stop = Stop("x", "p0", 6 * H, 7 * H, 14 * H)
    route = Route("w1", 0, 6 * H, 14 * H, (stop,))
    assert {v.rule for v in check(p, Plan((route,), ()))} == {"break"}


def test_a_break_too_short_is_caught():
    route = replace(good_route(), start_s=8 * H, breaks=(Break(8 * H, 8 * H + 60),))
    assert "break" in rules_broken(Plan((route,), ()))


def test_load_over_capacity_is_caught():
    p = problem([worker(capacity=5)], [task("a", 1, demand=4), task("b", 1, demand=4)])
    a = Stop("a", "p1", 8 * H + STEP_S, 8 * H + STEP_S, 8 * H + STEP_S + 1800)
    b = Stop("b", "p1", a.end_s, a.end_s, a.end_s + 1800)
    route = Route("w1", 0, 8 * H, b.end_s + STEP_S, (a, b))
    assert {v.rule for v in check(p, Plan((route,), ()))} == {"capacity"}


def test_two_routes_in_one_shift_are_caught():
    route = good_route()
    first = replace(route, stops=route.stops[:1], end_s=route.stops[0].end_s + STEP_S)
    assert "shift_used_twice" in rules_broken(Plan((first, replace(first, stops=(
        replace(route.stops[1], arrival_s=route.start_s + 2 * STEP_S),))), ()))


def test_a_plan_naming_unknown_workers_or_tasks_is_caught():
    route = good_route()
    ghost = replace(route, worker_id="ghost")
    assert "unknown_worker" in rules_broken(Plan((route, ghost), ()))
    assert "unknown_task" in rules_broken(Plan((route,), (Unassigned("zzz",
                                                                     Reason.NO_AVAILABILITY),)))


def test_a_bus_driven_by_two_drivers_at_once_is_caught():
    from optimiser.model import Vehicle

    p = problem([worker("a", vehicle="bus"), worker("b", vehicle="bus")],
                [task("x", 1), task("y", 1)],
                vehicles=(Vehicle("bus", "bus", seats=4),))
    x = Stop("x", "p1", 8 * H + STEP_S, 8 * H + STEP_S, 8 * H + STEP_S + 1800)
    y = Stop("y", "p1", 8 * H + STEP_S, 8 * H + STEP_S, 8 * H + STEP_S + 1800)
    routes = (Route("a", 0, 8 * H, x.end_s + STEP_S, (x,)),
              Route("b", 0, 8 * H, y.end_s + STEP_S, (y,)))
    assert {v.rule for v in check(p, Plan(routes, ()))} == {"vehicle_in_use"}
