"""Wrong input refused before solving: each rule on a small Chełm day, naming the field
path and the value (`api.convert.scenario.refuse_unservable`, `refuse_far_places`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from api.convert.scenario import (
    InputRefused,
    ScenarioError,
    parse_scenario,
    refuse_far_places,
    refuse_unservable,
    to_problem,
)
from optimiser.model import TravelMatrix

NEAR_M = 40.0  # a place beside a road


def day() -> dict[str, Any]:
    return {
        "date": "2026-11-25",
        "locations": [
            {"id": "cus", "lat": 51.1325, "lon": 23.476},
            {"id": "h1", "lat": 51.13, "lon": 23.465},
            {"id": "h2", "lat": 51.138, "lon": 23.455},
            {"id": "clinic", "lat": 51.121, "lon": 23.482},
            {"id": "kielce", "lat": 50.857, "lon": 20.66},
        ],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "clients": [{"id": "c1", "location": "h1"}, {"id": "c2", "location": "h2"}],
        "vehicles": [{"id": "bus", "seats": 6, "wheelchair_places": 1},
                     {"id": "van", "seats": 2, "wheelchair_places": 2}],
        "workers": [
            {"id": "ewa", "provider": "cus", "skills": ["physio"],
             "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "cus"},
            {"id": "andrzej", "provider": "cus", "skills": ["driving"], "vehicle": "bus",
             "shifts": [{"start": "06:00", "end": "19:00"}], "start_location": "cus"},
        ],
        "tasks": [{"id": "v1", "kind": "visit", "client": "c1", "duration_min": 45,
                   "windows": [{"start": "08:30", "end": "11:00"}], "skills": ["physio"]}],
        "trips": [
            {"id": "t-clinic", "client": "c2", "dropoff": "clinic",
             "pickup_window": {"start": "13:00", "end": "14:00"}},
            {"id": "t-kielce", "client": "c1", "dropoff": "kielce", "arrive_by": "11:30"},
            {"id": "t-kielce-back", "client": "c1", "pickup": "kielce", "dropoff": "h1",
             "return_of": "t-kielce", "appointment_min": 90},
        ],
    }


def variant(change: Callable[[dict[str, Any]], object]) -> Any:
    raw = copy.deepcopy(day())
    change(raw)
    return parse_scenario(raw)


def refused(scenario: Any, road_m: dict[str, float] | None = None) -> InputRefused:
    with pytest.raises(InputRefused) as caught:
        if road_m is None:
            refuse_unservable(scenario)
        else:
            refuse_far_places(scenario, distances(scenario, road_m))
    return caught.value


def distances(scenario: Any, road_m: dict[str, float]) -> list[float]:
    return [road_m.get(x.id, NEAR_M) for x in scenario.locations]


def test_the_day_as_given_is_accepted() -> None:
    scenario = variant(lambda raw: None)
    refuse_unservable(scenario)
    refuse_far_places(scenario, distances(scenario, {"kielce": 196_000.0}))


def test_a_task_needing_a_skill_no_worker_has_names_the_field_and_the_skill() -> None:
    error = refused(variant(lambda raw: raw["tasks"][0].update(skills=["hydraulika"])))
    assert str(error).startswith("tasks[0].skills: 'hydraulika' is a skill no worker has")
    assert [(r.field, r.value) for r in error.refusals] == [("tasks[0].skills", "hydraulika")]


def test_a_trip_needing_a_skill_no_worker_has_is_refused() -> None:
    error = refused(variant(lambda raw: raw["trips"][1].update(skills=["driving", "lift"])))
    assert "trips[1].skills: 'lift' is a skill no worker has" in str(error)


def test_more_seats_than_any_vehicle_carries_names_the_passengers() -> None:
    error = refused(variant(lambda raw: raw["trips"][0].update(
        passengers={"seated": 5, "escort": 2})))
    assert str(error).startswith("trips[0].passengers: 7 seats (seated 5 + escort 2) is more "
                                 "than any vehicle carries (at most 6: 'bus'")
    assert error.refusals[0].value == {"seated": 5, "escort": 2, "wheelchair": 0}


def test_more_wheelchairs_than_any_vehicle_carries_is_refused() -> None:
    error = refused(variant(lambda raw: raw["trips"][0].update(
        passengers={"seated": 0, "wheelchair": 3})))
    assert "trips[0].passengers: 3 wheelchair(s) is more than any vehicle carries (at most " \
           "2: 'van'" in str(error)


def test_seats_and_wheelchairs_that_no_one_vehicle_carries_together_are_refused() -> None:
    # the bus has the seats, the van the wheelchair places: neither has both
    error = refused(variant(lambda raw: raw["trips"][0].update(
        passengers={"seated": 4, "wheelchair": 2})))
    assert "no one vehicle carries 4 seats and 2 wheelchair(s) together" in str(error)


def test_a_trip_in_a_scenario_without_vehicles_is_refused() -> None:
    def no_vehicles(raw: dict[str, Any]) -> None:
        raw["vehicles"] = []
        del raw["workers"][1]["vehicle"]

    error = refused(variant(no_vehicles))
    assert "trips[0].passengers: trip 't-clinic' needs a vehicle" in str(error)
    assert len(error.refusals) == 3


def test_every_refusal_is_listed_at_once() -> None:
    def two_wrongs(raw: dict[str, Any]) -> None:
        raw["tasks"][0]["skills"] = ["hydraulika"]
        raw["trips"][0]["passengers"] = {"seated": 9}

    error = refused(variant(two_wrongs))
    assert str(error).splitlines()[0] == "scenario: 2 inputs refused before solving"
    assert [r.field for r in error.refusals] == ["tasks[0].skills", "trips[0].passengers"]


def test_a_what_if_variant_without_the_bus_is_still_a_problem() -> None:
    # to_problem alone (as a sweep's variants use it) does not refuse
    def no_driver(raw: dict[str, Any]) -> None:
        raw["workers"].pop(1)

    scenario = variant(no_driver)
    zero = np.zeros((5, 5), dtype=np.int64)
    assert to_problem(scenario, TravelMatrix(zero, zero)).tasks
    assert "'driving' is a skill no worker has" in str(refused(scenario))


@pytest.mark.parametrize(("change", "field"), [
    (lambda raw: raw["tasks"][0]["windows"][0].update(start="11:00", end="09:00"),
     "tasks[0].windows[0] of 'v1': end '09:00' is not after start '11:00'"),
    (lambda raw: raw["tasks"][0]["windows"][0].update(start="10:30", end="11:00"),
     "tasks[0].windows[0] of 'v1': 10:30-11:00 is shorter than the task's duration_min=45"),
    (lambda raw: raw["trips"][0]["pickup_window"].update(start="14:00", end="13:00"),
     "trips[0] of 't-clinic': pickup_window end '13:00' is not after start '14:00'"),
    (lambda raw: raw["trips"][1].update(arrive_by="00:00"),
     "trips[1].arrive_by: '00:00' is not after the pickup window opens"),
])
def test_windows_that_end_before_they_start_or_cannot_hold_the_duration_are_refused(
        change: Callable[[dict[str, Any]], object], field: str) -> None:
    scenario = variant(change)
    zero = np.zeros((5, 5), dtype=np.int64)
    with pytest.raises(ScenarioError) as caught:
        to_problem(scenario, TravelMatrix(zero, zero))
    assert field in str(caught.value)


def test_a_home_in_the_baltic_names_the_client_field_location_and_distance() -> None:
    error = refused(variant(lambda raw: None), {"h2": 519_495.0})
    assert str(error) == ("clients[1].location: 'h2' (locations[2], lat 51.138, lon 23.455) "
                          "is 519.5 km from the nearest road of the network; a client's home "
                          "must be within 3000 m of a road (network.regional.outside_m)")
    assert (error.refusals[0].field, error.refusals[0].value) == ("clients[1].location", "h2")


def test_a_base_and_a_visit_place_farther_than_the_snapping_distance_are_refused() -> None:
    def visit_elsewhere(raw: dict[str, Any]) -> None:
        raw["tasks"][0]["location"] = "clinic"

    error = refused(variant(visit_elsewhere), {"cus": 3100.0, "clinic": 12_000.0})
    fields = [r.field for r in error.refusals]
    assert fields == ["workers[0].start_location", "tasks[0].location"]
    assert "a base must be within 3000 m of a road" in str(error)
    assert "the place of a visit must be within 3000 m" in str(error)


def test_the_snapping_distance_is_the_scenarios_outside_m() -> None:
    scenario = variant(lambda raw: raw.update(network={"regional": {"outside_m": 500}}))
    error = refused(scenario, {"h1": 600.0})
    assert "clients[0].location: 'h1'" in str(error) and "within 500 m" in str(error)


def test_a_regional_destination_within_the_radius_is_accepted_beyond_it_refused() -> None:
    scenario = variant(lambda raw: None)
    refuse_far_places(scenario, distances(scenario, {"kielce": 249_000.0}))
    error = refused(scenario, {"kielce": 251_000.0})
    assert [r.field for r in error.refusals] == ["trips[1].dropoff"]  # once per place
    assert ("a trip's drop-off beyond the network must be within 250.0 km of its edge "
            "(network.regional.radius_m)") in str(error)


def test_the_regional_radius_is_a_setting() -> None:
    scenario = variant(lambda raw: raw.update(network={"regional": {"radius_m": 100_000}}))
    error = refused(scenario, {"kielce": 196_000.0})
    assert "within 100.0 km of its edge" in str(error)


def test_with_the_regional_model_off_a_trip_destination_must_be_near_a_road() -> None:
    scenario = variant(lambda raw: raw.update(network={"regional": {"enabled": False}}))
    error = refused(scenario, {"kielce": 196_000.0})
    assert "trips[1].dropoff: 'kielce'" in str(error)
    assert "(network.regional.outside_m; the regional model is off)" in str(error)


def test_a_place_that_is_both_a_home_and_a_trip_end_follows_the_homes_rule() -> None:
    # h1 is c1's home and t-kielce-back's drop-off: 20 km away is too far for a home
    error = refused(variant(lambda raw: None), {"h1": 20_000.0})
    assert [r.field for r in error.refusals] == ["clients[0].location"]
