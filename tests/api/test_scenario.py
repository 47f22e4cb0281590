"""The scenario schema: parsing, conversion to the domain Problem, clock times, input errors."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pytest

from api.convert.scenario import ScenarioError, clock_seconds, parse_scenario, to_problem
from optimiser.calendar import Calendar
from optimiser.model import Priority, Problem, TaskKind, TravelMatrix

MINIMAL: dict[str, Any] = {
    "name": "minimal day",
    "date": "2026-11-24",
    "timezone": "Europe/Warsaw",
    "locations": [
        {"id": "depot", "lat": 50.2300, "lon": 20.8600},
        {"id": "home-1", "lat": 50.2350, "lon": 20.8590},
        {"id": "home-2", "lat": 50.2280, "lon": 20.8700},
    ],
    "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
    "clients": [{"id": "c1", "location": "home-1"}],
    "workers": [
        {"id": "w1", "provider": "cus", "skills": ["physio"],
         "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "depot"},
    ],
    "tasks": [
        {"id": "t1", "kind": "visit", "client": "c1", "duration_min": 60,
         "windows": [{"start": "09:00", "end": "11:00"}], "skills": ["physio"],
         "priority": "high"},
        {"id": "t2", "kind": "job", "location": "home-2", "duration_min": 30,
         "windows": [{"start": "2026-11-24T12:30:00+01:00", "end": "24:00"}]},
    ],
}


def zero_matrix(n: int) -> TravelMatrix:
    zero = np.zeros((n, n), dtype=np.int64)
    return TravelMatrix(zero, zero.copy())


def convert(raw: dict[str, Any]) -> Problem:
    scenario = parse_scenario(raw)
    return to_problem(scenario, zero_matrix(len(scenario.locations)))


def variant(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    raw = copy.deepcopy(MINIMAL)
    change(raw)
    return raw


# ----------------------------------------------------------------------------- valid input


def test_minimal_scenario_parses_and_converts_to_a_problem() -> None:
    problem = convert(MINIMAL)

    assert problem.name == "minimal day"
    assert [loc.id for loc in problem.locations] == ["depot", "home-1", "home-2"]
    assert [w.id for w in problem.workers] == ["w1"]
    t1, t2 = problem.tasks
    assert t1.kind is TaskKind.VISIT and t2.kind is TaskKind.JOB
    assert t1.location_id == "home-1"  # defaults to the client's home
    assert t1.client_id == "c1"
    assert t1.service_s == 3600 and t2.service_s == 1800
    assert t1.required_skills == frozenset({"physio"})
    assert t1.priority is Priority.HIGH and t2.priority is Priority.NORMAL
    worker = problem.worker("w1")
    assert worker.end_location_id == "depot"  # defaults to the start
    assert worker.skills == frozenset({"physio"})


def test_hh_mm_nine_o_clock_is_32400_seconds_after_midnight() -> None:
    t1 = convert(MINIMAL).task("t1")
    assert t1.windows[0].start_s == 32400
    assert t1.windows[0].end_s == 11 * 3600


def test_worker_shift_is_converted_to_seconds() -> None:
    shift = convert(MINIMAL).worker("w1").shifts[0]
    assert (shift.start_s, shift.end_s) == (8 * 3600, 16 * 3600)


def test_iso_time_with_offset_is_converted_to_seconds_after_local_midnight() -> None:
    t2 = convert(MINIMAL).task("t2")
    assert t2.windows[0].start_s == 12 * 3600 + 30 * 60


def test_iso_time_in_another_offset_means_the_same_instant() -> None:
    clock = Calendar(date(2026, 11, 24), timezone="Europe/Warsaw")  # CET, +01:00
    assert clock_seconds(clock, "2026-11-24T08:00:00Z", "f") == 9 * 3600
    assert clock_seconds(clock, "2026-11-24T11:00:00+02:00", "f") == 10 * 3600


def test_end_of_day_24_00_is_86400_seconds_on_an_ordinary_day() -> None:
    t2 = convert(MINIMAL).task("t2")
    assert t2.windows[0].end_s == 86400


# ----------------------------------------------------------------------------- DST

DST_END = date(2026, 10, 25)  # Europe/Warsaw: 03:00 CEST (+02:00) -> 02:00 CET (+01:00)
DST_START = date(2026, 3, 29)  # Europe/Warsaw: 02:00 CET (+01:00) -> 03:00 CEST (+02:00)


def test_four_o_clock_on_the_day_clocks_go_back_is_five_hours_after_midnight() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock_seconds(clock, "04:00", "f") == 5 * 3600


def test_four_o_clock_on_the_day_clocks_go_forward_is_three_hours_after_midnight() -> None:
    clock = Calendar(DST_START, timezone="Europe/Warsaw")
    assert clock_seconds(clock, "04:00", "f") == 3 * 3600


def test_hh_mm_and_iso_with_offset_agree_on_the_day_clocks_go_back() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock_seconds(clock, "09:00", "f") == clock_seconds(
        clock, "2026-10-25T09:00:00+01:00", "f")


def test_24_00_on_the_day_clocks_go_back_is_25_hours_after_midnight() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock_seconds(clock, "24:00", "f") == 25 * 3600


def test_iso_time_with_offset_counts_real_seconds_across_the_dst_change() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock_seconds(clock, "2026-10-25T02:30:00+02:00", "f") == 2 * 3600 + 30 * 60
    assert clock_seconds(clock, "2026-10-25T02:30:00+01:00", "f") == 3 * 3600 + 30 * 60
    assert clock_seconds(clock, "2026-10-25T04:00:00+01:00", "f") == 5 * 3600


def test_iso_output_shows_summer_offset_before_and_winter_offset_after_the_change() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock.iso(0) == "2026-10-25T00:00:00+02:00"
    assert clock.iso(2 * 3600 + 30 * 60) == "2026-10-25T02:30:00+02:00"
    assert clock.iso(3 * 3600 + 30 * 60) == "2026-10-25T02:30:00+01:00"
    assert clock.iso(5 * 3600) == "2026-10-25T04:00:00+01:00"


@pytest.mark.parametrize("text", ["2026-10-25T01:15:00+02:00", "2026-10-25T02:45:00+02:00",
                                  "2026-10-25T02:45:00+01:00", "2026-10-25T17:00:00+01:00"])
def test_iso_round_trips_through_seconds_on_the_day_clocks_go_back(text: str) -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock.iso(clock_seconds(clock, text, "f")) == text


def test_local_hh_mm_round_trips_through_iso_on_the_day_clocks_go_back() -> None:
    clock = Calendar(DST_END, timezone="Europe/Warsaw")
    assert clock.iso(clock_seconds(clock, "04:00", "f")) == "2026-10-25T04:00:00+01:00"
    assert clock.hhmm(clock_seconds(clock, "17:30", "f")) == "17:30"


def test_iso_output_parses_as_an_aware_datetime_at_the_same_instant() -> None:
    clock = Calendar(date(2026, 11, 24), timezone="Europe/Warsaw")
    moment = datetime.fromisoformat(clock.iso(32400))
    assert moment.utcoffset() is not None
    assert moment.isoformat() == "2026-11-24T09:00:00+01:00"


# ----------------------------------------------------------------------------- bad input


def rejected(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as info:
        convert(raw)
    return str(info.value)


def test_scenario_with_reversed_window_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0].update(
        windows=[{"start": "11:00", "end": "09:00"}])))
    assert "tasks[0].windows[0]" in message
    assert "11:00" in message and "09:00" in message


def test_worker_with_unknown_provider_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["workers"][0].update(provider="mops-nowhere")))
    assert "workers[0].provider" in message
    assert "mops-nowhere" in message


def test_task_at_unknown_location_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][1].update(location="atlantis")))
    assert "tasks[1].location" in message
    assert "atlantis" in message


def test_client_at_unknown_location_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["clients"][0].update(location="atlantis")))
    assert "clients[0].location" in message
    assert "atlantis" in message


def test_duplicate_task_id_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][1].update(id="t1")))
    assert "tasks[1].id" in message
    assert "'t1'" in message


def test_reference_error_message_stays_short_and_does_not_dump_the_whole_scenario() -> None:
    message = rejected(variant(lambda r: r["workers"][0].update(provider="mops-nowhere")))
    assert "workers[0].provider" in message
    assert "home-2" not in message  # an unrelated location id: the input was echoed back
    assert len(message) < 300


def test_negative_duration_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0].update(duration_min=-5)))
    assert "tasks[0].duration_min" in message
    assert "-5" in message


def test_time_written_in_words_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0]["windows"][0].update(start="9 o'clock")))
    assert "tasks[0].windows[0].start" in message
    assert "9 o'clock" in message


def test_naive_iso_datetime_without_offset_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["workers"][0]["shifts"][0].update(
        start="2026-11-24T08:00:00")))
    assert "workers[0].shifts[0].start" in message
    assert "2026-11-24T08:00:00" in message
    assert "offset" in message


def test_unknown_timezone_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r.update(timezone="Mars/Olympus_Mons")))
    assert "timezone" in message
    assert "Mars/Olympus_Mons" in message


def test_extra_unknown_key_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0].update(colour="teal")))
    assert "tasks[0].colour" in message
    assert "teal" in message


def test_extra_unknown_top_level_key_is_rejected_naming_it() -> None:
    message = rejected(variant(lambda r: r.update(buses=3)))  # "vehicles" is a real key now
    assert "buses" in message


def test_clock_time_past_24_00_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0]["windows"][0].update(start="25:00")))
    assert "tasks[0].windows[0].start" in message
    assert "25:00" in message


def test_overlapping_windows_on_a_task_are_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0].update(windows=[
        {"start": "09:00", "end": "11:00"}, {"start": "10:30", "end": "12:00"}])))
    assert "overlap" in message
    assert "tasks[0].windows" in message
    assert "10:30" in message


def test_window_shorter_than_the_duration_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["tasks"][0].update(
        windows=[{"start": "09:00", "end": "09:30"}])))
    assert "shorter" in message
    assert "tasks[0].windows[0]" in message
    assert "09:30" in message


def test_overlapping_worker_shifts_are_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["workers"][0].update(shifts=[
        {"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "16:00"}])))
    assert "overlap" in message
    assert "workers[0].shifts" in message
    assert "11:00" in message


def test_task_with_neither_location_nor_client_is_rejected_naming_the_task() -> None:
    message = rejected(variant(lambda r: r["tasks"][1].pop("location")))
    assert "tasks[1]" in message
    assert "t2" in message
