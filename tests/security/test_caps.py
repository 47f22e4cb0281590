"""Issue 27, row 6: the server's caps (docs/security.md, "Caps"). A body over
TRASA_MAX_BODY_BYTES gets 413 before it is read (a 10 MB body was parsed for 12 s in
450 MB); more tasks than TRASA_MAX_TASKS, rows than TRASA_MAX_IMPORT_ROWS or events than
TRASA_MAX_EVENTS get 422 naming the field, the count and the cap, before any solve or
import (a 5,000-task scenario ran 51 s in 2.8 GB). The defaults are tested, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from api.settings import Settings
from tests.api.live.conftest import Server
from tests.api.live.jobs import one_day_scenario

DEFAULTS = Settings(_env_file=None)  # type: ignore[call-arg]
WEEK = Path(__file__).parents[2] / "data" / "scenarios" / "starachowice_week.json"


def _capped(answer: httpx.Response, status: int, *said: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text[:500])
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    text = problem["detail"] + " " + json.dumps(problem["errors"])
    assert all(s in text for s in said), problem


def _raw_request(server: Server, head: str, body: bytes) -> bytes:
    """Send `head` and `body` on a socket of its own; what the server answers (at most
    5 s of waiting: the server must answer without the rest of the body)."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_a_declared_10_mb_body_is_refused_before_it_is_sent(server: Server) -> None:
    ten_mb = 10 * 1024 * 1024
    answer = _raw_request(server, (
        "POST /providers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {ten_mb}\r\n\r\n"), b'{"id": "p-big", "name": "')
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:300]
    problem = json.loads(body)
    assert problem["errors"][0]["field"] == "body"
    assert f"{ten_mb} bytes" in problem["detail"]
    assert str(DEFAULTS.max_body_bytes) in problem["detail"]
    assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200


def test_a_chunked_body_over_the_cap_is_refused(coordinator: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent in chunks
        yield b'{"id": "p-chunked", "name": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'", "kind": "cus"}'

    answer = coordinator.post("/providers", content=chunks(),
                              headers={"Content-Type": "application/json"})
    _capped(answer, 413, "body", f"more than {DEFAULTS.max_body_bytes} bytes")
    assert coordinator.get("/providers/p-chunked").status_code == 404


def test_a_csv_body_over_the_cap_is_refused_too(coordinator: httpx.Client) -> None:
    text = "id;name\n" + "".join(f"c-{k};{'x' * 200}\n" for k in range(6000))
    answer = coordinator.post("/import/clients", content=text.encode(),
                              headers={"Content-Type": "text/csv"})
    _capped(answer, 413, "body", "TRASA_MAX_BODY_BYTES")


def test_a_week_of_the_cus_is_well_under_the_body_cap() -> None:
    document = json.dumps({"scenario": json.loads(WEEK.read_text())}).encode()
    assert 4 * len(document) < DEFAULTS.max_body_bytes


def test_a_body_under_the_cap_is_read(coordinator: httpx.Client) -> None:
    big = {"id": "p-long", "name": "x" * (DEFAULTS.max_body_bytes - 1000), "kind": "cus"}
    answer = coordinator.post("/providers", json=big)
    assert answer.status_code == 422, answer.text[:300]  # the name's own limit, not 413
    assert "name" in answer.text


def test_a_scenario_over_the_task_cap_is_refused_before_any_job(
        coordinator: httpx.Client) -> None:
    before = coordinator.get("/plans/jobs").json()["total"]
    count = DEFAULTS.max_tasks + 1
    answer = coordinator.post("/plans/jobs", json={"scenario": one_day_scenario(count)})
    _capped(answer, 422, "body.scenario.tasks", str(count), str(DEFAULTS.max_tasks),
            "TRASA_MAX_TASKS")
    assert coordinator.get("/plans/jobs").json()["total"] == before


def test_a_series_counts_each_session_against_the_task_cap(
        coordinator: httpx.Client) -> None:
    scenario = one_day_scenario(DEFAULTS.max_tasks // 5 + 1)
    scenario["days"] = 7
    for task in scenario["tasks"]:
        task["series"] = {"sessions": 5, "min_gap_days": 1}
    answer = coordinator.post("/plans/jobs", json={"scenario": scenario})
    _capped(answer, 422, "body.scenario.tasks", str(5 * len(scenario["tasks"])))


def test_a_sweep_over_the_task_cap_is_refused(coordinator: httpx.Client) -> None:
    count = DEFAULTS.max_tasks + 1
    answer = coordinator.post("/sweeps/jobs", json={
        "scenario": one_day_scenario(count), "templates": {"physio": {"worker": "anna"}},
        "vary": {"physio": [1, 2]}})
    _capped(answer, 422, "body.scenario.tasks", str(count), "TRASA_MAX_TASKS")


def test_a_csv_over_the_row_cap_is_refused_and_nothing_imported(
        coordinator: httpx.Client) -> None:
    rows = DEFAULTS.max_import_rows + 1
    text = "id;name;address;phone;lat;lon\n" + "".join(
        f"cap-{k};Zofia {k};ul. Lubelska 1;+48 600 100 200;51.1402;23.4801\n"
        for k in range(rows))
    answer = coordinator.post("/import/clients", content=text.encode(),
                              headers={"Content-Type": "text/csv"})
    _capped(answer, 422, str(rows), str(DEFAULTS.max_import_rows), "TRASA_MAX_IMPORT_ROWS")
    assert coordinator.get("/clients/cap-0").status_code == 404


def test_more_events_than_the_cap_are_refused(coordinator: httpx.Client) -> None:
    count = DEFAULTS.max_events + 1
    events = [{"kind": "late", "task": f"t{k}", "minutes": 5} for k in range(count)]
    answer = coordinator.post("/plans/no-such-plan/events",
                              json={"now": "10:00", "events": events})
    _capped(answer, 422, "body.events", str(count), str(DEFAULTS.max_events),
            "TRASA_MAX_EVENTS")
