"""Issue 27, row 5: odd input never makes a 5xx. NaN and Infinity in JSON numbers, lone
surrogates in strings, duplicate ids in one body, year-9999 dates in date arithmetic,
and 2^70 integers each get a 422 problem (`application/problem+json`) naming the field
and the value, on SQLite and PostgreSQL (events on a trip without a client:
test_ids_in_events.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.live.jobs import one_day_scenario

HUGE = 2**70


def _refused(answer: httpx.Response, field: str, value: str) -> None:
    """A 422 problem whose errors (or detail) name `field` and `value`."""
    assert answer.status_code == 422, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
    problem = answer.json()
    said = problem["detail"] + " " + " ".join(f"{e['field']} {e['value']!r}"
                                              for e in problem["errors"])
    assert field in said and value in said, problem


def _raw(api: httpx.Client, path: str, text: str) -> httpx.Response:
    return api.post(path, content=text.encode(), headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_json_are_refused_naming_the_path(
        coordinator: httpx.Client, number: str) -> None:
    body = f'{{"name": "CUS", "kind": "cus", "id": "p-{number}", "x": {number}}}'
    _refused(_raw(coordinator, "/providers", body), "x", number)
    job = '{"records": {"first_day": "2026-11-24"}, "time_limit_s": ' + number + "}"
    _refused(_raw(coordinator, "/plans/jobs", job), "time_limit_s", number)


@pytest.mark.parametrize("where", ["/providers", "/plans/jobs"])
def test_a_lone_surrogate_is_refused_naming_the_path(coordinator: httpx.Client,
                                                     where: str) -> None:
    body = ('{"id": "p-\\ud800", "name": "CUS", "kind": "cus"}' if where == "/providers"
            else '{"records": {"first_day": "2026-11-24", "task_ids": ["t-\\udfff"]}}')
    field = "id" if where == "/providers" else "records.task_ids[0]"
    _refused(_raw(coordinator, where, body), field, "\\ud800" if field == "id" else "\\udfff")


def test_a_nul_character_is_refused_naming_the_path(coordinator: httpx.Client) -> None:
    body = '{"id": "p-nul", "name": "CUS\\u0000", "kind": "cus"}'
    _refused(_raw(coordinator, "/providers", body), "body.name", "\\u0000")


def test_duplicate_ids_in_one_body_are_refused_naming_the_id(
        coordinator: httpx.Client) -> None:
    scenario = one_day_scenario(2)
    scenario["tasks"][1]["id"] = "v0"
    _refused(coordinator.post("/plans/jobs", json={"scenario": scenario}), "tasks[1].id", "v0")
    tag = uuid.uuid4().hex[:6]
    csv = (f"id;name;address;phone;lat;lon\nc-{tag};A;ul. 1;;51.13;23.47\n"
           f"c-{tag};B;ul. 2;;51.13;23.47\n")
    answer = coordinator.post("/import/clients", content=csv.encode(),
                              headers={"Content-Type": "text/csv"})
    _refused(answer, "row 3", f"c-{tag}")


def _window_at(start: str, end: str) -> dict[str, Any]:
    scenario = one_day_scenario(1)
    scenario["tasks"][0]["windows"] = [{"start": start, "end": end}]
    return {"scenario": scenario}


@pytest.mark.parametrize(("body", "field", "value"), [
    ({"records": {"first_day": "9999-12-31", "days": 7}}, "first_day", "9999-12-31"),
    ({"scenario": {**one_day_scenario(1), "date": "9999-12-31", "days": 7}}, "date", "9999-12-31"),
    ({"scenario": {**one_day_scenario(1), "date": "0001-01-01"}}, "date", "0001-01-01"),
    (_window_at("2026-11-24T09:00+01:00", "9999-12-31T23:59-05:00"), "windows[0].end",
     "9999-12-31T23:59-05:00"),
], ids=["records", "scenario", "year-1", "window"])
def test_dates_at_the_calendars_ends_are_refused_naming_the_field(
        coordinator: httpx.Client, body: dict[str, Any], field: str, value: str) -> None:
    _refused(coordinator.post("/plans/jobs", json=body), field, value)


def test_the_report_of_december_9999_is_not_found_not_an_error(
        coordinator: httpx.Client) -> None:
    answer = coordinator.get("/reports/9999-12")
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def _huge_bodies() -> Iterator[tuple[str, dict[str, Any], str]]:
    records = {"first_day": "2026-11-24"}
    yield "/plans/jobs", {"records": records, "time_limit_s": HUGE}, "time_limit_s"
    yield "/plans/jobs", {"records": records, "max_solutions": HUGE}, "max_solutions"
    yield "/plans/jobs", {"records": records, "stall_solutions": HUGE}, "stall_solutions"
    yield "/plans/jobs", {"records": records, "seed": HUGE}, "seed"
    scenario = one_day_scenario(1)
    scenario["tasks"][0]["duration_min"] = HUGE
    yield "/plans/jobs", {"scenario": scenario}, "duration_min"
    scenario = one_day_scenario(1)
    scenario["tasks"][0]["demand"] = HUGE
    yield "/plans/jobs", {"scenario": scenario}, "demand"
    scenario = one_day_scenario(1)
    scenario["workers"][0]["capacity"] = HUGE
    yield "/plans/jobs", {"scenario": scenario}, "capacity"
    yield "/vehicles", {"id": f"bus-{uuid.uuid4().hex[:6]}", "seats": HUGE}, "seats"
    yield "/sweeps/jobs", {"records": records, "seed": HUGE, "templates": {},
                           "vary": {"x": [1]}}, "seed"


@pytest.mark.parametrize(("path", "body", "field"), list(_huge_bodies()),
                         ids=[f"{p}:{f}" for p, _, f in _huge_bodies()])
def test_2_to_the_70_is_refused_naming_the_field(
        coordinator: httpx.Client, path: str, body: dict[str, Any], field: str) -> None:
    _refused(coordinator.post(path, json=body), field, str(HUGE))
