"""Plan versions over HTTP: publish, supersede, a worker's day, pseudonyms, the audit log."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.live.jobs import FINISHED, plan_day, wait_for


def test_a_worker_reads_their_published_day_and_nothing_more(
        coordinator: httpx.Client, worker: httpx.Client, anna: list[str]) -> None:
    day = "2026-12-01"
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    assert worker.get(f"/days/{day}/workers/w-anna").status_code == 404  # a draft only
    published = coordinator.post(f"/plans/{plan_id}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 409  # immutable

    mine = worker.get(f"/days/{day}/workers/w-anna")
    assert mine.status_code == 200, mine.text
    sheet = mine.json()
    assert sheet["plan_id"] == plan_id
    assert {c["id"] for c in sheet["clients"]} == set(anna)
    assert all(c["name"] and c["address"] and c["phone"] for c in sheet["clients"])
    assert "insulina" not in mine.text and "health_note" not in mine.text
    assert worker.get(f"/days/{day}/workers/w-piotr").status_code == 403

    log = coordinator.get("/audit", params={"username": "worker"}).json()
    assert {f"clients/{c}" for c in anna} <= {e["resource"] for e in log["items"]}


def test_a_newer_published_plan_supersedes_the_older_and_both_stay_readable(
        coordinator: httpx.Client, worker: httpx.Client, anna: list[str]) -> None:
    day = "2026-12-02"
    first = plan_day(coordinator, day, "w-anna", anna[:1])
    coordinator.post(f"/plans/{first}/publish")
    second = plan_day(coordinator, day, "w-anna", anna)
    coordinator.post(f"/plans/{second}/publish")
    old = coordinator.get(f"/plans/{first}").json()
    assert (old["status"], old["superseded_by"]) == ("superseded", second)
    assert old["document"]["routes"]  # still readable
    assert worker.get(f"/days/{day}/workers/w-anna").json()["plan_id"] == second


def _text(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    return json.dumps(answer.json(), ensure_ascii=False)


def test_a_planner_never_sees_a_clients_name_address_or_phone(
        coordinator: httpx.Client, planner: httpx.Client, anna: list[str]) -> None:
    day = "2026-12-03"
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    tasks = coordinator.get("/tasks", params={"day_from": day, "day_to": day}).json()
    own = planner.post("/plans/jobs", json={"records": {
        "first_day": day, "worker_ids": ["w-anna"],
        "task_ids": [t["id"] for t in tasks["items"] if t["client"] in anna]},
        "max_solutions": 20})
    assert own.status_code == 202, own.text
    job = wait_for(planner, own.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["plan"]["routes"]
    job_id = job["id"]
    personal: list[Any] = []
    for c in anna:
        record = coordinator.get(f"/clients/{c}").json()
        personal += [record["name"], record["address"], record["phone"], c]
    seen = "".join(_text(planner.get(path)) for path in (
        "/providers", "/vehicles", "/workers", "/tasks", "/trips", "/plans",
        f"/plans/{plan_id}", f"/plans/jobs/{job_id}", "/plans/jobs"))
    assert not [p for p in personal if p in seen]
    routes = planner.get(f"/plans/{plan_id}").json()["document"]["routes"]
    stops = [s for r in routes for s in r["stops"]]
    assert stops and all(s["client"].startswith("client-") and s["lat"] is None
                         for s in stops)
