"""Jobs over HTTP for the live tests: wait for a job to finish, a small one-day scenario,
a day of stored records, and a planned day (a done job's plan, a draft)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from tests.api.live.records_data import CENTRE, DAY, client, place, provider, put, visit, worker

FINISHED = {"done", "failed", "cancelled"}


def wait_for(api: httpx.Client, location: str, until: Any, timeout_s: float = 180) -> dict:
    """The job at `location` once `until(job)` holds (polled every 0.3 s)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = api.get(location).json()
        if until(job):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {location} still {job['status']} after {timeout_s} s")


def day_of_records(api: httpx.Client, visits: int) -> tuple[list[str], list[str]]:
    """A provider, two physiotherapists and `visits` visits on DAY; their ids."""
    tag = uuid.uuid4().hex[:6]
    put(api, "/providers", provider(f"cus-{tag}"))
    workers = [f"w{k}-{tag}" for k in range(2)]
    for w in workers:
        put(api, "/workers", worker(w, provider_id=f"cus-{tag}"))
    tasks = []
    for k in range(visits):
        put(api, "/clients", client(f"c{k}-{tag}", k))
        tasks.append(f"t{k}-{tag}")
        put(api, "/tasks", visit(tasks[-1], f"c{k}-{tag}"))
    return tasks, workers


def one_day_scenario(visits: int) -> dict[str, Any]:
    """A scenario body: one physiotherapist and `visits` visits around Chełm on DAY."""
    lat, lon = CENTRE
    return {
        "date": DAY,
        "locations": [{"id": "base", "lat": lat, "lon": lon}]
        + [{"id": f"home-{k}", "lat": place(k)[0], "lon": place(k)[1]} for k in range(visits)],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "workers": [{"id": "anna", "provider": "cus", "skills": ["physio"],
                     "shifts": [{"start": "08:00", "end": "16:00"}],
                     "start_location": "base"}],
        "tasks": [{"id": f"v{k}", "kind": "visit", "location": f"home-{k}",
                   "duration_min": 30, "windows": [{"start": "08:00", "end": "16:00"}],
                   "skills": ["physio"]} for k in range(visits)],
    }


def plan_day(api: httpx.Client, day: str, worker_id: str, clients: list[str]) -> str:
    """A done job serving a visit to each client on `day` by `worker_id`; its plan's id
    (a draft)."""
    tasks = []
    for c in clients:
        tasks.append(f"t-{uuid.uuid4().hex[:8]}")
        put(api, "/tasks", {**visit(tasks[-1], c), "day": day})
    answer = api.post("/plans/jobs", json={
        "records": {"first_day": day, "task_ids": tasks, "worker_ids": [worker_id]},
        "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    job = wait_for(api, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    draft = api.post("/plans", json={"job_id": job["id"]})
    assert draft.status_code == 201, draft.text
    assert draft.json()["status"] == "draft"
    return str(draft.json()["id"])
