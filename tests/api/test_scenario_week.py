"""A scenario of several days: windows by date, weekday or every day (across a DST change),
absences, therapy series, job release and due dates, weekly limits, rest and goals; bad input."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from api.convert.scenario import ScenarioError, parse_scenario, to_problem
from optimiser.model import Continuity, Problem, TimeWindow, TravelMatrix

H = 3600
DAY = 24 * H
# 2026-10-24 is a Saturday; Poland leaves summer time on Sunday 2026-10-25 at 03:00 (+02:00 →
# +01:00), so that day lasts 25 h and Monday's midnight is 24 h + 25 h after the first one.
SAT, SUN, MON = 0, DAY, 2 * DAY + H

WEEKEND: dict[str, Any] = {
    "name": "three days across the autumn clock change",
    "date": "2026-10-24",
    "days": 3,
    "timezone": "Europe/Warsaw",
    "locations": [
        {"id": "base", "lat": 51.0489, "lon": 21.0793},
        {"id": "home-1", "lat": 51.0315, "lon": 21.0905},
        {"id": "home-2", "lat": 51.0585, "lon": 21.0560},
    ],
    "providers": [{"id": "cus", "name": "CUS", "kind": "cus"},
                  {"id": "pes", "name": "PES", "kind": "pes"}],
    "clients": [{"id": "c1", "location": "home-1"}, {"id": "c2", "location": "home-2"}],
    "workers": [
        {"id": "w1", "provider": "cus", "skills": ["physio"],
         "shifts": [{"start": "08:00", "end": "16:00", "day": "daily"}],
         "start_location": "base"},
    ],
    "tasks": [
        {"id": "t1", "kind": "visit", "client": "c1", "duration_min": 45,
         "windows": [{"start": "09:00", "end": "11:00", "day": "daily"}],
         "skills": ["physio"]},
    ],
}


def week(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(WEEKEND)
    raw.update(changes)
    return raw


def convert(raw: dict[str, Any]) -> Problem:
    scenario = parse_scenario(raw)
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    return to_problem(scenario, TravelMatrix(zero, zero.copy()))


def windows_of(problem: Problem, task_id: str) -> list[tuple[int, int]]:
    return [(w.start_s, w.end_s) for w in problem.task(task_id).windows]


def with_task_windows(*windows: dict[str, str], **task: Any) -> dict[str, Any]:
    raw = week()
    raw["tasks"][0]["windows"] = list(windows)
    raw["tasks"][0].update(task)
    return raw


# ----------------------------------------------------------------------------- the horizon


def test_day_starts_are_the_local_midnights_across_the_clock_change():
    assert convert(week()).day_starts_s == (SAT, SUN, MON)


def test_daily_window_is_read_on_each_date_in_local_time_across_the_clock_change():
    # 09:00 on Sunday is 10 h after Sunday's midnight (+02:00 at midnight, +01:00 at nine).
    assert windows_of(convert(week()), "t1") == [
        (9 * H, 11 * H), (SUN + 10 * H, SUN + 12 * H), (MON + 9 * H, MON + 11 * H)]


def test_monday_nine_is_two_days_and_one_hour_plus_nine_hours_after_the_first_midnight():
    raw = with_task_windows({"start": "09:00", "end": "10:00", "day": "2026-10-26"})
    assert windows_of(convert(raw), "t1") == [(2 * DAY + H + 9 * H, 2 * DAY + H + 10 * H)]


def test_window_with_a_weekday_repeats_on_every_such_day_of_the_horizon():
    raw = with_task_windows({"start": "09:00", "end": "10:00", "day": "sun"},
                            {"start": "17:00", "end": "19:00", "day": "sat"})
    assert windows_of(convert(raw), "t1") == [(17 * H, 19 * H), (SUN + 10 * H, SUN + 11 * H)]


def test_window_with_a_weekday_outside_the_horizon_applies_nowhere():
    raw = with_task_windows({"start": "09:00", "end": "10:00", "day": "tue"},
                            {"start": "09:00", "end": "10:00", "day": "mon"})
    assert windows_of(convert(raw), "t1") == [(MON + 9 * H, MON + 10 * H)]


def test_window_without_a_day_is_on_the_first_date_only():
    raw = with_task_windows({"start": "09:00", "end": "10:00"})
    assert windows_of(convert(raw), "t1") == [(9 * H, 10 * H)]


def test_windows_on_different_days_may_share_clock_times():
    raw = with_task_windows({"start": "09:00", "end": "10:00", "day": "2026-10-24"},
                            {"start": "09:00", "end": "10:00", "day": "mon"})
    assert windows_of(convert(raw), "t1") == [(9 * H, 10 * H), (MON + 9 * H, MON + 10 * H)]


def test_worker_shifts_by_weekday_become_one_shift_per_matching_date():
    raw = week()
    raw["workers"][0]["shifts"] = [{"start": "08:00", "end": "16:00", "day": d}
                                   for d in ("mon", "tue", "wed", "thu", "fri")]
    raw["workers"][0]["shifts"].append({"start": "09:00", "end": "13:00", "day": "sat"})
    shifts = convert(raw).worker("w1").shifts
    assert shifts == (TimeWindow(9 * H, 13 * H), TimeWindow(MON + 8 * H, MON + 16 * H))


# ----------------------------------------------------------------------------- absences


def test_absence_removes_the_shifts_of_the_days_it_covers_both_ends_included():
    raw = week()
    raw["workers"][0]["absences"] = [{"start": "2026-10-25", "end": "2026-10-26",
                                      "why": "sick leave"}]
    assert convert(raw).worker("w1").shifts == (TimeWindow(8 * H, 16 * H),)


def test_one_day_absence_leaves_the_other_days():
    raw = week()
    raw["workers"][0]["absences"] = [{"start": "2026-10-25", "end": "2026-10-25"}]
    shifts = convert(raw).worker("w1").shifts
    assert shifts == (TimeWindow(8 * H, 16 * H), TimeWindow(MON + 8 * H, MON + 16 * H))


def test_absence_over_the_whole_horizon_leaves_the_worker_without_shifts():
    raw = week()
    raw["workers"][0]["absences"] = [{"start": "2026-10-20", "end": "2026-10-31"}]
    assert convert(raw).worker("w1").shifts == ()


# ----------------------------------------------------------------------------- series


def test_series_becomes_numbered_sessions_with_the_visit_fields_and_a_series_object():
    raw = week()
    raw["tasks"][0]["series"] = {"sessions": 3, "min_gap_days": 1, "continuity": "required"}
    problem = convert(raw)
    ids = ("t1#1", "t1#2", "t1#3")
    assert [t.id for t in problem.tasks] == list(ids)
    assert {t.service_s for t in problem.tasks} == {45 * 60}
    assert {t.client_id for t in problem.tasks} == {"c1"}
    assert {t.windows for t in problem.tasks} == {problem.task("t1#1").windows}
    assert len(problem.task("t1#1").windows) == 3
    (series,) = problem.series
    assert (series.id, series.task_ids, series.min_gap_days, series.continuity) == (
        "t1", ids, 1, Continuity.REQUIRED)


def test_series_defaults_to_soft_continuity_one_day_apart():
    raw = week()
    raw["tasks"][0]["series"] = {"sessions": 2}
    (series,) = convert(raw).series
    assert (series.task_ids, series.min_gap_days, series.continuity) == (
        ("t1#1", "t1#2"), 1, Continuity.SOFT)


def test_series_that_just_fits_its_spacing_is_accepted():
    raw = week()
    raw["tasks"][0]["series"] = {"sessions": 2, "min_gap_days": 2}
    assert len(convert(raw).series[0].task_ids) == 2


def test_tasks_without_series_give_no_series():
    assert convert(week()).series == ()


# ----------------------------------------------------------------------------- jobs


def job(**fields: Any) -> dict[str, Any]:
    raw = week()
    raw["workers"][0]["skills"] = ["physio", "plumbing"]
    raw["tasks"].append({"id": "j1", "kind": "job", "client": "c2", "duration_min": 120,
                         "windows": [{"start": "08:00", "end": "18:00", "day": "daily"}],
                         "skills": ["plumbing"], **fields})
    return raw


def test_release_and_due_date_keep_only_the_windows_on_those_days():
    problem = convert(job(release_date="2026-10-25", due_date="2026-10-25"))
    assert windows_of(problem, "j1") == [(SUN + 9 * H, SUN + 19 * H)]


def test_release_date_alone_keeps_that_day_and_the_rest_of_the_horizon():
    problem = convert(job(release_date="2026-10-25"))
    assert windows_of(problem, "j1") == [(SUN + 9 * H, SUN + 19 * H),
                                         (MON + 8 * H, MON + 18 * H)]


def test_due_date_alone_keeps_the_days_up_to_it():
    problem = convert(job(due_date="2026-10-24"))
    assert windows_of(problem, "j1") == [(8 * H, 18 * H)]


def test_backlog_released_before_and_due_after_the_horizon_keeps_every_day():
    problem = convert(job(release_date="2026-10-15", due_date="2026-11-05"))
    assert len(windows_of(problem, "j1")) == 3


# ----------------------------------------------------------------------------- limits and goals


def test_rest_and_weekly_limit_and_goals_convert_to_seconds_and_fractions():
    raw = week(rules={"rest_min": 600}, goals={"pes_share_target": 0.4, "pes_weight": 0.5})
    raw["workers"][0].update(max_work_min=420, max_week_min=1200)
    problem = convert(raw)
    worker = problem.worker("w1")
    assert (worker.max_work_s, worker.max_week_s) == (420 * 60, 1200 * 60)
    assert problem.rules.rest_s == 600 * 60
    assert (problem.goals.pes_share_target, problem.goals.pes_weight) == (0.4, 0.5)


def test_defaults_are_eleven_hours_of_rest_and_a_35_percent_pes_target():
    problem = convert(week())
    assert problem.rules.rest_s == 11 * H
    assert problem.goals.pes_share_target == 0.35
    assert problem.worker("w1").max_week_s is None


def test_rest_rule_and_pes_target_may_be_switched_off():
    problem = convert(week(rules={"rest_min": None}, goals={"pes_share_target": None}))
    assert problem.rules.rest_s is None
    assert problem.goals.pes_share_target is None


# ----------------------------------------------------------------------------- bad input


def error_of(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as info:
        convert(raw)
    return str(info.value)


def test_series_with_more_sessions_than_days_names_the_field_and_value():
    raw = week()
    raw["tasks"][0]["series"] = {"sessions": 4, "min_gap_days": 1}
    message = error_of(raw)
    assert "tasks[0].series.sessions" in message
    assert "4 sessions" in message and "days=3" in message


def test_series_whose_spacing_does_not_fit_the_horizon_is_an_error():
    raw = week()
    raw["tasks"][0]["series"] = {"sessions": 2, "min_gap_days": 3}
    message = error_of(raw)
    assert "tasks[0].series.sessions" in message
    assert "3 day(s) apart" in message


def test_due_date_before_release_date_names_both_dates_and_the_task():
    message = error_of(job(release_date="2026-10-26", due_date="2026-10-25"))
    assert "tasks[1].due_date" in message
    assert "2026-10-25" in message and "2026-10-26" in message and "'j1'" in message


def test_absence_ending_before_it_starts_names_the_field_and_value():
    raw = week()
    raw["workers"][0]["absences"] = [{"start": "2026-10-26", "end": "2026-10-25"}]
    message = error_of(raw)
    assert "workers[0].absences[0].end" in message
    assert "2026-10-25" in message and "2026-10-26" in message


def test_job_released_after_the_horizon_is_an_error_naming_the_task():
    message = error_of(job(release_date="2026-10-27", due_date="2026-10-30"))
    assert "tasks[1].release_date" in message and "'j1'" in message
    assert "2026-10-27" in message


def test_job_whose_windows_miss_its_days_is_an_error():
    raw = job(release_date="2026-10-24", due_date="2026-10-25")
    raw["tasks"][1]["windows"] = [{"start": "08:00", "end": "18:00", "day": "mon"}]
    assert "tasks[1].windows" in error_of(raw)


def test_unknown_weekday_text_names_the_field_and_value():
    raw = with_task_windows({"start": "09:00", "end": "10:00", "day": "monday"})
    message = error_of(raw)
    assert "tasks[0].windows[0].day" in message and "'monday'" in message


@pytest.mark.parametrize("days", [0, 8])
def test_horizon_outside_one_to_seven_days_names_the_field_and_value(days: int):
    message = error_of(week(days=days))
    assert "days" in message and f"(got {days})" in message


def test_windows_of_a_weekday_and_every_day_that_overlap_on_one_date_are_an_error():
    raw = with_task_windows({"start": "09:00", "end": "11:00", "day": "daily"},
                            {"start": "10:00", "end": "12:00", "day": "mon"})
    message = error_of(raw)
    assert "tasks[0].windows[1]" in message and "2026-10-26" in message


def test_reversed_window_on_a_weekday_names_the_window():
    raw = with_task_windows({"start": "11:00", "end": "09:00", "day": "sun"})
    assert "tasks[0].windows[0]" in error_of(raw)
