"""A published plan is read once: its first route sheet, right after publishing and right
after the server restarts, is drawn from the reading stored with the plan, so that
request loads no road graph and builds no matrices (the server's log says when either
happens, with the process). A plan stored without a reading (before migration 0007)
still gives its sheet: its reading is made from the graph on that first read, once,
and stored."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import httpx
from sqlalchemy import text

from api.store.database import engine_for
from tests.api.live.conftest import Server
from tests.api.live.records_data import client, put, visit

DAY, OLDER_DAY = "2027-08-18", "2027-08-19"  # no other test plans in this month
GRAPH_WORK = ("road graph loaded from", "travel matrices built for")


def _plan_and_publish(api: httpx.Client, day: str) -> str:
    clients = [f"c-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    tasks = [f"t-{uuid.uuid4().hex[:8]}" for _ in clients]
    for k, (client_id, task_id) in enumerate(zip(clients, tasks, strict=True)):
        put(api, "/clients", client(client_id, k))
        put(api, "/tasks", {**visit(task_id, client_id, day=day), "note": "rotor"})
    answer = api.post("/plans/jobs", json={
        "records": {"first_day": day, "task_ids": tasks, "worker_ids": ["w-anna"]},
        "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    deadline = time.monotonic() + 180
    while (job := api.get(answer.headers["Location"]).json())["status"] not in {
            "done", "failed", "cancelled"}:
        assert time.monotonic() < deadline, job
        time.sleep(0.3)
    assert job["status"] == "done", job["error"]
    plan_id = str(api.post("/plans", json={"job_id": job["id"]}).json()["id"])
    assert api.post(f"/plans/{plan_id}/publish").status_code == 200
    return plan_id


def _graph_work_during(server: Server, request: Callable[[], httpx.Response]
                       ) -> tuple[httpx.Response, list[str]]:
    """The answer to `request` and the server process's log lines of graph loads and
    matrix builds written meanwhile."""
    log = server.data_dir / "server.log"
    before = log.stat().st_size
    answer = request()
    assert server.process is not None
    mine = f"(process {server.process.pid})"
    with log.open("rb") as f:
        f.seek(before)
        lines = f.read().decode("utf-8", "replace").splitlines()
    return answer, [x for x in lines if mine in x and any(w in x for w in GRAPH_WORK)]


def _sheet(server: Server, url: str) -> tuple[httpx.Response, list[str]]:
    """The worker's sheet at `url` (HTML), with a new log-in, and the graph work done."""
    worker = server.client("worker")
    try:
        return _graph_work_during(server, lambda: worker.get(url, params={"format": "html"}))
    finally:
        worker.close()


def _stored(server: Server, plan_id: str) -> tuple[object, object]:
    with engine_for(server.database_url).connect() as db:
        row = db.execute(text("SELECT verdict, reading FROM plans WHERE id = :id"),
                         {"id": plan_id}).one()
    return tuple(json.loads(v) if isinstance(v, str) else v for v in row)  # type: ignore


def test_the_first_sheet_after_publishing_and_after_a_restart_loads_no_graph(
        server: Server, coordinator: httpx.Client) -> None:
    plan_id = _plan_and_publish(coordinator, DAY)
    verdict, reading = _stored(server, plan_id)
    assert isinstance(verdict, dict) and verdict["passed"] and reading is not None
    url = f"/days/{DAY}/workers/w-anna/sheet"
    first, work = _sheet(server, url)
    assert first.status_code == 200, first.text
    assert "Karta trasy" in first.text and "rotor" in first.text
    assert "cukrzyca" not in first.text
    assert work == []

    older = _plan_and_publish(coordinator, OLDER_DAY)
    with engine_for(server.database_url).begin() as db:  # as before migration 0007
        db.execute(text("UPDATE plans SET verdict = NULL, reading = NULL WHERE id = :id"),
                   {"id": older})
    server.stop()
    server.start()
    again, work = _sheet(server, url)
    assert again.status_code == 200, again.text
    assert again.text == first.text  # the same sheet, map included
    assert work == []

    # a plan stored without a reading: made from the graph on its first read, and stored
    sheet, work = _sheet(server, f"/days/{OLDER_DAY}/workers/w-anna/sheet")
    assert sheet.status_code == 200, sheet.text
    assert any("road graph loaded from" in x or "travel matrices built" in x for x in work)
    verdict, reading = _stored(server, older)
    assert isinstance(verdict, dict) and verdict["passed"] and reading is not None
