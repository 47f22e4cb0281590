"""Breaks sit where a person would take them: mid-day, after a stop or while waiting at the
next place, never at the first minute after leaving the base unless nothing else fits."""

from __future__ import annotations

from optimiser.breaks import placed_breaks, with_breaks, with_breaks_placed
from optimiser.check import check
from optimiser.model import Break, Plan, Problem, Route, Stop
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.break_checks import assert_not_needlessly_early
from tests.optimiser.tiny import STEP_S, H, problem, task, worker

M = 60
P = problem([worker()], [task("a", 1, service_s=H, windows=((9 * H, 10 * H),)),
                         task("b", 2, service_s=H, windows=((10 * H + 30 * M, 12 * H),)),
                         task("c", 1, service_s=H, windows=((12 * H, 13 * H),)),
                         task("d", 2, service_s=30 * M, windows=((13 * H + 30 * M, 14 * H),))])


def _stop(task_id: str, place: str, start: int, length: int) -> Stop:
    return Stop(task_id, place, start, start, start + length)


def _early_break_route() -> Route:
    """Leave 08:35, a 15-minute break at the base first, then a 09:00-10:00, b 10:30-11:30,
    c 12:00-13:00, d 13:30-14:00, home at 14:20: valid, but the break is at the start."""
    stops = (_stop("a", "p1", 9 * H, H), _stop("b", "p2", 10 * H + 30 * M, H),
             _stop("c", "p1", 12 * H, H), _stop("d", "p2", 13 * H + 30 * M, 30 * M))
    route = Route("w1", 0, 8 * H + 35 * M, 14 * H + 20 * M, stops)
    return with_breaks(P, route, [Break(8 * H + 35 * M, 8 * H + 50 * M)])


def _passes(p: Problem, route: Route) -> bool:
    return check(p, Plan((route,), ())) == []


def test_a_break_at_the_first_minute_moves_to_the_gap_nearest_midday_and_the_route_leaves_later():
    before = _early_break_route()
    assert _passes(P, before)
    after = placed_breaks(P, before)
    assert _passes(P, after)
    # 08:50-14:20 has its middle at 11:35: the break right after b (11:30) is nearest.
    assert after.breaks == (Break(11 * H + 30 * M, 11 * H + 45 * M),)
    assert after.start_s == 8 * H + 50 * M  # no idle quarter at the base any more
    assert after.end_s == before.end_s
    assert [(s.start_s, s.end_s) for s in after.stops] == [
        (s.start_s, s.end_s) for s in before.stops]
    assert after.stops[2].arrival_s == 11 * H + 30 * M + 15 * M + STEP_S  # break, then drive


def test_placing_twice_changes_nothing_more():
    once = placed_breaks(P, _early_break_route())
    assert placed_breaks(P, once) == once


def test_a_break_stays_at_the_base_when_nothing_else_fits():
    # a and b back to back, home right after b: only the start has room for the break.
    p = problem([worker()], [task("a", 1, service_s=H, windows=((9 * H, 10 * H),)),
                             task("b", 2, service_s=110 * M, windows=((10 * H + STEP_S, 12 * H),))])
    stops = (_stop("a", "p1", 9 * H, H), _stop("b", "p2", 10 * H + STEP_S, 110 * M))
    route = with_breaks(p, Route("w1", 0, 8 * H + 35 * M, 12 * H + 20 * M, stops),
                        [Break(8 * H + 35 * M, 8 * H + 50 * M)])
    assert _passes(p, route)
    assert placed_breaks(p, route) == route


