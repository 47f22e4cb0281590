"""How stored records name their places in the scenario a planning job builds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.convert.records_scenario import scenario_from_records
from api.convert.scenario import read_scenario
from api.schemas.records import (
    Place,
    PlanningRequest,
    RecordsError,
    records_from_scenario,
)
from api.schemas.scenario import ScenarioIn

WEEKDAY = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "starachowice_day.json"
DAY = date(2026, 11, 24)


def weekday_records() -> dict[str, list[Any]]:
    return records_from_scenario(read_scenario(WEEKDAY))


def build(records: dict[str, list[Any]]) -> ScenarioIn:
    return scenario_from_records(PlanningRequest(first_day=DAY), network={}, **records)


def test_one_id_at_two_places_is_refused_naming_both_records() -> None:
    records = weekday_records()
    records["trips"] = [t.model_copy(update={"dropoff": t.dropoff.model_copy(
        update={"lat": 50.0})}) if t.id == "ride-kielce-back" else t for t in records["trips"]]
    with pytest.raises(RecordsError, match=r"trips/ride-kielce-back.dropoff: location "
                                           r"'home-03' .* clients/client-03"):
        build(records)


def test_a_return_picked_up_at_its_outbounds_drop_off_without_ids_is_that_place() -> None:
    records = weekday_records()
    anonymous = {t.id: t.model_copy(update={
        "dropoff": t.dropoff.model_copy(update={"id": None}),
        "pickup": None if t.pickup is None else t.pickup.model_copy(update={"id": None})})
        for t in records["trips"]}
    records["trips"] = list(anonymous.values())
    trips = {r.id: r for r in build(records).trips}
    assert trips["ride-kielce"].dropoff == "destination:ride-kielce"
    assert trips["ride-kielce-back"].pickup == "destination:ride-kielce"


def test_a_pickup_elsewhere_without_an_id_is_a_place_of_its_own() -> None:
    records = weekday_records()
    records["trips"] = [t.model_copy(update={"pickup": Place(name="Apteka", lat=51.05,
                                                             lon=21.07)})
                        if t.id == "ride-pharmacy" else t for t in records["trips"]]
    trips = {r.id: r for r in build(records).trips}
    assert trips["ride-pharmacy"].pickup == "pickup:ride-pharmacy"


def test_a_job_released_before_the_planned_days_and_due_in_them_is_planned() -> None:
    records = weekday_records()
    records["tasks"] = [t.model_copy(update={"day": date(2026, 11, 20), "due_date": DAY})
                        if t.id == "job-01" else t for t in records["tasks"]]
    assert "job-01" in {t.id for t in build(records).tasks}
    records["tasks"] = [t.model_copy(update={"due_date": date(2026, 11, 23)})
                        if t.id == "job-01" else t for t in records["tasks"]]
    assert "job-01" not in {t.id for t in build(records).tasks}
