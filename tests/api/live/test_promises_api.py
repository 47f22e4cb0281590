"""A plan that cannot keep a promise is never published, over HTTP: a plan job whose
promised visit's only worker is absent, and a re-plan job after that worker falls ill,
both end failed naming the promise and why, with no plan to store as a draft."""

from __future__ import annotations

import httpx

from tests.api.live.jobs import FINISHED, one_day_scenario, wait_for
from tests.api.live.records_data import DAY

PROMISE = {"start": "10:00", "end": "10:30"}


def _promised_day(*, absent: bool) -> dict:
    scenario = one_day_scenario(2)
    scenario["tasks"][0]["promise"] = PROMISE
    if absent:
        scenario["workers"][0]["absences"] = [{"start": DAY, "end": DAY}]
    return scenario


def test_plan_and_replan_jobs_that_cannot_keep_a_promise_fail_naming_it(
        coordinator: httpx.Client) -> None:
    misfit = _promised_day(absent=False)
    misfit["tasks"][0]["promise"] = {"start": "17:00", "end": "18:00"}  # after the window
    answer = coordinator.post("/plans/jobs", json={"scenario": misfit})
    assert answer.status_code == 422, answer.text
    assert "tasks[0].promise" in answer.json()["detail"] and "17:00" in answer.json()["detail"]
    answer = coordinator.post("/plans/jobs", json={"scenario": _promised_day(absent=True),
                                                   "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "failed" and job["plan"] is None
    assert "'v0' promised 10:00-10:30" in job["error"]
    assert "no qualified worker is available" in job["error"]
    refused = coordinator.post("/plans", json={"job_id": job["id"]})
    assert 400 <= refused.status_code < 500, refused.text  # nothing to keep as a draft

    answer = coordinator.post("/plans/jobs", json={"scenario": _promised_day(absent=False),
                                                   "max_solutions": 20})
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    stop = next(s for r in job["plan"]["routes"] for s in r["stops"] if s["task"] == "v0")
    assert stop["promise"] == {"start": f"{DAY}T10:00:00+01:00",
                               "end": f"{DAY}T10:30:00+01:00"}
    draft = coordinator.post("/plans", json={"job_id": job["id"]})
    assert draft.status_code == 201, draft.text
    plan_id = draft.json()["id"]
    answer = coordinator.post(f"/plans/{plan_id}/events", json={
        "now": "08:00", "events": [{"kind": "worker_unavailable", "worker": "anna"}],
        "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "failed" and job["plan"] is None
    assert "the re-plan cannot keep 1 promise(s)" in job["error"]
    assert "'v0' promised 10:00-10:30" in job["error"]
    refused = coordinator.post("/plans", json={"job_id": job["id"]})
    assert 400 <= refused.status_code < 500, refused.text  # no new version to publish