def test_a_break_waits_at_the_next_place_when_that_is_nearer_the_middle():
    # One long wait: after a (10:00) the next stop starts at 12:30. The break goes in the
    # wait at b's door, nearest the route's middle, not at 10:00 and not mid-drive.
    p = problem([worker()], [task("a", 1, service_s=H, windows=((9 * H, 10 * H),)),
                             task("b", 2, service_s=2 * H, windows=((12 * H + 30 * M, 16 * H),))])
    stops = (_stop("a", "p1", 9 * H, H), _stop("b", "p2", 12 * H + 30 * M, 2 * H))
    route = with_breaks(p, Route("w1", 0, 8 * H + 35 * M, 14 * H + 50 * M, stops),
                        [Break(8 * H + 35 * M, 8 * H + 50 * M)])
    assert _passes(p, route)
    after = placed_breaks(p, route)
    assert _passes(p, after)
    (pause,) = after.breaks
    middle = (after.start_s + after.end_s) / 2
    assert pause.start_s >= after.stops[1].arrival_s  # arrived (as the sheet says), waiting
    assert abs((pause.start_s + pause.end_s) / 2 - middle) < 60


def test_two_breaks_of_a_long_shift_split_the_day_in_three_and_keep_the_rule():
    # 06:00-21:00, visits every hour from 07:00 to 19:40 with room after each: two breaks.
    tasks = [task(f"v{h}", 1 + h % 3, service_s=40 * M, windows=((h * H, h * H + 50 * M),))
             for h in range(7, 20)]
    p = problem([worker(shifts=((6 * H, 21 * H),))], tasks)
    plan = solve(p, params=SolveParams(time_limit_s=30, max_solutions=60, seed=0))
    (route,) = plan.routes
    assert len(route.breaks) == 2
    placed = with_breaks_placed(p, plan)
    assert check(p, placed) == []
    (after,) = placed.routes
    span = after.end_s - after.start_s
    for k, pause in enumerate(after.breaks, start=1):
        target = after.start_s + span * k / 3
        assert abs((pause.start_s + pause.end_s) / 2 - target) <= 30 * M, (k, pause)


def test_breaks_on_solved_routes_pass_the_check_and_none_stays_at_the_start_needlessly():
    # Visits spread over an 8-hour shift with waits between them.
    tasks = [task(f"v{k}", 1 + k % 4, service_s=45 * M,
                  windows=((8 * H + k * 70 * M, 8 * H + k * 70 * M + 60 * M),))
             for k in range(6)]
    p = problem([worker(shifts=((7 * H + 30 * M, 15 * H + 30 * M),))], tasks)
    plan = with_breaks_placed(p, solve(p, params=SolveParams(time_limit_s=30,
                                                              max_solutions=60, seed=0)))
    assert check(p, plan) == []
    assert any(r.breaks for r in plan.routes)
    for route in plan.routes:
        for pause in route.breaks:
            assert_not_needlessly_early(p, plan, route, pause)


def test_a_morning_of_back_to_back_visits_moves_them_for_a_break_in_the_middle():
    # The search's answer: a break at 08:45, right after leaving, then four visits back to
    # back from 09:10. Re-timed: the same visits, the break after the second one.
    p = problem([worker(shifts=((8 * H, 15 * H),))],
                [task(f"v{k}", 1 + k % 2, service_s=45 * M,
                      windows=((9 * H + 10 * M, 15 * H),)) for k in range(4)])
    stops, start = [], 9 * H + 10 * M
    for k in range(4):
        stops.append(_stop(f"v{k}", f"p{1 + k % 2}", start, 45 * M))
        start += 45 * M + STEP_S
    home = stops[-1].end_s + p.travel_s("p2", "p0")
    route = with_breaks(p, Route("w1", 0, 8 * H + 45 * M, home, tuple(stops)),
                        [Break(8 * H + 45 * M, 9 * H)])
    assert _passes(p, route)
    after = placed_breaks(p, route)
    assert _passes(p, after)
    (pause,) = after.breaks
    assert pause.start_s == after.stops[1].end_s  # after the second visit
    assert after.end_s - after.start_s <= route.end_s - route.start_s
    assert [s.task_id for s in after.stops] == [s.task_id for s in route.stops]
