"""The live day against a real server (SQLite and PostgreSQL): after the workers press on
their phones over HTTP, `GET /field/live` shows each route's progress and the alerts of
now (a stop running late, a client absent, a bus that will miss its arrive-by), each
with a ready re-plan that `POST /plans/{id}/events` takes as it is; a planner reads it
without names and without the re-plan; bad input is a 4xx naming the field."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import CENTRE, place

DAY = "2027-10-04"  # a Monday no other test plans


@dataclass(frozen=True)
class Live:
    plan_id: str
    visits: list[str]  # Anna's, in route order
    trip: str  # Piotr's, on the bus
    names: list[str]  # the clients' names
    clients: list[str]  # and ids


def _scenario(tag: str) -> dict[str, Any]:
    """Anna visits two clients (09:00-14:00); Piotr drives one to the clinic, to be
    there by 11:00."""
    lat, lon = CENTRE
    names = [f"Zofia Wąsowska {k}-{tag}" for k in range(3)]
    return {
        "date": DAY, "days": 1,
        "locations": [{"id": "base", "lat": lat, "lon": lon},
                      {"id": "clinic", "lat": place(9)[0], "lon": place(9)[1]}] + [
            {"id": f"home-{k}", "lat": place(k)[0], "lon": place(k)[1]} for k in range(3)],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "vehicles": [{"id": "bus-live", "name": "Bus", "seats": 4}],
        "clients": [{"id": f"c{k}-{tag}", "name": names[k], "location": f"home-{k}"}
                    for k in range(3)],
        "workers": [
            {"id": "w-anna", "name": "Anna Żółtowska", "provider": "cus",
             "skills": ["physio"], "shifts": [{"start": "08:00", "end": "16:00"}],
             "start_location": "base"},
            {"id": "w-piotr", "name": "Piotr Lewandowski", "provider": "cus",
             "skills": ["driving"], "vehicle": "bus-live",
             "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "base"}],
        "tasks": [{"id": f"v{k}-{tag}", "kind": "visit", "client": f"c{k}-{tag}",
                   "duration_min": 30, "windows": [{"start": "09:00", "end": "14:00"}],
                   "skills": ["physio"], "mandatory": True} for k in range(2)],
        "trips": [{"id": f"t-{tag}", "client": f"c2-{tag}", "dropoff": "clinic",
                   "arrive_by": "11:00", "mandatory": True}],
    }


@pytest.fixture(scope="module")
def live(server: Server) -> Iterator[Live]:
    tag = uuid.uuid4().hex[:6]
    coordinator = server.client("coordinator")
    scenario = _scenario(tag)
    answer = coordinator.post("/plans/jobs", json={"scenario": scenario, "max_solutions": 5})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    draft = coordinator.post("/plans", json={"job_id": job["id"]})
    plan_id = draft.json()["id"]
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    routes = coordinator.get(f"/plans/{plan_id}").json()["document"]["routes"]
    anna = [s["task"] for r in routes if r["worker"] == "w-anna" for s in r["stops"]]
    assert sorted(anna) == [f"v0-{tag}", f"v1-{tag}"], routes
    yield Live(plan_id, anna, f"t-{tag}", [c["name"] for c in scenario["clients"]],
               [c["id"] for c in scenario["clients"]])
    coordinator.close()


def _live(api: httpx.Client, now: datetime | str) -> dict[str, Any]:
    answer = api.get("/field/live", params={
        "day": DAY, "now": now if isinstance(now, str) else now.isoformat()})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _route(found: dict[str, Any], worker: str) -> dict[str, Any]:
    (route,) = [r for r in found["routes"] if r["worker"] == worker]
    return dict(route)


def _press(task: str, kind: str, at: datetime) -> dict[str, Any]:
    return {"key": str(uuid.uuid4()), "task_id": task, "kind": kind,
            "phone_at": at.isoformat()}


def _replanned(coordinator: httpx.Client, plan_id: str, body: dict[str, Any]
               ) -> dict[str, Any]:
    answer = coordinator.post(f"/plans/{plan_id}/events", json={**body, "max_solutions": 20})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    return dict(job)


def test_a_late_stop_is_an_alert_whose_delay_re_plans_as_it_is(
        live: Live, worker: httpx.Client, coordinator: httpx.Client) -> None:
    first = _route(_live(coordinator, f"{DAY}T06:00:00+02:00"), "w-anna")["stops"]
    assert [s["task"] for s in first] == live.visits
    assert [s["state"] for s in first] == ["pending", "pending"]
    start = datetime.fromisoformat(first[0]["planned_start"])
    end = datetime.fromisoformat(first[0]["planned_end"])
    sent = worker.post("/field/actions", json=[_press(live.visits[0], "arrived", start),
                                               _press(live.visits[0], "done", end)])
    assert sent.status_code == 200, sent.text
    second = datetime.fromisoformat(first[1]["planned_start"])
    found = _live(coordinator, second + timedelta(minutes=20))
    route = _route(found, "w-anna")
    assert (route["finished"], route["stops_total"]) == (1, 2)
    assert route["stops"][0]["state"] == "done"
    assert route["stops"][0]["actual_start"] is not None
    alerts = [a for a in found["alerts"] if a["worker"] == "w-anna"]
    assert [(a["kind"], a["task"], a["number"], a["minutes"]) for a in alerts] == [
        ("late", live.visits[1], 2, 20)]
    assert alerts[0]["worker_name"] == "Anna Żółtowska" and alerts[0]["text"]
    assert alerts[0]["replan"]["events"] == [
        {"kind": "started", "task": live.visits[0], "action": "serve", "at": start.isoformat()},
        {"kind": "finished", "task": live.visits[0], "action": "serve", "at": end.isoformat()},
        {"kind": "late", "task": live.visits[1], "action": "serve", "minutes": 20}]
    job = _replanned(coordinator, live.plan_id, alerts[0]["replan"])
    facts = job["plan"].get("replanning")
    assert job["plan"]["kpis"]["served"] == 3, (job["plan"]["kpis"], facts)


def test_a_client_absent_carries_a_no_show_the_re_plan_takes(
        live: Live, worker: httpx.Client, coordinator: httpx.Client) -> None:
    stops = _route(_live(coordinator, f"{DAY}T06:00:00+02:00"), "w-anna")["stops"]
    start = datetime.fromisoformat(stops[1]["planned_start"])
    sent = worker.post("/field/actions", json=[
        _press(live.visits[1], "arrived", start), _press(live.visits[1], "absent",
                                                         start + timedelta(minutes=3))])
    assert sent.status_code == 200, sent.text
    found = _live(coordinator, start + timedelta(minutes=10))
    (alert,) = [a for a in found["alerts"] if a["worker"] == "w-anna"]
    assert (alert["kind"], alert["task"], alert["minutes"]) == ("absent", live.visits[1], 0)
    assert alert["replan"]["events"][-1]["kind"] == "no_show"
    assert alert["replan"]["events"][-1]["at"] == (start + timedelta(minutes=3)).isoformat()
    assert _route(found, "w-anna")["finished"] == 2
    job = _replanned(coordinator, live.plan_id, alert["replan"])
    left = {u["task"]: u["reason"] for u in job["plan"]["unassigned"]}
    assert left.get(live.visits[1]) == "no_show", left


def test_a_late_bus_will_miss_its_arrive_by(
        live: Live, server: Server, coordinator: httpx.Client) -> None:
    stops = _route(_live(coordinator, f"{DAY}T06:00:00+02:00"), "w-piotr")["stops"]
    assert [(s["task"], s["action"]) for s in stops] == [(live.trip, "pickup"),
                                                         (live.trip, "dropoff")]
    assert stops[1]["due"] is not None and stops[0]["due"] is None
    due = datetime.fromisoformat(stops[1]["due"])
    assert due.hour == 11 and due.minute == 0
    pickup = datetime.fromisoformat(stops[0]["planned_start"])
    dropoff = stops[1]
    wait = (datetime.fromisoformat(dropoff["planned_start"])
            - datetime.fromisoformat(dropoff["planned_arrival"]))
    spare = due - datetime.fromisoformat(dropoff["planned_end"])
    late = spare + wait + timedelta(minutes=10)  # ten minutes past the arrive-by
    with closing(server.client("other-worker")) as piotr:
        sent = piotr.post("/field/actions", json=[_press(live.trip, "picked_up",
                                                         pickup + late)])
    assert sent.status_code == 200, sent.text
    found = _live(coordinator, pickup + late + timedelta(minutes=1))
    alerts = [a for a in found["alerts"] if a["worker"] == "w-piotr"]
    (alert,) = [a for a in alerts if a["kind"] == "arrive_by"]
    assert (alert["kind"], alert["task"], alert["number"], alert["action"]) == (
        "arrive_by", live.trip, 2, "dropoff")
    assert 9 <= alert["minutes"] <= 11, alert
    assert found["vehicles"] == ["bus-live"]
    assert alert["replan"] is not None
    tomorrow = _live(coordinator, "2027-10-05T08:00:00+02:00")
    assert tomorrow["alerts"] and all(a["replan"] is None for a in tomorrow["alerts"])


def test_a_planner_reads_the_live_day_without_names_or_re_plans(
        live: Live, planner: httpx.Client) -> None:
    found = _live(planner, f"{DAY}T13:00:00+02:00")
    text = str(found)
    for name in [*live.names, "Anna Żółtowska", "Piotr Lewandowski"]:
        assert name not in text
    assert found["alerts"] and all(a["replan"] is None for a in found["alerts"])
    for client in live.clients:
        assert client not in text
    assert all(s["client"] for r in found["routes"] for s in r["stops"])  # pseudonyms


def test_refusals_name_the_field(coordinator: httpx.Client, worker: httpx.Client) -> None:
    assert coordinator.get("/field/live", params={"day": "2031-01-07"}).status_code == 404
    naive = coordinator.get("/field/live", params={"day": DAY, "now": "2027-10-04T10:00"})
    assert naive.status_code == 422 and "now" in naive.text
    assert coordinator.get("/field/live", params={"day": "yesterday"}).status_code == 422
    assert worker.get("/field/live", params={"day": DAY}).status_code == 403
