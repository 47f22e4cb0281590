"""A client's refusals and requirements through the records API (issue 31), on SQLite
and PostgreSQL: stored and read back by coordinators, hidden from planners (a worker's
attributes are personal data), and kept by a plan of the stored records."""

from __future__ import annotations

import uuid

import httpx

from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import client, provider, put, visit, worker

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
