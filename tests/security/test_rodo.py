"""People's rights (RODO art. 15 and 17): a coordinator exports everything Trasa holds
about a client, and erases a client on request. Erasure takes the client's name,
address, phone, notes and home coordinates out of the client record, their tasks, the
stored plan documents and the planning jobs' requests and results; the counts, times
and kinds stay (statistics), as do the audit log and the client's pseudonym. Both on
the API and the command line, audited, and idempotent.

The proof is the database itself: after erasure no table of SQLite or PostgreSQL holds
any of the client's personal values as text, while it did before."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, text

from api.store.database import engine_for
from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import CENTRE, put
from tests.security.command_line import trasa

ERASED = "[usunięto]"


@dataclass
class Person:
    id: str
    name: str
    address: str
    phone: str
    health_note: str
    task_note: str
    lat: float
    lon: float

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "address": self.address,
                "phone": self.phone, "lat": self.lat, "lon": self.lon,
                "mobility": "seated", "health_note": self.health_note}

    def values(self) -> list[str]:
        """The personal values as they would show in any text."""
        return [self.name, self.address, self.phone, self.health_note, self.task_note,
                str(self.lat), str(self.lon)]


def _person() -> Person:
    tag = uuid.uuid4().hex[:8]
    rnd = random.Random(tag)
    return Person(id=f"c-{tag}", name=f"Ewelina Ząbkowska {tag}",
                  address=f"ul. Niepowtarzalna {tag}",
                  phone=f"+48 501 {rnd.randint(100000, 999999)}",
                  health_note=f"alergia na {tag}", task_note=f"klucz u sąsiadki {tag}",
                  lat=round(CENTRE[0] + 0.002 + _digits(rnd) / 1e7, 7),
                  lon=round(CENTRE[1] - 0.003 + _digits(rnd) / 1e7, 7))


_DRAWN: set[int] = set()  # every person of this session lives elsewhere: a value found
# after an erasure can be no other person's


def _digits(rnd: random.Random) -> int:
    """1..999 not ending in 0, so that a coordinate has all seven decimals; never one drawn
    before in this session. Seven, because other plans' stored readings hold the streets'
    points to six decimals, and one of them once matched a home's longitude."""
    digits = rnd.choice([n for n in range(1, 1000) if n % 10 and n not in _DRAWN])
    _DRAWN.add(digits)
    return digits


def _database_text(url: str) -> str:
    """Every value of every table as text (JSON documents decoded, so that no escaped
    letter hides a name)."""
    engine = engine_for(url)
    parts: list[str] = []
    with engine.connect() as db:
        for table in inspect(engine).get_table_names():
            for row in db.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, str):
                        parts.append(value)
                        try:
                            value = json.loads(value)
                        except ValueError:
                            continue
                    parts.append(json.dumps(value, ensure_ascii=False, default=str))
    return "\n".join(parts)


def _found(haystack: str, person: Person) -> list[str]:
    return [v for v in person.values() if v in haystack]


