"""Issue 29: offers over HTTP and promises kept, on SQLite and PostgreSQL (a real server
on the Chełm road network). An accepted offer is stored with its promise and every plan
from records keeps it; two coordinators accepting the same slot get one 201 and one 409
with fresh offers; a plain PUT cannot change a promise; withdrawing and moving are
audited with the reason; cancelling a request a published plan holds starts a re-plan;
a planner asking for offers sees pseudonyms and no names."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.store import packings
from api.store.database import session_scope
from api.store.tables import Job
from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import client, provider, put, worker
from tests.security.command_line import trasa

DAY = "2027-06-08"  # after the servers' today (records_data.TODAY)


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


def _one_slot(api: httpx.Client, day: str, *, end: str = "10:00") -> tuple[str, str, str]:
    """A worker with a skill no one else has, free on `day` from 09:00 to `end` only, and
    a client: (skill, worker id, client id). From 09:00 to 10:00 one 45-minute visit fits."""
    tag = uuid.uuid4().hex[:8]
    skill, worker_id, client_id = f"skill-{tag}", f"w-{tag}", f"c-{tag}"
    put(api, "/providers", provider(f"cus-{tag}"))
    put(api, "/workers", {**worker(worker_id, provider_id=f"cus-{tag}", skills=(skill,)),
                          "availability": [{"start": "09:00", "end": end, "day": day}]})
    put(api, "/clients", client(client_id, 1))
    return skill, worker_id, client_id


def _ask(api: httpx.Client, client_id: str, skill: str, day: str = DAY,
         **more: Any) -> httpx.Response:
    return api.post("/offers", json={"kind": "visit", "client": client_id, "first_day": day,
                                     "duration_min": 45, "skills": [skill],
                                     "window_min": 30, **more})


def test_an_accepted_offer_is_stored_with_its_promise_and_plans_keep_it(
        coordinator: httpx.Client) -> None:
    day = "2027-06-09"
    skill, worker_id, client_id = _one_slot(coordinator, day, end="14:00")
    answer = _ask(coordinator, client_id, skill, day, count=2)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["basis"] == "promises" and 1 <= len(found["offers"]) <= 2
    offer = found["offers"][0]
    assert offer["worker"] == worker_id and offer["worker_name"].startswith("Anna")
    window = offer["windows"][0]
    assert _minutes(window["end"]) - _minutes(window["start"]) == 30
    accepted = coordinator.post("/offers/accept", json={"token": offer["token"]})
    assert accepted.status_code == 201, accepted.text
    task_id = window["task"]
    stored = coordinator.get(f"/tasks/{task_id}").json()
    assert stored["promise"]["start"] == window["start"]
    assert stored["promise"]["by"] == "coordinator"
    job = coordinator.post("/plans/jobs", json={
        "records": {"first_day": day, "task_ids": [task_id], "worker_ids": [worker_id]},
        "max_solutions": 20})
    assert job.status_code == 202, job.text
    done = wait_for(coordinator, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    stops = [s for r in done["plan"]["routes"] for s in r["stops"] if s["task"] == task_id]
    assert len(stops) == 1
    start = _minutes(stops[0]["start"][11:16])
    assert _minutes(window["start"]) <= start <= _minutes(window["end"])


def test_two_coordinators_accepting_the_same_slot_get_one_201_and_one_409(
        server: Server, coordinator: httpx.Client) -> None:
    skill, _worker_id, client_id = _one_slot(coordinator, DAY)
    tokens = []
    for _ in range(2):
        answer = _ask(coordinator, client_id, skill)
        assert answer.status_code == 200, answer.text
        assert answer.json()["offers"], answer.text
        tokens.append(answer.json()["offers"][0]["token"])
    barrier = threading.Barrier(2)
    bearer = coordinator.headers["Authorization"]

    def accept(token: str) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60,
                          headers={"Authorization": bearer}) as api:
            api.get("/health")
            barrier.wait()
            return api.post("/offers/accept", json={"token": token})

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(accept, tokens))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert "fresh" in refused and refused["fresh"]["offers"] == []  # the one slot is taken
    assert refused["fresh"]["reason"] == "capacity_exhausted"  # said why, in words too
    assert "zajęty" in refused["fresh"]["why"]
    assert "token" in refused["detail"]


def _promised_task(api: httpx.Client, day: str = DAY) -> tuple[str, dict[str, Any]]:
    skill, _worker_id, client_id = _one_slot(api, day, end="15:00")
    offer = _ask(api, client_id, skill, day).json()["offers"][0]
    assert api.post("/offers/accept", json={"token": offer["token"]}).status_code == 201
    return offer["windows"][0]["task"], offer


def test_a_plain_put_cannot_change_a_promise(coordinator: httpx.Client) -> None:
    task_id, _offer = _promised_task(coordinator)
    read = coordinator.get(f"/tasks/{task_id}")
    body = read.json()
    changed = {**body, "promise": {**body["promise"], "start": "06:00"}}
    refused = coordinator.put(f"/tasks/{task_id}", json=changed,
                              headers={"If-Match": read.headers["ETag"]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "body.promise"
    gone = coordinator.put(f"/tasks/{task_id}", json={**body, "promise": None},
                           headers={"If-Match": read.headers["ETag"]})
    assert gone.status_code == 422, gone.text
    without = {k: v for k, v in body.items() if k != "promise"}
    kept = coordinator.put(f"/tasks/{task_id}", json={**without, "note": "drzwi od podwórza"},
                           headers={"If-Match": read.headers["ETag"]})
    assert kept.status_code == 200, kept.text
    assert kept.json()["promise"] == body["promise"]
    made = coordinator.post("/tasks", json={**body, "id": f"x-{uuid.uuid4().hex[:6]}"})
    assert made.status_code == 422 and "promise" in made.text


def _audit(api: httpx.Client, resource: str) -> list[dict[str, Any]]:
    page = api.get("/audit", params={"resource": resource, "limit": 50})
    assert page.status_code == 200, page.text
    return list(page.json()["items"])


def test_withdrawing_and_moving_a_promise_are_audited_with_the_reason(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    task_id, offer = _promised_task(coordinator)
    etag = coordinator.get(f"/tasks/{task_id}").headers["ETag"]
    assert coordinator.delete(f"/tasks/{task_id}/promise",
                              params={"reason": "x"}).status_code == 428
    assert planner.delete(f"/tasks/{task_id}/promise", params={"reason": "x"},
                          headers={"If-Match": etag}).status_code == 403
    start = offer["windows"][0]["start"]
    later = f"{_minutes(start) // 60 + 1:02d}:{start[3:]}"
    end = f"{_minutes(later) // 60:02d}:{(_minutes(later) + 30) % 60:02d}"
    if _minutes(end) <= _minutes(later):
        end = f"{_minutes(later) // 60 + 1:02d}:{(_minutes(later) + 30) % 60:02d}"
    moved = coordinator.put(f"/tasks/{task_id}/promise",
                            json={"start": later, "end": end, "reason": "wnuczka przyjedzie"},
                            headers={"If-Match": etag})
    assert moved.status_code == 200, moved.text
    read = coordinator.get(f"/tasks/{task_id}")
    assert read.json()["promise"]["start"] == later
    withdrawn = coordinator.delete(f"/tasks/{task_id}/promise",
                                   params={"reason": "klientka w szpitalu"},
                                   headers={"If-Match": read.headers["ETag"]})
    assert withdrawn.status_code == 204, withdrawn.text
    assert coordinator.get(f"/tasks/{task_id}").json()["promise"] is None
    entries = {e["action"]: e for e in _audit(coordinator, f"tasks/{task_id}")}
    assert "klientka w szpitalu" in entries["promise withdrawn"]["detail"]
    assert "wnuczka przyjedzie" in entries["promise moved"]["detail"]
    assert entries["promise made"]["username"] == "coordinator"


def _published_with_promise(api: httpx.Client, day: str) -> tuple[str, dict[str, Any]]:
    """A promised visit on `day` in the day's published plan: (task id, its offer)."""
    skill, worker_id, client_id = _one_slot(api, day, end="14:00")
    offer = _ask(api, client_id, skill, day).json()["offers"][0]
    assert api.post("/offers/accept", json={"token": offer["token"]}).status_code == 201
    task_id = offer["windows"][0]["task"]
    job = api.post("/plans/jobs", json={
        "records": {"first_day": day, "task_ids": [task_id], "worker_ids": [worker_id]},
        "max_solutions": 20})
    done = wait_for(api, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    draft = api.post("/plans", json={"job_id": done["id"]}).json()
    published = api.post(f"/plans/{draft['id']}/publish", params={"force": "true"})
    assert published.status_code == 200, published.text
    return task_id, offer


def test_moving_a_promise_a_published_plan_holds_replans_it_at_the_new_time(
        coordinator: httpx.Client) -> None:
    task_id, _offer = _published_with_promise(coordinator, "2027-06-11")
    etag = coordinator.get(f"/tasks/{task_id}").headers["ETag"]
    moved = coordinator.put(f"/tasks/{task_id}/promise",
                            json={"start": "12:00", "end": "12:30", "reason": "po obiedzie"},
                            headers={"If-Match": etag})
    assert moved.status_code == 200, moved.text
    job_id = moved.json()["replan_job"]
    assert job_id is not None
    finished = wait_for(coordinator, f"/plans/jobs/{job_id}", lambda j: j["status"] in FINISHED)
    assert finished["status"] == "done", finished["error"]
    stops = [s for r in finished["plan"]["routes"] for s in r["stops"]
             if s["task"].startswith(task_id)]
    assert [s["task"] for s in stops] == [f"{task_id}~moved1"]
    assert "12:00" <= stops[0]["start"][11:16] <= "12:30"


def test_cancelling_a_request_a_published_plan_holds_starts_a_replan(
        coordinator: httpx.Client) -> None:
    task_id, _offer = _published_with_promise(coordinator, "2027-06-10")
    etag = coordinator.get(f"/tasks/{task_id}").headers["ETag"]
    cancelled = coordinator.post(f"/tasks/{task_id}/cancel", json={"reason": "odwołała"},
                                 headers={"If-Match": etag})
    assert cancelled.status_code == 202, cancelled.text
    replan = cancelled.json()["job"]
    stored = coordinator.get(f"/tasks/{task_id}").json()
    assert stored["status"] == "cancelled" and stored["promise"] is None
    finished = wait_for(coordinator, f"/plans/jobs/{replan['id']}",
                        lambda j: j["status"] in FINISHED)
    assert finished["status"] == "done", finished["error"]
    assert all(s["task"] != task_id for r in finished["plan"]["routes"] for s in r["stops"])
    assert any(e["action"] == "request cancelled"
               for e in _audit(coordinator, f"tasks/{task_id}"))


def test_a_planner_asking_for_offers_sees_no_names(coordinator: httpx.Client,
                                                   planner: httpx.Client) -> None:
    skill, _worker_id, client_id = _one_slot(coordinator, DAY, end="16:00")
    first = _ask(coordinator, client_id, skill).json()["offers"][0]
    assert coordinator.post("/offers/accept", json={"token": first["token"]}).status_code == 201
    alias = planner.get(f"/tasks/{first['windows'][0]['task']}").json()["client"]
    assert alias != client_id
    seen = _ask(planner, alias, skill)
    assert seen.status_code == 200, seen.text
    text = seen.text
    assert client_id not in text and "Wąsowska" not in text and "Żółtowska" not in text
    assert seen.json()["client"] == alias
    assert seen.json()["offers"] and all(o["worker_name"] is None
                                         for o in seen.json()["offers"])
    offer = seen.json()["offers"][0]
    assert planner.post("/offers/accept", json={"token": offer["token"]}).status_code == 403
    probe = _ask(planner, client_id, skill)  # a real id stands for no client
    assert probe.status_code == 422 and client_id in probe.text


def test_bad_offer_requests_are_refused_naming_the_field(coordinator: httpx.Client) -> None:
    for body, field in (({"kind": "visit", "client": "nobody-here", "first_day": DAY},
                         "client"),
                        ({"kind": "visit", "client": "x", "first_day": DAY, "count": 9},
                         "count"),
                        ({"kind": "visit", "client": "x", "first_day": DAY, "window_min": 10},
                         "window_min"),
                        ({"kind": "trip", "client": "x", "first_day": DAY}, "dropoff")):
        answer = coordinator.post("/offers", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert field in answer.text, answer.text
    bad = coordinator.post("/offers/accept", json={"token": "not-a-token-at-all"})
    assert bad.status_code == 422 and "token" in bad.text


def test_a_day_offer_goes_into_the_weeks_stored_plan_and_a_week_plan_falls_back_on_it(
        server: Server, coordinator: httpx.Client) -> None:
    monday, wednesday = "2027-08-02", "2027-08-04"  # a week of its own
    tag = uuid.uuid4().hex[:8]
    skill, first, second = f"skill-{tag}", f"c1-{tag}", f"c2-{tag}"
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    put(coordinator, "/workers", worker(f"w-{tag}", provider_id=f"cus-{tag}", skills=(skill,)))
    put(coordinator, "/clients", client(first, 1))
    put(coordinator, "/clients", client(second, 3))
    tasks = []
    for client_id, day, days in ((first, monday, 7), (second, wednesday, 1)):
        answer = _ask(coordinator, client_id, skill, day, days=days)
        assert answer.status_code == 200 and answer.json()["offers"], answer.text
        offer = answer.json()["offers"][0]
        accepted = coordinator.post("/offers/accept", json={"token": offer["token"]})
        assert accepted.status_code == 201, accepted.text
        tasks.append(offer["windows"][0]["task"])
    with session_scope(server.database_url) as session:
        week = packings.packing(session, date.fromisoformat(monday), 7)
        assert week is not None  # the day's promise carried into the week's plan
        assert {s["task"] for r in week.document["routes"] for s in r["stops"]} == set(tasks)
        document = week.document
    job = coordinator.post("/plans/jobs", json={
        "records": {"first_day": monday, "days": 7, "task_ids": tasks,
                    "worker_ids": [f"w-{tag}"]}, "max_solutions": 20})
    assert job.status_code == 202, job.text
    with session_scope(server.database_url) as session:
        stored = session.get(Job, job.json()["id"])
        assert stored is not None and stored.request["packing"] == document
    done = wait_for(coordinator, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    assert {s["task"] for r in done["plan"]["routes"] for s in r["stops"]} == set(tasks)


def test_a_trip_with_its_return_for_a_new_client_is_offered_and_stored(
        coordinator: httpx.Client) -> None:
    day, tag = "2027-06-14", uuid.uuid4().hex[:8]
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    put(coordinator, "/vehicles", {"id": f"bus-{tag}", "seats": 6, "wheelchair_places": 1})
    put(coordinator, "/workers", {
        **worker(f"d-{tag}", provider_id=f"cus-{tag}", skills=("driving",)),
        "vehicle": f"bus-{tag}", "availability": [{"start": "07:00", "end": "15:00",
                                                   "day": day}]})
    home = client("x", 2)
    answer = coordinator.post("/offers", json={
        "kind": "trip", "first_day": day,
        "new_client": {"name": "Jan Nowy", "phone": "+48 600 000 111",
                       "address": home["address"], "lat": home["lat"], "lon": home["lon"]},
        "dropoff": {"id": f"clinic-{tag}", "name": "Przychodnia", "lat": 51.1391,
                    "lon": 23.4650},
        "arrive_by": "10:30", "appointment_min": 60, "with_return": True})
    assert answer.status_code == 200, answer.text
    offer = answer.json()["offers"][0]
    assert [w["task"].endswith("-back") for w in offer["windows"]] == [False, True]
    out, back = offer["windows"]
    # picked up before 10:30, back no earlier than the appointment's hour after that
    assert out["end"] <= "10:30"
    assert _minutes(back["end"]) >= _minutes(out["start"]) + 60
    accepted = coordinator.post("/offers/accept", json={"token": offer["token"]})
    assert accepted.status_code == 201, accepted.text
    stored = coordinator.get(f"/trips/{back['task']}").json()
    assert stored["return_of"] == out["task"] and stored["promise"]["start"] == back["start"]
    assert stored["dropoff"]["lat"] == home["lat"]
    new_client = coordinator.get(f"/clients/{stored['client']}").json()
    assert new_client["name"] == "Jan Nowy"
    etag = coordinator.get(f"/trips/{out['task']}").headers["ETag"]
    cancelled = coordinator.post(f"/trips/{out['task']}/cancel", json={"reason": "zdrowy"},
                                 headers={"If-Match": etag})
    assert cancelled.status_code == 200, cancelled.text  # no published plan holds it
    assert cancelled.json()["cancelled"] == [out["task"], back["task"]]
    assert coordinator.get(f"/trips/{back['task']}").json()["status"] == "cancelled"


def test_trasa_offer_on_the_records_of_a_day_accepts_an_offer(
        server: Server, coordinator: httpx.Client, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    day = "2027-06-15"
    skill, worker_id, client_id = _one_slot(coordinator, day, end="12:00")
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"kind": "visit", "client": client_id, "first_day": day,
                                   "duration_min": 45, "skills": [skill]}), encoding="utf-8")
    monkeypatch.setenv("TRASA_GRAPH", server.env["TRASA_GRAPH"])
    ran = trasa(server, "offer", "--day", day, str(request), "--accept", "1")
    assert ran.returncode == 0, ran.stderr
    assert "1" in ran.stdout and worker_id in ran.stdout
    page = coordinator.get("/tasks", params={"client": client_id}).json()
    assert [t["promise"]["by"].startswith("cli") for t in page["items"]] == [True]
    assert any(e["action"] == "promise made"
               for e in _audit(coordinator, f"tasks/{page['items'][0]['id']}"))


def test_trasa_offer_on_a_scenario_keeps_its_promises(tmp_path: Path,
                                                      chelm_graph: Path) -> None:
    home = client("x", 1)
    scenario = {
        "date": "2027-06-16", "network": {"source": str(chelm_graph)},
        "locations": [{"id": "base", "lat": 51.1331, "lon": 23.4716},
                      {"id": "home", "lat": home["lat"], "lon": home["lon"]}],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "clients": [{"id": "c1", "location": "home"}],
        "workers": [{"id": "anna", "provider": "cus", "skills": ["physio"],
                     "shifts": [{"start": "09:00", "end": "11:00"}],
                     "start_location": "base"}],
        "tasks": [{"id": "kept", "kind": "visit", "client": "c1", "duration_min": 45,
                   "windows": [{"start": "09:00", "end": "11:00"}], "skills": ["physio"],
                   "promise": {"start": "09:00", "end": "09:30"}}]}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    (tmp_path / "request.json").write_text(json.dumps({
        "kind": "visit", "client": "c1", "first_day": "2027-06-16", "duration_min": 45,
        "skills": ["physio"], "window_min": 30, "count": 5}), encoding="utf-8")
    ran = subprocess.run([sys.executable, "-m", "api.cli.main", "offer",
                          str(tmp_path / "scenario.json"), str(tmp_path / "request.json"),
                          "--json"], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    offers = json.loads(ran.stdout)["offers"]
    # the promised visit starts by 09:30 and lasts 45 minutes: no new visit can start
    # before 09:45, so no offered window ends earlier
    assert offers and all(o["windows"][0]["end"] >= "09:45" for o in offers), offers
    # and no window opens more than a quarter hour before anyone can come (09:45)
    assert all(o["windows"][0]["start"] >= "09:30" for o in offers), offers


def test_a_clients_preferred_worker_is_offered_first_when_travel_is_equal(
        coordinator: httpx.Client) -> None:
    day, tag = "2027-08-11", uuid.uuid4().hex[:8]
    skill, client_id = f"skill-{tag}", f"c-{tag}"
    put(coordinator, "/providers", provider(f"cus-{tag}"))
    # the same base and shift: only the client's wish tells the two apart
    for wid in (f"a-{tag}", f"b-{tag}"):
        put(coordinator, "/workers", worker(wid, provider_id=f"cus-{tag}", skills=(skill,)))
    put(coordinator, "/clients", {**client(client_id, 2), "prefers_workers": [f"b-{tag}"]})
    answer = _ask(coordinator, client_id, skill, day, count=1)
    assert answer.status_code == 200, answer.text
    assert answer.json()["offers"][0]["worker"] == f"b-{tag}"
