"""Issue 27, row 4: no personal data in any log line. An attack run against the live
server (records clashing in the database, NaN and invalid bodies full of a client's
details, 404s and filters naming clients, a refused and a finished job) and then every
line the server logged (its stdout and stderr, uvicorn's access log included) is
searched for every personal value: of every stored client, and of the bodies sent. On
SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from api.app.log_privacy import NoPersonalData
from api.schemas.records import ClientResource
from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import place
from tests.security.privacy_data import Personal, leaks, people, personal_values

RACERS = 8


def _client(tag: str, k: int = 3) -> dict[str, Any]:
    lat, lon = place(k)
    return {"id": f"c-{tag}", "name": f"Genowefa Tajemnicza-{tag}", "lat": lat, "lon": lon,
            "address": f"ul. Sekretna {tag}", "phone": f"+48 7{tag[:2]} 333 444",
            "health_note": f"depresja {tag}; leki o 20:00", "mobility": "walks"}


def _attack(server: Server, coordinator: httpx.Client, planner: httpx.Client,
            races: list[list[int]]) -> Personal:
    """The attack run; the personal values of the bodies it sent (stored or not); the
    statuses of each race in `races`."""
    sent: list[dict[str, Any]] = []
    who = people(coordinator)
    # the same new client posted at once, many times: the database's unique key decides
    apis = [server.client("coordinator") for _ in range(RACERS)]
    for _ in range(3):
        body = _client(uuid.uuid4().hex[:8])
        sent.append(body)
        start = threading.Barrier(RACERS)

        def post(api: httpx.Client, body: dict[str, Any] = body,
                 start: threading.Barrier = start) -> int:
            start.wait()
            return api.post("/clients", json=body).status_code

        with ThreadPoolExecutor(RACERS) as pool:
            races.append(sorted(pool.map(post, apis)))
    for api in apis:
        api.close()
    # a CSV file naming one client twice
    twice = _client(uuid.uuid4().hex[:8])
    sent.append(twice)
    header = "id,name,address,phone,lat,lon,mobility,escort,health_note"
    row = ",".join(str(twice[k]) if k != "escort" else "false" for k in header.split(","))
    coordinator.post("/import/clients", content=f"{header}\n{row}\n{row}\n".encode(),
                     headers={"Content-Type": "text/csv"})
    # NaN in a body, and in a CSV cell
    nan = _client(uuid.uuid4().hex[:8])
    sent.append(nan)
    text = json.dumps(nan).replace(str(nan["lat"]), "NaN")
    coordinator.post("/clients", content=text.encode(),
                     headers={"Content-Type": "application/json"})
    nan_row = row.replace(str(twice["lat"]), "nan")
    coordinator.post("/import/clients", content=f"{header}\n{nan_row}\n".encode(),
                     headers={"Content-Type": "text/csv"})
    # invalid bodies full of a client's details
    bad = _client(uuid.uuid4().hex[:8])
    sent.append(bad)
    coordinator.post("/clients", json={**bad, "lat": 200})
    coordinator.post("/clients", json={**bad, "mobility": bad["health_note"]})
    coordinator.put(f"/clients/{who.clients[0]}", json={**bad, "id": "other"},
                    headers={"If-Match": '"1"'})
    coordinator.post("/tasks", json={"id": "t-x", "client": bad["name"], "day": "2026-11-24"})
    # 404s and filters naming clients
    stored = coordinator.get(f"/clients/{who.clients[0]}").json()
    for value in (stored["name"], stored["address"], stored["phone"]):
        coordinator.get(f"/clients/{quote(value)}")
        coordinator.get("/tasks", params={"client": value})
        planner.get("/trips", params={"client": value})
    # a job refused, a job planned
    coordinator.post("/plans/jobs", json={"records": {"first_day": "2026-11-24",
                                                      "task_ids": [bad["name"]]}})
    job = planner.post("/plans/jobs", json={"records": {
        "first_day": "2026-11-24", "task_ids": who.tasks + who.trips,
        "worker_ids": [who.worker]}, "max_solutions": 5})
    assert job.status_code == 202, job.text
    assert wait_for(planner, job.headers["Location"], lambda j: j["status"] in FINISHED)
    values = personal_values(coordinator)
    for c in sent:
        values.strings |= {c["name"], c["address"], c["phone"], c["health_note"]}
        values.homes.add((round(c["lat"], 4), round(c["lon"], 4)))
    return values


def test_no_log_line_holds_personal_data(server: Server, coordinator: httpx.Client,
                                         planner: httpx.Client) -> None:
    races: list[list[int]] = []
    personal = _attack(server, coordinator, planner, races)
    log = (server.data_dir / "server.log").read_text(errors="replace")
    assert "POST /clients" in log  # the access log is there to be searched
    found = {line[:300]: bad for line in log.splitlines() if (bad := leaks(line, personal))}
    assert not found, found
    assert races == [[201] + [409] * (RACERS - 1)] * 3  # the key decides, never a 5xx


def test_a_logged_exception_shows_its_type_and_frames_never_its_values() -> None:
    """The filter alone (whatever else fails): a real IntegrityError quoting a row, from
    an engine that shows parameters, and a real ValidationError quoting its input."""
    engine = create_engine("sqlite://")
    with engine.begin() as db:
        db.execute(text("CREATE TABLE people (id TEXT PRIMARY KEY, note TEXT)"))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(NoPersonalData({"clients"}))
    log = logging.getLogger("tests.log_privacy")
    log.addHandler(handler)
    try:
        for _ in range(2):
            try:
                with engine.begin() as db:
                    db.execute(text("INSERT INTO people VALUES ('p1', :note)"),
                               {"note": "depresja; leki o 20:00"})
            except IntegrityError as exc:
                log.exception("a request failed")
                log.error("job %s: %s", "j1", exc)
        try:
            ClientResource.model_validate({"id": "c1", "name": "Jan Sekretny", "lat": 200})
        except ValidationError:
            log.exception("a body failed")
        access = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                                   '%s - "%s %s HTTP/%s" %d', (
                                       "127.0.0.1", "GET", "/clients/Jan%20Sekretny?client="
                                       "Jan+Sekretny&limit=5", "1.1", 404), None)
        handler.handle(access)
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert "sqlalchemy.exc.IntegrityError" in written and "test_log_privacy.py" in written
    assert "pydantic_core._pydantic_core.ValidationError" in written
    assert "GET /clients/{…}?client=…&limit=… HTTP/1.1" in written
    assert "depresja" not in written and "Sekretny" not in written, written
