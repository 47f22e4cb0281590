"""A client's refusals and requirements through the records API (issue 31), on SQLite
and PostgreSQL: stored and read back by coordinators, hidden from planners (a worker's
attributes are personal data), and kept by a plan of the stored records."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import client, place, provider, put, visit, worker

DAY = "2027-06-22"  # a day of its own


def test_refusals_are_stored_hidden_from_planners_and_kept_by_plans(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:8]
    skill, near, far = f"skill-{tag}", f"w-near-{tag}", f"w-far-{tag}"
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    put(coordinator, "/workers", worker(near, provider_id=f"cus-{tag}", skills=(skill,)))
    put(coordinator, "/workers", {**worker(far, provider_id=f"cus-{tag}", skills=(skill,)),
                                  "attributes": ["woman"]})
    put(coordinator, "/clients", {**client(f"c-{tag}", 1), "refuses_workers": [near],
                                  "requires": ["woman"], "prefers_workers": [far]})
    tasks = [f"t{k}-{tag}" for k in range(3)]
    for t in tasks:
        put(coordinator, "/tasks", {**visit(t, f"c-{tag}", day=DAY), "skills": [skill]})

    stored = coordinator.get(f"/clients/c-{tag}").json()
    assert stored["refuses_workers"] == [near] and stored["requires"] == ["woman"]
    assert stored["prefers_workers"] == [far]
    assert coordinator.get(f"/workers/{far}").json()["attributes"] == ["woman"]
    # a planner reads no client record, and no worker's attributes
    assert planner.get(f"/clients/c-{tag}").status_code == 403
    workers = planner.get(f"/workers/{far}")
    assert workers.status_code == 200 and workers.json()["attributes"] == []

    job = coordinator.post("/plans/jobs", json={
        "records": {"first_day": DAY, "task_ids": tasks, "worker_ids": [near, far]},
        "max_solutions": 20})
    assert job.status_code == 202, job.text
    done = wait_for(coordinator, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    served = {s["task"]: r["worker"] for r in done["plan"]["routes"] for s in r["stops"]}
    assert served == dict.fromkeys(tasks, far)

    bad = coordinator.put(f"/clients/c-{tag}", json={**stored, "requires": [""]},
                          headers={"If-Match": coordinator.get(f"/clients/c-{tag}")
                                   .headers["ETag"]})
    assert bad.status_code == 422 and "requires" in bad.text


def _planned(api: httpx.Client, records: dict[str, object]) -> dict[str, Any]:
    job = api.post("/plans/jobs", json={"records": records, "max_solutions": 20})
    assert job.status_code == 202, job.text
    done = wait_for(api, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    return done


def test_a_week_later_the_familiar_worker_comes_again(coordinator: httpx.Client) -> None:
    first, later = "2027-09-06", "2027-09-13"  # days of their own
    tag = uuid.uuid4().hex[:8]
    skill, known, other = f"skill-{tag}", f"w-known-{tag}", f"w-other-{tag}"
    lat, lon = place(1)
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    # the one the client knows lives a little further off than the other
    put(coordinator, "/workers", {**worker(known, provider_id=f"cus-{tag}", skills=(skill,)),
                                  "base_lat": lat + 0.01, "base_lon": lon})
    put(coordinator, "/workers", {**worker(other, provider_id=f"cus-{tag}", skills=(skill,)),
                                  "base_lat": lat, "base_lon": lon})
    put(coordinator, "/clients", client(f"c-{tag}", 1))
    for t, day in ((f"t1-{tag}", first), (f"t2-{tag}", later)):
        put(coordinator, "/tasks", {**visit(t, f"c-{tag}", day=day), "skills": [skill]})
    done = _planned(coordinator, {"first_day": first, "worker_ids": [known],
                                  "task_ids": [f"t1-{tag}"]})
    plan_id = coordinator.post("/plans", json={"job_id": done["id"]}).json()["id"]
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200

    records = {"first_day": later, "worker_ids": [known, other], "task_ids": [f"t2-{tag}"]}
    plain = _planned(coordinator, records)
    assert [r["worker"] for r in plain["plan"]["routes"]] == [other]  # the nearer one
    assert plain["plan"]["kpis"]["familiar_pct"] is None
    again = _planned(coordinator, {**records, "goals": {"familiar": True}})
    assert [r["worker"] for r in again["plan"]["routes"]] == [known]
    assert again["plan"]["kpis"]["familiar_pct"] == 100.0
