"""Re-planning over HTTP: events posted to a plan version make a job whose plan is the
new version, with the changes per worker; bad events are refused at once, naming them."""

from __future__ import annotations

import httpx

from tests.api.live.jobs import FINISHED, plan_day, wait_for
from tests.api.live.records_data import put, visit


def test_events_make_a_new_checked_version_with_the_changes(
        coordinator: httpx.Client, worker: httpx.Client, planner: httpx.Client,
        anna: list[str]) -> None:
    day = "2027-06-15"  # a day of its own: no other test publishes a plan on it
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    document = coordinator.get(f"/plans/{plan_id}").json()["document"]
    stops = [s for r in document["routes"] for s in r["stops"]]
    assert len(stops) == 2
    cancelled = stops[-1]["task"]
    extra = f"{cancelled}-x"
    put(coordinator, "/tasks", {**visit(extra, anna[0]), "day": day})  # records: no effect
    body = {"now": "08:00", "events": [
        {"kind": "cancelled", "task": cancelled},
        {"kind": "new_request", "task": {  # a scenario task: the window names its day
            "id": "urgent-1", "kind": "visit", "client": anna[1], "duration_min": 30,
            "windows": [{"start": "09:00", "end": "15:00", "day": day}],
            "skills": ["physio"], "priority": "urgent"}}],
        "max_solutions": 30}
    assert planner.post(f"/plans/{plan_id}/events", json=body).status_code == 403
    answer = coordinator.post(f"/plans/{plan_id}/events", json=body)
    assert answer.status_code == 202, answer.text
    assert answer.headers["Location"].startswith("/plans/jobs/")
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    new = job["plan"]
    assert new["check"]["passed"]
    served = [s["task"] for r in new["routes"] for s in r["stops"]]
    assert cancelled not in served and "urgent-1" in served and extra not in served
    changes = {(c["task"], c["change"]): c for c in new["replanning"]["changes"]}
    assert changes[(cancelled, "removed")]["reason"] == "cancelled"
    assert changes[("urgent-1", "added")]["reason"] == "new request"
    assert new["replanning"]["changed_workers"] == ["w-anna"]
    assert new["replanning"]["facts"]["cancelled"] == [cancelled]

    draft = coordinator.post("/plans", json={"job_id": job["id"]})
    assert draft.status_code == 201, draft.text
    new_id = draft.json()["id"]
    assert coordinator.post(f"/plans/{new_id}/publish").status_code == 200
    mine = worker.get(f"/days/{day}/workers/w-anna")
    assert mine.status_code == 200 and mine.json()["plan_id"] == new_id
    assert {s["task"] for r in mine.json()["routes"] for s in r["stops"]} == {
        stops[0]["task"], "urgent-1"}
    sheet = worker.get(f"/days/{day}/workers/w-anna/sheet", params={"format": "html"})
    assert sheet.status_code == 200, sheet.text  # the new version reads back and is checked

    again = coordinator.post(f"/plans/{new_id}/events", json={
        "now": "08:30", "events": [{"kind": "late", "task": "urgent-1", "minutes": 20}],
        "max_solutions": 20})
    assert again.status_code == 202, again.text
    job = wait_for(coordinator, again.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    facts = job["plan"]["replanning"]["facts"]
    assert facts["cancelled"] == [cancelled] and len(facts["actual"]) == 1  # accumulated


def test_bad_events_are_refused_at_once_naming_the_event(
        coordinator: httpx.Client, anna: list[str]) -> None:
    day = "2027-06-16"
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    for events, where in (
            ([{"kind": "cancelled", "task": "nope"}], "events[0].task: unknown task 'nope'"),
            ([{"kind": "worker_unavailable", "worker": "ghost"}], "events[0].worker"),
            ([{"kind": "started", "task": "nope", "at": "07:00"}], "events[0].task"),
            ([{"kind": "teleported", "task": "x"}], "body.events[0]"),
    ):
        answer = coordinator.post(f"/plans/{plan_id}/events",
                                  json={"now": "08:00", "events": events})
        assert answer.status_code == 422, answer.text
        assert where in answer.text, answer.text
    late = coordinator.post(f"/plans/{plan_id}/events", json={"now": "25:00", "events": []})
    assert late.status_code == 422 and "now" in late.text
    assert coordinator.post("/plans/nope/events", json={"now": "08:00", "events": []}
                            ).status_code == 404
