"""Issue 27, row 5 (the rest): one id twice in a body, and events on tasks without a
client or naming what the plan does not know, are refused with a 422 problem naming the
field and the id; an event the server accepts ends in a job that is done, or failed with
a message naming the event: never an internal error inside the re-planning job.
On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.live.jobs import FINISHED, one_day_scenario, wait_for
from tests.api.live.records_data import CENTRE, place


def _refused(answer: httpx.Response, *said: str) -> None:
    assert answer.status_code == 422, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    text = problem["detail"] + " " + " ".join(f"{e['field']} {e['value']!r}"
                                              for e in problem["errors"])
    for word in said:
        assert word in text, (word, problem)


def _planned(api: httpx.Client, scenario: dict[str, Any]) -> str:
    """A plan version of `scenario`; its id."""
    answer = api.post("/plans/jobs", json={"scenario": scenario, "max_solutions": 10})
    assert answer.status_code == 202, answer.text
    job = wait_for(api, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    plan = api.post("/plans", json={"job_id": job["id"]})
    assert plan.status_code == 201, plan.text
    return str(plan.json()["id"])


@pytest.mark.parametrize(("what", "index", "id_"), [
    ("workers", 1, "anna"), ("locations", 3, "base"), ("providers", 1, "cus")])
def test_one_id_twice_in_a_scenario_is_refused_naming_it(
        coordinator: httpx.Client, what: str, index: int, id_: str) -> None:
    scenario = one_day_scenario(2)
    scenario[what].append(dict(scenario[what][0]))
    _refused(coordinator.post("/plans/jobs", json={"scenario": scenario}),
             f"{what}[{index}].id", repr(id_))


def _visit(task_id: str) -> dict[str, Any]:
    return {"kind": "new_request", "task": {
        "id": task_id, "kind": "visit", "location": "home-0", "duration_min": 30,
        "skills": ["physio"], "windows": [{"start": "11:00", "end": "13:00"}]}}


def test_events_with_one_id_twice_or_unknown_ids_are_refused_naming_them(
        coordinator: httpx.Client) -> None:
    url = f"/plans/{_planned(coordinator, one_day_scenario(2))}/events"
    for events, said in (
            ([_visit("n1"), _visit("n1")], ("events[1].task.id", "'n1'")),
            ([_visit("v0")], ("events[0].task.id", "'v0'")),
            ([{"kind": "cancelled", "task": "ghost"}], ("events[0].task", "'ghost'")),
            ([{"kind": "late", "task": "ghost", "minutes": 5}], ("events[0].task", "'ghost'")),
            ([{"kind": "worker_unavailable", "worker": "ghost"}],
             ("events[0].worker", "'ghost'")),
            ([{"kind": "vehicle_unavailable", "vehicle": "ghost"}],
             ("events[0].vehicle", "'ghost'"))):
        _refused(coordinator.post(url, json={"now": "08:00", "events": events,
                                             "max_solutions": 5}), *said)


def _trip_without_client() -> dict[str, Any]:
    lat, lon = CENTRE
    return {
        "date": "2026-11-24",
        "locations": [{"id": "depot", "lat": lat, "lon": lon},
                      {"id": "stop", "lat": place(1)[0], "lon": place(1)[1]},
                      {"id": "clinic", "lat": place(2)[0], "lon": place(2)[1]}],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "vehicles": [{"id": "bus", "seats": 8}],
        "workers": [{"id": "driver", "provider": "cus", "skills": ["driving"],
                     "vehicle": "bus", "shifts": [{"start": "08:00", "end": "16:00"}],
                     "start_location": "depot"}],
        "trips": [{"id": "ride", "pickup": "stop", "dropoff": "clinic",
                   "arrive_by": "10:00"}]}


def test_events_on_a_trip_without_a_client_end_done_or_named_never_internal(
        coordinator: httpx.Client) -> None:
    plan_id = _planned(coordinator, _trip_without_client())
    plan = coordinator.get(f"/plans/{plan_id}").json()
    stops = {s["action"]: s for r in plan["document"]["routes"] for s in r["stops"]}
    pickup = stops["pickup"]["start"][11:16]
    for now, event in (
            ("08:00", {"kind": "late", "task": "ride", "action": "pickup", "minutes": 10}),
            (pickup, {"kind": "started", "task": "ride", "action": "pickup", "at": pickup}),
            (pickup, {"kind": "started", "task": "ride", "action": "dropoff", "at": pickup}),
            ("08:00", {"kind": "no_show", "task": "ride", "action": "pickup", "at": "08:00"}),
            ("08:00", {"kind": "cancelled", "task": "ride"}),
            ("08:00", {"kind": "vehicle_unavailable", "vehicle": "bus", "from": "08:30"}),
            ("08:00", {"kind": "new_request", "trip": {"id": "ride-2", "pickup": "stop",
                                                       "dropoff": "clinic"}})):
        answer = coordinator.post(f"/plans/{plan_id}/events", json={
            "now": now, "events": [event], "max_solutions": 5})
        assert answer.status_code in (202, 422), (event, answer.status_code, answer.text)
        if answer.status_code == 422:
            _refused(answer, "events")
            continue
        job = wait_for(coordinator, answer.headers["Location"],
                    lambda j: j["status"] in FINISHED)
        assert job["status"] == "done" or not job["error"].startswith("internal"), (
            event, job["error"])
        if job["status"] == "done":
            assert job["plan"]["check"]["passed"], (event, job["plan"]["check"])