def _served(api: httpx.Client, person: Person, day: str, visits: int = 2) -> tuple[str, str]:
    """`person` stored with `visits` visits on `day` by w-anna, planned and published;
    (the plan's id, the job's id)."""
    put(api, "/clients", person.record())
    tasks = [f"t-{uuid.uuid4().hex[:8]}" for _ in range(visits)]
    for k, task_id in enumerate(tasks):
        put(api, "/tasks", {"id": task_id, "kind": "visit", "client": person.id, "day": day,
                            "duration_min": 30, "skills": ["physio"], "note": person.task_note,
                            "windows": [{"start": f"{9 + 2 * k:02d}:00",
                                         "end": f"{10 + 2 * k:02d}:00"}]})
    answer = api.post("/plans/jobs", json={"records": {
        "first_day": day, "task_ids": tasks, "worker_ids": ["w-anna"]}, "max_solutions": 10})
    assert answer.status_code == 202, answer.text
    job = wait_for(api, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    plan_id = api.post("/plans", json={"job_id": job["id"]}).json()["id"]
    assert api.post(f"/plans/{plan_id}/publish").status_code == 200
    return plan_id, job["id"]


def _stops(document: dict[str, Any], client_id: str) -> list[dict[str, Any]]:
    return [s for r in document["routes"] for s in r["stops"] if s.get("client") == client_id]


def _routes(person: Person, plan_id: str, job_id: str, day: str) -> list[str]:
    return [f"/clients/{person.id}", f"/clients/{person.id}/export",
            f"/tasks?client={person.id}", f"/plans/{plan_id}", f"/plans/jobs/{job_id}",
            f"/days/{day}/workers/w-anna", f"/days/{day}/workers/w-anna/sheet?format=html",
            f"/days/{day}/workers/w-anna/calendar", f"/plans/{plan_id}/geojson",
            f"/days/{day}/overview?format=html", "/clients?limit=500",
            f"/plans/{plan_id}/days/{day}/view", f"/plans/{plan_id}/streets",
            f"/reports/{day[:7]}"]


def test_a_client_is_exported_then_erased_everywhere_but_the_statistics_stay(
        server: Server, coordinator: httpx.Client, planner: httpx.Client) -> None:
    person, day = _person(), "2026-11-10"
    plan_id, job_id = _served(coordinator, person, day)
    task_ids = [t["id"] for t in coordinator.get("/tasks", params={"client": person.id}
                                                 ).json()["items"]]
    pseudonym = planner.get(f"/tasks/{task_ids[0]}").json()["client"]
    issued = coordinator.post(f"/days/{day}/call-list")  # the client is told their times
    assert issued.status_code < 300, issued.text

    exported = coordinator.get(f"/clients/{person.id}/export")
    assert exported.status_code == 200, exported.text
    held = exported.json()
    assert held["client"]["name"] == person.name
    assert held["client"]["health_note"] == person.health_note
    assert sorted(t["id"] for t in held["tasks"]) == sorted(task_ids)
    assert {s["plan_id"] for s in held["plan_stops"]} == {plan_id}
    assert len([s for s in held["plan_stops"] if s["plan_id"] == plan_id]) == 2
    assert any(e["resource"] == f"clients/{person.id}" for e in held["audit"])
    assert [sorted(c["tasks"]) for c in held["call_lists"]] == [sorted(task_ids)]
    assert exported.headers["content-type"].startswith("application/json")

    stops_before = _stops(coordinator.get(f"/plans/{plan_id}").json()["document"], person.id)
    plans_before = coordinator.get("/plans").json()["total"]
    assert _found(_database_text(server.database_url), person) == person.values()

    erased = coordinator.post(f"/clients/{person.id}/erase")
    assert erased.status_code == 200, erased.text
    assert erased.json()["tasks"] == 2 and erased.json()["plans"] >= 1
    assert coordinator.post(f"/clients/{person.id}/erase").status_code == 200  # idempotent

    assert _found(_database_text(server.database_url), person) == []
    for route in _routes(person, plan_id, job_id, day):
        answer = coordinator.get(route)
        assert answer.status_code < 500, (route, answer.text)
        assert _found(answer.text, person) == [], route
    replan = coordinator.post(f"/plans/{plan_id}/events", json={"now": "08:00", "events": [
        {"kind": "worker_unavailable", "worker": "w-anna", "from": "09:00"}]})
    assert replan.status_code < 500 and _found(replan.text, person) == [], replan.text
    record = coordinator.get(f"/clients/{person.id}").json()
    assert (record["name"], record["address"], record["phone"], record["lat"]) == (
        ERASED, "", "", None)
    assert coordinator.get("/tasks", params={"client": person.id}).json()["total"] == 2
    assert coordinator.get("/plans").json()["total"] == plans_before
    stops_after = _stops(coordinator.get(f"/plans/{plan_id}").json()["document"], person.id)
    assert [(s["task"], s["start"], s["end"], s["service"]) for s in stops_after] == [
        (s["task"], s["start"], s["end"], s["service"]) for s in stops_before]
    assert planner.get(f"/tasks/{task_ids[0]}").json()["client"] == pseudonym
    assert coordinator.get(f"/clients/{person.id}/export").json()["call_lists"] == []
    log = coordinator.get("/audit", params={"resource": f"clients/{person.id}",
                                            "limit": 500}).json()["items"]
    assert {"read", "client export", "client erase"} <= {e["action"] for e in log}
    assert coordinator.post("/clients/no-such/erase").status_code == 404
    assert planner.post(f"/clients/{person.id}/erase").status_code == 403
    assert planner.get(f"/clients/{person.id}/export").status_code == 403


def test_a_client_with_open_tasks_ahead_is_not_erased(coordinator: httpx.Client) -> None:
    person = _person()
    put(coordinator, "/clients", person.record())
    put(coordinator, "/tasks", {"id": f"t-{uuid.uuid4().hex[:8]}", "kind": "visit",
                                "client": person.id, "day": "2030-01-08", "duration_min": 30,
                                "windows": [{"start": "09:00", "end": "12:00"}]})
    answer = coordinator.post(f"/clients/{person.id}/erase")
    assert answer.status_code == 409, answer.text
    assert coordinator.get(f"/clients/{person.id}").json()["name"] == person.name


@pytest.mark.parametrize("day", ["2026-11-12"])
def test_the_command_line_exports_and_erases_and_the_server_forgets_too(
        server: Server, coordinator: httpx.Client, worker: httpx.Client, day: str) -> None:
    person = _person()
    _served(coordinator, person, day, visits=1)
    before = worker.get(f"/days/{day}/workers/w-anna")  # the server caches the plan now
    assert person.address in before.text
    exported = trasa(server, "clients", "export", person.id)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["client"]["phone"] == person.phone
    erased = trasa(server, "clients", "erase", person.id)
    assert erased.returncode == 0, erased.stderr
    assert _found(_database_text(server.database_url), person) == []
    after = worker.get(f"/days/{day}/workers/w-anna")
    assert after.status_code == 200 and _found(after.text, person) == []
    missing = trasa(server, "clients", "erase", "no-such")
    assert missing.returncode == 2 and "no-such" in missing.stderr
    log = coordinator.get("/audit", params={"resource": f"clients/{person.id}"}).json()
    assert {"client export", "client erase"} <= {e["action"] for e in log["items"]}
