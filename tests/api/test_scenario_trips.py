"""Senior-bus trips in the scenario: conversion to domain trips and input errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from api.convert.scenario import ScenarioError, parse_scenario, read_scenario, to_problem
from optimiser.model import Passengers, Priority, Problem, TaskKind, TimeWindow, TravelMatrix

H = 3600
MIN = 60

DAY: dict[str, Any] = {
    "name": "bus day",
    "date": "2026-11-24",
    "timezone": "Europe/Warsaw",
    "locations": [
        {"id": "depot", "lat": 51.1300, "lon": 23.4700},
        {"id": "home-1", "lat": 51.1350, "lon": 23.4790},
        {"id": "home-2", "lat": 51.1280, "lon": 23.4900},
        {"id": "clinic", "lat": 51.1400, "lon": 23.4600},
        {"id": "hospital-lublin", "lat": 51.2465, "lon": 22.5684},
    ],
    "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
    "clients": [{"id": "c1", "location": "home-1"}, {"id": "c2", "location": "home-2"}],
    "vehicles": [{"id": "bus", "name": "Senior bus", "seats": 8, "wheelchair_places": 2}],
    "workers": [
        {"id": "driver", "provider": "cus", "skills": ["driving"], "vehicle": "bus",
         "shifts": [{"start": "07:00", "end": "15:00"}], "start_location": "depot"},
        {"id": "physio", "provider": "cus", "skills": ["physio"],
         "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "depot"},
    ],
    "tasks": [
        {"id": "v1", "kind": "visit", "client": "c2", "duration_min": 45,
         "windows": [{"start": "09:00", "end": "12:00"}], "skills": ["physio"]},
    ],
    "trips": [
        # arrive-by, two seated passengers and an escort, defaults for board/alight
        {"id": "to-clinic", "client": "c1", "dropoff": "clinic", "arrive_by": "09:30",
         "passengers": {"seated": 2, "escort": 1}, "priority": "high"},
        # its return after a 60 min appointment, a wheelchair user and an escort
        {"id": "from-clinic", "client": "c1", "pickup": "clinic", "dropoff": "home-1",
         "return_of": "to-clinic", "appointment_min": 60,
         "passengers": {"seated": 0, "wheelchair": 1, "escort": 1}},
        # a pickup window, explicit handling times and maximum ride
        {"id": "to-lublin", "client": "c2", "dropoff": "hospital-lublin",
         "pickup_window": {"start": "07:30", "end": "08:00"}, "board_min": 4, "alight_min": 2,
         "max_ride_min": 100, "mandatory": True},
        # neither: any time that day
        {"id": "shopping", "pickup": "home-2", "dropoff": "depot"},
    ],
}


def zero_matrix(n: int) -> TravelMatrix:
    zero = np.zeros((n, n), dtype=np.int64)
    return TravelMatrix(zero, zero.copy())


def convert(raw: dict[str, Any], matrix: TravelMatrix | None = None) -> Problem:
    scenario = parse_scenario(raw)
    return to_problem(scenario, matrix or zero_matrix(len(scenario.locations)))


def variant(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    raw = copy.deepcopy(DAY)
    change(raw)
    return raw


def rejected(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as info:
        convert(raw)
    return str(info.value)


# ----------------------------------------------------------------------------- conversion


def test_trips_become_trip_tasks_listed_with_the_others_in_id_order() -> None:
    problem = convert(DAY)  # id order: the same day from a file or from records is one problem
    assert [t.id for t in problem.tasks] == ["from-clinic", "shopping", "to-clinic",
                                             "to-lublin", "v1"]
    trips = [t for t in problem.tasks if t.kind is TaskKind.TRIP]
    assert len(trips) == 4
    assert all(t.ride is not None for t in trips)
    assert problem.task("v1").ride is None


def test_trip_pickup_defaults_to_the_clients_home_and_drop_off_is_the_given_place() -> None:
    trip = convert(DAY).task("to-clinic")
    assert trip.ride is not None
    assert trip.location_id == "home-1"
    assert trip.ride.dropoff_location_id == "clinic"
    assert trip.client_id == "c1"


def test_arrive_by_gives_a_drop_off_window_of_arrive_early_min_before_it() -> None:
    trip = convert(DAY).task("to-clinic")
    assert trip.ride is not None
    assert trip.ride.dropoff_windows == (TimeWindow(9 * H, 9 * H + 30 * MIN),)


def test_arrive_by_without_a_pickup_window_lets_the_pickup_happen_until_arrive_by() -> None:
    trip = convert(DAY).task("to-clinic")
    assert trip.windows == (TimeWindow(0, 9 * H + 30 * MIN),)


def test_arrive_early_min_from_trip_rules_widens_the_drop_off_window() -> None:
    raw = variant(lambda r: r.update(trip_rules={"arrive_early_min": 45}))
    trip = convert(raw).task("to-clinic")
    assert trip.ride is not None
    assert trip.ride.dropoff_windows == (TimeWindow(8 * H + 45 * MIN, 9 * H + 30 * MIN),)


def test_arrive_by_and_a_pickup_window_cut_the_pickup_window_at_arrive_by() -> None:
    raw = variant(lambda r: r["trips"][0].update(
        pickup_window={"start": "08:30", "end": "11:00"}))
    trip = convert(raw).task("to-clinic")
    assert trip.windows == (TimeWindow(8 * H + 30 * MIN, 9 * H + 30 * MIN),)
    assert trip.ride is not None
    assert trip.ride.dropoff_windows == (TimeWindow(9 * H, 9 * H + 30 * MIN),)


def test_arrive_by_as_iso_time_with_offset_is_the_same_instant() -> None:
    raw = variant(lambda r: r["trips"][0].update(arrive_by="2026-11-24T08:30:00Z"))
    trip = convert(raw).task("to-clinic")  # 08:30 UTC = 09:30 CET
    assert trip.ride is not None
    assert trip.ride.dropoff_windows[0].end_s == 9 * H + 30 * MIN


def test_pickup_window_gives_the_pickup_window_and_no_drop_off_window() -> None:
    trip = convert(DAY).task("to-lublin")
    assert trip.windows == (TimeWindow(7 * H + 30 * MIN, 8 * H),)
    assert trip.ride is not None
    assert trip.ride.dropoff_windows == ()


def test_trip_with_neither_window_may_happen_any_time_that_day() -> None:
    trip = convert(DAY).task("shopping")
    assert trip.windows == (TimeWindow(0, 24 * H),)
    assert trip.ride is not None
    assert trip.ride.dropoff_windows == ()


def test_board_and_alight_default_to_one_minute_per_seated_or_escort_passenger() -> None:
    trip = convert(DAY).task("to-clinic")  # 2 seated + 1 escort
    assert trip.ride is not None
    assert trip.service_s == 3 * 60
    assert trip.ride.alight_s == 3 * 60


def test_board_and_alight_default_to_five_minutes_per_wheelchair() -> None:
    trip = convert(DAY).task("from-clinic")  # 1 wheelchair + 1 escort
    assert trip.ride is not None
    assert trip.service_s == 300 + 60
    assert trip.ride.alight_s == 300 + 60


def test_board_defaults_follow_the_trip_rules_seconds() -> None:
    raw = variant(lambda r: r.update(trip_rules={"board_seated_s": 90,
                                                 "board_wheelchair_s": 420}))
    problem = convert(raw)
    assert problem.task("to-clinic").service_s == 3 * 90
    assert problem.task("from-clinic").service_s == 420 + 90


def test_explicit_board_and_alight_minutes_replace_the_defaults() -> None:
    trip = convert(DAY).task("to-lublin")
    assert trip.ride is not None
    assert trip.service_s == 4 * MIN
    assert trip.ride.alight_s == 2 * MIN


def test_passengers_default_to_one_seated() -> None:
    trip = convert(DAY).task("shopping")
    assert trip.ride is not None
    assert trip.ride.passengers == Passengers(seated=1, wheelchair=0, escort=0)
    assert trip.service_s == 60


def test_passengers_are_converted_with_seats_counting_escorts() -> None:
    trip = convert(DAY).task("from-clinic")
    assert trip.ride is not None
    assert trip.ride.passengers == Passengers(seated=0, wheelchair=1, escort=1)
    assert trip.ride.passengers.seats == 1


def test_return_trip_names_its_outbound_trip_and_the_appointment_in_seconds() -> None:
    back = convert(DAY).task("from-clinic")
    assert back.ride is not None
    assert back.ride.return_of == "to-clinic"
    assert back.ride.appointment_s == 60 * MIN
    assert back.location_id == "clinic" and back.ride.dropoff_location_id == "home-1"


def test_max_ride_min_becomes_seconds_and_wins_over_the_default() -> None:
    problem = convert(DAY)
    trip = problem.task("to-lublin")
    assert trip.ride is not None
    assert trip.ride.max_ride_s == 100 * MIN
    assert problem.max_ride_s(trip) == 100 * MIN


def test_default_max_ride_is_the_larger_of_factor_times_direct_and_direct_plus_extra() -> None:
    n = len(DAY["locations"])
    duration = np.full((n, n), 10 * MIN, dtype=np.int64)
    np.fill_diagonal(duration, 0)
    duration[1, 3] = 40 * MIN  # home-1 -> clinic
    problem = convert(DAY, TravelMatrix(duration, duration.copy()))
    short = problem.task("shopping")  # home-2 -> depot, 10 min: 10 + 15 > 1.5 × 10
    long = problem.task("to-clinic")  # home-1 -> clinic, 40 min: 1.5 × 40 > 40 + 15
    assert short.ride is not None and short.ride.max_ride_s is None
    assert problem.max_ride_s(short) == 25 * MIN
    assert problem.max_ride_s(long) == 60 * MIN


def test_trip_rules_change_the_default_max_ride() -> None:
    n = len(DAY["locations"])
    duration = np.full((n, n), 40 * MIN, dtype=np.int64)
    np.fill_diagonal(duration, 0)
    raw = variant(lambda r: r.update(trip_rules={"max_ride_factor": 2.0,
                                                 "max_ride_extra_min": 5}))
    problem = convert(raw, TravelMatrix(duration, duration.copy()))
    assert problem.trip_rules.max_ride_factor == 2.0
    assert problem.trip_rules.max_ride_extra_s == 5 * MIN
    assert problem.max_ride_s(problem.task("shopping")) == 80 * MIN


def test_trip_skills_default_to_driving_priority_and_mandatory_are_kept() -> None:
    problem = convert(DAY)
    assert problem.task("shopping").required_skills == frozenset({"driving"})
    assert problem.task("to-clinic").priority is Priority.HIGH
    assert problem.task("to-lublin").mandatory is True


def test_vehicle_and_worker_vehicle_are_converted() -> None:
    problem = convert(DAY)
    (bus,) = problem.vehicles
    assert (bus.id, bus.name, bus.seats, bus.wheelchair_places) == ("bus", "Senior bus", 8, 2)
    assert problem.worker("driver").vehicle_id == "bus"
    assert problem.vehicle_of(problem.worker("driver")) == bus
    assert problem.worker("physio").vehicle_id is None


def test_vehicle_name_defaults_to_its_id() -> None:
    raw = variant(lambda r: r["vehicles"][0].pop("name"))
    assert convert(raw).vehicles[0].name == "bus"


def test_a_scenario_without_trips_or_vehicles_still_converts() -> None:
    raw = variant(lambda r: (r.pop("trips"), r.pop("vehicles"),
                             r["workers"][0].pop("vehicle")))
    problem = convert(raw)
    assert [t.id for t in problem.tasks] == ["v1"]
    assert problem.vehicles == ()


def test_regional_model_is_on_by_default_with_outside_m_3000() -> None:
    regional = parse_scenario(DAY).network.regional
    assert regional.enabled is True
    assert regional.outside_m == 3000
    assert regional.speed_kph == 70 and regional.detour_factor == 1.3


# ----------------------------------------------------------------------------- bad input


def test_pickup_equal_to_drop_off_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][3].update(dropoff="home-2")))
    assert "trips[3].dropoff" in message
    assert "'home-2'" in message


def test_drop_off_at_the_clients_home_when_pickup_defaults_there_is_rejected() -> None:
    message = rejected(variant(lambda r: r["trips"][0].update(dropoff="home-1")))
    assert "trips[0].dropoff" in message
    assert "'home-1'" in message


@pytest.mark.parametrize("arrive_by", ["07:30", "07:00"])
def test_arrive_by_not_after_the_pickup_window_opens_is_rejected(arrive_by: str) -> None:
    message = rejected(variant(lambda r: r["trips"][2].update(arrive_by=arrive_by)))
    assert "trips[2].arrive_by" in message
    assert f"'{arrive_by}'" in message
    assert "to-lublin" in message


def test_unknown_vehicle_on_a_worker_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["workers"][0].update(vehicle="minibus-9")))
    assert "workers[0].vehicle" in message
    assert "'minibus-9'" in message


def test_unknown_drop_off_location_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][1].update(dropoff="atlantis")))
    assert "trips[1].dropoff" in message
    assert "'atlantis'" in message


def test_unknown_pickup_location_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][3].update(pickup="atlantis")))
    assert "trips[3].pickup" in message
    assert "'atlantis'" in message


def test_return_of_an_unknown_trip_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][1].update(return_of="to-nowhere")))
    assert "trips[1].return_of" in message
    assert "'to-nowhere'" in message


def test_return_of_itself_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][1].update(return_of="from-clinic")))
    assert "trips[1].return_of" in message
    assert "'from-clinic'" in message


def test_return_of_a_visit_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][1].update(return_of="v1")))
    assert "trips[1].return_of" in message
    assert "'v1'" in message


@pytest.mark.parametrize("people", [{"seated": 0}, {"seated": 0, "escort": 2},
                                    {"seated": 0, "wheelchair": 0}])
def test_trip_with_no_passenger_is_rejected_naming_the_field(people: dict[str, int]) -> None:
    message = rejected(variant(lambda r: r["trips"][3].update(passengers=people)))
    assert "trips[3].passengers" in message
    assert "passenger" in message


def test_negative_passengers_are_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][3].update(passengers={"wheelchair": -1})))
    assert "trips[3].passengers.wheelchair" in message
    assert "-1" in message


def test_duplicate_id_between_a_task_and_a_trip_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][2].update(id="v1")))
    assert "trips[2].id" in message
    assert "'v1'" in message


def test_duplicate_id_between_two_trips_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][3].update(id="to-clinic")))
    assert "trips[3].id" in message
    assert "'to-clinic'" in message


def test_duplicate_vehicle_id_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["vehicles"].append({"id": "bus", "seats": 3})))
    assert "vehicles[1].id" in message
    assert "'bus'" in message


def test_trip_with_neither_pickup_nor_client_is_rejected_naming_the_trip() -> None:
    message = rejected(variant(lambda r: r["trips"][3].pop("pickup")))
    assert "trips[3]" in message
    assert "shopping" in message


def test_reversed_pickup_window_is_rejected_naming_the_trip() -> None:
    message = rejected(variant(lambda r: r["trips"][2].update(
        pickup_window={"start": "08:00", "end": "07:30"})))
    assert "trips[2]" in message and "to-lublin" in message
    assert "'08:00'" in message and "'07:30'" in message


def test_pickup_window_shorter_than_boarding_is_rejected_naming_the_trip() -> None:
    message = rejected(variant(lambda r: r["trips"][2].update(board_min=45)))
    assert "trips[2]" in message and "to-lublin" in message
    assert "45 min" in message


def test_arrive_by_leaving_less_than_alighting_is_rejected_naming_the_field() -> None:
    raw = variant(lambda r: (r["trips"][0].update(alight_min=40)))
    message = rejected(raw)  # the drop-off window is 30 min long
    assert "trips[0].arrive_by" in message
    assert "40 min" in message


def test_unknown_key_on_a_trip_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][0].update(wheelchairs=1)))
    assert "trips[0].wheelchairs" in message


def test_regional_outside_m_must_be_positive() -> None:
    message = rejected(variant(lambda r: r.update(network={"regional": {"outside_m": 0}})))
    assert "network.regional.outside_m" in message


def test_max_ride_min_of_zero_is_rejected_naming_the_field() -> None:
    message = rejected(variant(lambda r: r["trips"][2].update(max_ride_min=0)))
    assert "trips[2].max_ride_min" in message


# ----------------------------------------------------------------------------- docs example

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.mark.parametrize("name", ["senior_bus.json", "two_workers.json"])
def test_docs_example_scenarios_parse_and_convert(name: str) -> None:
    scenario = read_scenario(EXAMPLES / name)
    problem = to_problem(scenario, zero_matrix(len(scenario.locations)))
    assert problem.tasks


def test_docs_senior_bus_plan_has_paired_trip_stops_and_passed_the_check() -> None:
    plan = json.loads((EXAMPLES / "senior_bus.plan.json").read_text(encoding="utf-8"))
    assert plan["check"]["passed"] is True
    stops = [(s["task"], s["action"]) for r in plan["routes"] for s in r["stops"]]
    trips = {s["id"] for s in json.loads(
        (EXAMPLES / "senior_bus.json").read_text(encoding="utf-8"))["trips"]}
    for trip_id in trips - {u["task"] for u in plan["unassigned"]}:
        assert stops.index((trip_id, "pickup")) < stops.index((trip_id, "dropoff"))


def test_return_trips_that_point_at_each_other_are_rejected_as_a_cycle():
    raw = variant(lambda r: r["trips"][0].update(return_of="from-clinic"))
    message = rejected(raw)
    assert "trips[1].return_of" in message or "trips[0].return_of" in message
    assert "cycle" in message
