"""Planning jobs over HTTP: accepted as rows, solved in the pool, stopped on request."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.live.jobs import FINISHED, day_of_records, one_day_scenario, wait_for
from tests.api.live.records_data import DAY, provider


def test_a_job_over_stored_records_serves_them_and_its_plan_passes_the_check(
        coordinator: httpx.Client) -> None:
    tasks, workers = day_of_records(coordinator, 4)
    answer = coordinator.post("/plans/jobs", json={
        "records": {"first_day": DAY, "task_ids": tasks, "worker_ids": workers},
        "max_solutions": 30})
    assert answer.status_code == 202, answer.text
    location = answer.headers["Location"]
    assert answer.json()["status"] in {"queued", "running"}
    job = wait_for(coordinator, location, lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    plan = job["plan"]
    assert plan["check"]["passed"]
    assert plan["network"]["synthetic"] is False  # the server's real Chełm network
    served = {s["task"] for r in plan["routes"] for s in r["stops"]}
    assert served == set(tasks)


def test_a_posted_scenario_is_planned_as_trasa_plan_would(coordinator: httpx.Client) -> None:
    answer = coordinator.post("/plans/jobs", json={"scenario": one_day_scenario(3),
                                                   "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done"
    assert job["plan"]["check"]["passed"]
    assert len(job["plan"]["routes"][0]["stops"]) == 3


def test_a_bad_scenario_is_refused_before_any_job_exists(coordinator: httpx.Client) -> None:
    before = coordinator.get("/plans/jobs").json()["total"]
    bad = one_day_scenario(1)
    bad["tasks"][0]["location"] = "nowhere"
    answer = coordinator.post("/plans/jobs", json={"scenario": bad})
    assert answer.status_code == 422
    assert "tasks[0].location" in answer.json()["detail"]
    assert "nowhere" in answer.json()["detail"]
    assert coordinator.get("/plans/jobs").json()["total"] == before


def test_a_stopped_job_keeps_the_best_plan_found(coordinator: httpx.Client) -> None:
    tasks, workers = day_of_records(coordinator, 12)
    answer = coordinator.post("/plans/jobs", json={
        "records": {"first_day": DAY, "task_ids": tasks, "worker_ids": workers},
        "time_limit_s": 250, "stall_solutions": None})
    location = answer.headers["Location"]
    wait_for(coordinator, location, lambda j: j["status"] == "running" and j["progress"])
    stop = coordinator.delete(location)
    assert stop.status_code == 202
    assert stop.json()["cancel_requested"]
    job = wait_for(coordinator, location, lambda j: j["status"] in FINISHED, timeout_s=60)
    assert job["status"] == "cancelled"
    assert job["plan"]["check"]["passed"]
    assert job["plan"]["solver"]["cancelled"]


def test_roles_see_only_what_is_theirs(server: Any, coordinator: httpx.Client,
                                       planner: httpx.Client, worker: httpx.Client) -> None:
    anonymous = server.client()
    assert anonymous.get("/clients").status_code == 401
    assert worker.get("/clients").status_code == 403
    assert worker.get("/plans/jobs").status_code == 403
    assert planner.get("/clients").status_code == 403  # names, addresses, health notes
    assert planner.get("/workers").status_code == 200
    assert planner.post("/providers", json=provider("p-planner")).status_code == 403
    mine = planner.post("/plans/jobs", json={"scenario": one_day_scenario(1), "max_solutions": 5})
    assert mine.status_code == 202
    theirs = coordinator.post("/plans/jobs", json={"scenario": one_day_scenario(1),
                                                   "max_solutions": 5})
    assert planner.get(theirs.headers["Location"]).status_code == 404
    assert planner.get(mine.headers["Location"]).status_code == 200
    assert coordinator.get(mine.headers["Location"]).status_code == 200
