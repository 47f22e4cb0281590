"""Several days at once: one small scenario per labour rule, series rule and goal."""

from __future__ import annotations

from optimiser.calendar import Calendar
from optimiser.check import check
from optimiser.model import Continuity, Goals, LabourRules, Plan, Reason, Series
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import DAY, H, problem, task, worker

FAST = SolveParams(time_limit_s=3, max_solutions=300)
TWO_DAYS = Calendar(days=2)  # undated UTC days of exactly 24 h
THREE_DAYS = Calendar(days=3)


def day_shifts(start_h: int, end_h: int, days: int = 3) -> tuple[tuple[int, int], ...]:
    return tuple((d * DAY + start_h * H, d * DAY + end_h * H) for d in range(days))


def daily_windows(start_h: int, end_h: int, days: int = 3) -> tuple[tuple[int, int], ...]:
    return day_shifts(start_h, end_h, days)


def served_by(plan: Plan) -> dict[str, str]:
    return {s.task_id: r.worker_id for r in plan.routes for s in r.stops}


def day_of_service(plan: Plan) -> dict[str, int]:
    return {s.task_id: s.start_s // DAY for r in plan.routes for s in r.stops}


def reasons(plan: Plan) -> dict[str, Reason]:
    return {u.task_id: u.reason for u in plan.unassigned}


def test_daily_limit_counts_each_calendar_day_separately():
    # Two 1 h tasks only on day 0 (20 min travel each way): one fits into 2 h of work a day.
    p = problem([worker(shifts=day_shifts(8, 16, 2), max_work_s=2 * H)],
                [task("a", 2, service_s=H), task("b", 2, service_s=H, windows=((9 * H, 16 * H),))],
                calendar=TWO_DAYS)
    plan = solve(p, params=FAST)
    assert len(served_by(plan)) == 1


def test_daily_limit_lets_the_next_day_take_what_does_not_fit_today():
    tasks = [task(f"t{i}", 2, service_s=H, windows=daily_windows(8, 16, 2)) for i in range(2)]
    p = problem([worker(shifts=day_shifts(8, 16, 2), max_work_s=2 * H)], tasks,
                calendar=TWO_DAYS)
    plan = solve(p, params=FAST)
    assert sorted(day_of_service(plan).values()) == [0, 1]


def test_weekly_limit_caps_the_sum_over_all_days():
    tasks = [task(f"t{i}", 1, service_s=H, windows=daily_windows(8, 16)) for i in range(3)]
    p = problem([worker(shifts=day_shifts(8, 16), max_week_s=3 * H)], tasks,
                calendar=THREE_DAYS)
    plan = solve(p, params=FAST)
    assert sum(r.work_s for r in plan.routes) <= 3 * H
    assert len(served_by(plan)) == 2  # each task costs 80 min of work


def test_eleven_hours_of_rest_between_an_evening_and_the_next_morning():
    evening = task("evening", 0, service_s=H, windows=((21 * H, 22 * H),))
    morning = task("morning", 0, service_s=H, windows=((DAY + 7 * H, DAY + 8 * H),))
    shifts = ((16 * H, 22 * H), (DAY + 7 * H, DAY + 15 * H))
    with_rest = problem([worker(shifts=shifts)], [evening, morning], calendar=TWO_DAYS)
    assert len(served_by(solve(with_rest, params=FAST))) == 1
    no_rest = problem([worker(shifts=shifts)], [evening, morning], calendar=TWO_DAYS,
                      rules=LabourRules(rest_s=None))
    assert len(served_by(solve(no_rest, params=FAST))) == 2


def test_a_split_shift_within_one_day_needs_no_daily_rest():
    p = problem([worker(shifts=((8 * H, 10 * H), (15 * H, 21 * H)))],
                [task("am", 0, service_s=H, windows=((8 * H, 10 * H),)),
                 task("pm", 0, service_s=H, windows=((15 * H, 17 * H),))])
    assert len(served_by(solve(p, params=FAST))) == 2


def sessions(n: int, *, windows: tuple[tuple[int, int], ...]) -> list:  # type: ignore[type-arg]
    return [task(f"s{i}", 1, service_s=H, windows=windows, skills=("physio",)) for i in range(n)]


def test_series_sessions_fall_on_different_days():
    p = problem([worker(skills=("physio",), shifts=day_shifts(8, 16))],
                sessions(3, windows=daily_windows(9, 15)), calendar=THREE_DAYS,
                series=(Series("rehab", ("s0", "s1", "s2"), min_gap_days=1),))
    plan = solve(p, params=FAST)
    assert sorted(day_of_service(plan).values()) == [0, 1, 2]


def test_series_that_cannot_fit_its_spacing_says_so():
    p = problem([worker(skills=("physio",), shifts=day_shifts(8, 16))],
                sessions(3, windows=daily_windows(9, 15)), calendar=THREE_DAYS,
                series=(Series("rehab", ("s0", "s1", "s2"), min_gap_days=2),))
    plan = solve(p, params=FAST)
    assert sorted(day_of_service(plan).values()) == [0, 2]
    assert list(reasons(plan).values()) == [Reason.SERIES_SPACING]


def two_therapists_who_each_live_near_on_one_day(continuity: Continuity):  # type: ignore
    # "near" is at the client's door on day 0 only, "far" on day 1 only; both work both days.
    near = worker("near", skills=("physio",), shifts=day_shifts(8, 16, 2), base="p1")
    far = worker("far", skills=("physio",), shifts=day_shifts(8, 16, 2), base="p5")
    s0 = task("s0", 1, service_s=H, windows=((9 * H, 15 * H),), skills=("physio",))
    s1 = task("s1", 5, service_s=H, windows=((DAY + 9 * H, DAY + 15 * H),),
              skills=("physio",))
    return problem([near, far], [s0, s1], calendar=TWO_DAYS,
                   series=(Series("rehab", ("s0", "s1"), continuity=continuity),))


def test_continuity_keeps_one_therapist_when_capacity_allows():
    plan = solve(two_therapists_who_each_live_near_on_one_day(Continuity.SOFT), params=FAST)
    assert len(set(served_by(plan).values())) == 1 and len(served_by(plan)) == 2


def test_without_continuity_the_cheaper_split_is_chosen():
    plan = solve(two_therapists_who_each_live_near_on_one_day(Continuity.NONE), params=FAST)
    assert served_by(plan) == {"s0": "near", "s1": "far"}


def series_where_each_therapist_has_one_day(continuity: Continuity):  # type: ignore
    monday = worker("mon", skills=("physio",), shifts=((8 * H, 16 * H),))
    tuesday = worker("tue", skills=("physio",), shifts=((DAY + 8 * H, DAY + 16 * H),))
    return problem([monday, tuesday], sessions(2, windows=daily_windows(9, 15, 2)),
                   calendar=TWO_DAYS,
                   series=(Series("rehab", ("s0", "s1"), continuity=continuity),))


def test_soft_continuity_gives_way_when_one_therapist_cannot_do_the_whole_series():
    plan = solve(series_where_each_therapist_has_one_day(Continuity.SOFT), params=FAST)
    assert set(served_by(plan).values()) == {"mon", "tue"}


def test_required_continuity_serves_fewer_sessions_rather_than_change_therapist():
    p = series_where_each_therapist_has_one_day(Continuity.REQUIRED)
    plan = solve(p, params=FAST)
    assert len(served_by(plan)) == 1 and check(p, plan) == []


def test_pes_share_goal_moves_work_to_the_pes_worker():
    cus = worker("cus", base="p1")
    pes = worker("pes", provider="pes", base="p3")
    tasks = [task(f"t{i}", 1, service_s=H) for i in range(2)]
    without = problem([cus, pes], tasks)
    assert set(served_by(solve(without, params=FAST)).values()) == {"cus"}
    goal = problem([cus, pes], tasks, goals=Goals(pes_share_target=0.35, pes_weight=0.5))
    assert set(served_by(solve(goal, params=FAST)).values()) == {"pes"}
