"""The day-by-day construction: what earlier days decided is folded into a day's model."""

from __future__ import annotations

from optimiser.calendar import Calendar
from optimiser.model import Continuity, LabourRules, Series, StopAction
from optimiser.ortools.daywise import day_problem, working_days
from optimiser.ortools.raw import RawRoute
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import DAY, H, problem, task, worker

THREE_DAYS = Calendar(days=3)


def shifts(start_h: int, end_h: int, days: int = 3) -> tuple[tuple[int, int], ...]:
    return tuple((d * DAY + start_h * H, d * DAY + end_h * H) for d in range(days))


def route(worker_id: str, day: int, start_h: float, end_h: float, *tasks: str) -> RawRoute:
    start = int(day * DAY + start_h * H)
    return RawRoute(worker_id, day, start, int(day * DAY + end_h * H),
                    tuple((t, StopAction.SERVE, start + 600) for t in tasks), ())


def test_working_days_are_the_days_on_which_a_shift_starts():
    p = problem([worker(shifts=((0 * DAY + 8 * H, 16 * H), (2 * DAY + 8 * H, 2 * DAY + 16 * H)))],
                [task("a", 1)], calendar=THREE_DAYS)
    assert working_days(p) == [0, 2]


def test_a_day_offers_only_its_shifts_and_windows_cut_to_the_day():
    p = problem([worker(shifts=shifts(8, 16))],
                [task("daily", 1, windows=tuple((d * DAY + 9 * H, d * DAY + 12 * H)
                                                for d in range(3))),
                 task("only-day-0", 1, windows=((9 * H, 12 * H),))], calendar=THREE_DAYS)
    part = day_problem(p, 1, list(p.tasks), [], frozenset())
    assert [t.id for t in part.tasks] == ["daily"]
    assert [(w.start_s, w.end_s) for w in part.tasks[0].windows] == [(DAY + 9 * H, DAY + 12 * H)]
    assert [(s.start_s, s.end_s) for s in part.problem.worker("w1").shifts] == [
        (DAY + 8 * H, DAY + 16 * H)]
    assert part.to_week(RawRoute("w1", 0, 0, 0, (), ())).shift_index == 1
    assert part.deferrable == {"daily"}  # day 2 could still take it


def test_the_daily_rest_after_yesterday_moves_todays_start():
    p = problem([worker(shifts=shifts(6, 22))], [task("a", 1, windows=((DAY, 2 * DAY),))],
                calendar=THREE_DAYS, rules=LabourRules(rest_s=11 * H))
    yesterday = route("w1", 0, 8, 21, "x")
    part = day_problem(p, 1, list(p.tasks), [yesterday], frozenset())
    (shift,) = part.problem.worker("w1").shifts
    assert shift.start_s == DAY + 8 * H  # 21:00 + 11 h rest, not the shift's 06:00


def test_the_weekly_limit_is_what_other_days_left():
    p = problem([worker(shifts=shifts(8, 16), max_week_s=10 * H)], [task("a", 1)],
                calendar=THREE_DAYS)
    part = day_problem(p, 1, list(p.tasks), [route("w1", 0, 8, 14)], frozenset())
    assert part.problem.worker("w1").max_week_s == 4 * H
    spent = day_problem(p, 2, list(p.tasks), [route("w1", 0, 8, 14), route("w1", 1, 8, 12)],
                        frozenset())
    assert spent.problem.worker("w1").shifts == ()  # nothing of the week left


def test_series_sessions_keep_their_spacing_and_a_held_series_its_worker():
    sessions = [task(f"s#{k}", 1, windows=tuple((d * DAY + 9 * H, d * DAY + 12 * H)
                                                for d in range(3))) for k in (1, 2)]
    series = (Series("s", ("s#1", "s#2"), min_gap_days=2, continuity=Continuity.REQUIRED),)
    p = problem([worker("ann", shifts=shifts(8, 16)), worker("bob", shifts=shifts(8, 16))],
                sessions, calendar=THREE_DAYS, series=series)
    done = [route("ann", 0, 8, 12, "s#1")]
    assert day_problem(p, 1, sessions[1:], done, frozenset({"s"})).tasks == []  # 1 day apart
    part = day_problem(p, 2, sessions[1:], done, frozenset({"s"}))
    assert [t.id for t in part.tasks] == ["s#2"]
    assert part.pinned == {"s#2": "ann"}


def test_a_soft_series_gives_up_its_worker_on_a_day_that_worker_is_away():
    sessions = [task(f"s#{k}", 1, windows=tuple((d * DAY + 9 * H, d * DAY + 12 * H)
                                                for d in range(3))) for k in (1, 2)]
    series = (Series("s", ("s#1", "s#2"), min_gap_days=2, continuity=Continuity.SOFT),)
    p = problem([worker("ann", shifts=shifts(8, 16, 1)), worker("bob", shifts=shifts(8, 16))],
                sessions, calendar=THREE_DAYS, series=series)
    part = day_problem(p, 2, sessions[1:], [route("ann", 0, 8, 12, "s#1")], frozenset({"s"}))
    assert part.pinned == {}
    required = problem(p.workers, sessions, calendar=THREE_DAYS, series=(
        Series("s", ("s#1", "s#2"), min_gap_days=2, continuity=Continuity.REQUIRED),))
    part = day_problem(required, 2, sessions[1:], [route("ann", 0, 8, 12, "s#1")],
                       frozenset({"s"}))
    assert part.pinned == {"s#2": "ann"}  # lost rather than split


def test_a_day_whose_shifts_are_all_used_up_is_skipped_not_a_crash():
    """Regression: a day model with no shift left made OR-Tools abort (no vehicles)."""
    p = problem([worker(shifts=shifts(8, 16, 2), max_week_s=80 * 60)],
                [task(f"t{i}", 1, service_s=H, windows=((0, 2 * DAY),)) for i in range(3)],
                calendar=Calendar(days=2))
    plan = solve(p, params=SolveParams(time_limit_s=5, max_solutions=50))
    assert sum(len(r.stops) for r in plan.routes) == 1  # 1 h + 20 min travel: the week
