"""Wrong input refused over HTTP before any job exists: the people's Chełm files posted as
scenario jobs, and stored records that ask the same, get 422 naming the field and the
value; `my_day.json` is accepted."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.api.live.records_data import client, provider, put, visit, worker
from tests.api.refusals_data import REFUSED, people_file

DAY = "2026-12-09"  # a day of its own: no other test's records on it


def posted(name: str) -> dict[str, Any]:
    scenario = json.loads(people_file(name).read_text(encoding="utf-8"))
    assert scenario["network"] == {}  # the server's own road network (Chełm)
    return {"scenario": scenario, "max_solutions": 20}


def _jobs(api: httpx.Client) -> int:
    return int(api.get("/plans/jobs").json()["total"])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_bad_scenario_job_gets_422_naming_field_and_value_and_no_job_exists(
        coordinator: httpx.Client, name: str) -> None:
    before = _jobs(coordinator)
    answer = coordinator.post("/plans/jobs", json=posted(name))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert REFUSED[name] in problem["detail"]
    field, value = REFUSED[name].split(": ", 1)[0], {
        "bad_skill.json": "hydraulika", "bad_sea.json": "h6",
        "bad_seats.json": {"seated": 9, "escort": 0, "wheelchair": 0}}[name]
    assert [(e["field"], e["value"]) for e in problem["errors"]] == [(field, value)]
    assert _jobs(coordinator) == before


def test_my_day_posted_as_a_scenario_job_is_accepted(coordinator: httpx.Client) -> None:
    answer = coordinator.post("/plans/jobs", json=posted("my_day.json"))
    assert answer.status_code == 202, answer.text
    coordinator.delete(answer.headers["Location"])  # accepted is what this test asks


def test_stored_records_asking_a_skill_no_worker_has_get_422_before_a_job_exists(
        coordinator: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:6]
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    put(coordinator, "/workers", worker(f"w-{tag}", provider_id=f"cus-{tag}"))
    put(coordinator, "/clients", client(f"c-{tag}", 1))
    put(coordinator, "/tasks", {**visit(f"t-{tag}", f"c-{tag}", day=DAY),
                                "skills": ["hydraulika"]})
    before = _jobs(coordinator)
    answer = coordinator.post("/plans/jobs", json={"records": {
        "first_day": DAY, "task_ids": [f"t-{tag}"], "worker_ids": [f"w-{tag}"]}})
    assert answer.status_code == 422, answer.text
    assert "tasks[0].skills: 'hydraulika' is a skill no worker has" in answer.json()["detail"]
    assert _jobs(coordinator) == before


def test_a_stored_client_far_from_the_servers_roads_gets_422_naming_the_home(
        coordinator: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:6]
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    put(coordinator, "/workers", worker(f"w-{tag}", provider_id=f"cus-{tag}"))
    put(coordinator, "/clients", {**client(f"c-{tag}"), "lat": 55.0, "lon": 19.0})
    put(coordinator, "/tasks", visit(f"t-{tag}", f"c-{tag}", day=DAY))
    answer = coordinator.post("/plans/jobs", json={"records": {
        "first_day": DAY, "task_ids": [f"t-{tag}"], "worker_ids": [f"w-{tag}"]}})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert detail.startswith(f"clients[0].location: 'home:c-{tag}'")
    assert "from the nearest road of the network; a client's home must be within 3000 m" \
        in detail
