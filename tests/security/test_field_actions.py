"""Workers' presses from the phone against a real server (SQLite and PostgreSQL): each
stored exactly once however often and however concurrently it is sent, folded in the
phone's order whatever order it arrives in; an impossible press (another worker's
task, the wrong button, a closed day) kept as rejected, answered in Polish and shown to
the coordinator; a planner's view without names or notes; corrections audited; the
odometer only from a coordinator or the bus's driver."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.store.database import session_scope
from api.store.tables import FieldAction
from tests.api.live.conftest import PASSWORD, WORKERS_PROVIDER, Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.live.records_data import CENTRE, client, place, put
from tests.api.live.records_data import worker as worker_record

ANNA_DAY, PIOTR_DAY, CLOSED_DAY = "2027-09-06", "2027-09-07", "2027-09-08"  # Mon-Wed
NOTE = "klucz u sąsiadki spod 4"


@dataclass(frozen=True)
class Days:
    anna: list[str]  # her tasks on ANNA_DAY
    anna_clients: list[str]
    piotr: list[str]  # his task on PIOTR_DAY
    closing: list[str]  # anna's task on CLOSED_DAY


def _scenario(tag: str) -> dict[str, Any]:
    """Three days, one solve: Anna (physio) visits two clients on ANNA_DAY and one on
    CLOSED_DAY; Piotr (who alone can lift) visits one on PIOTR_DAY."""
    lat, lon = CENTRE
    visits = [(f"a1-{tag}", ANNA_DAY, "physio"), (f"a2-{tag}", ANNA_DAY, "physio"),
              (f"p1-{tag}", PIOTR_DAY, "lift"), (f"c1-{tag}", CLOSED_DAY, "physio")]
    return {
        "date": ANNA_DAY, "days": 3,
        "locations": [{"id": "base", "lat": lat, "lon": lon}] + [
            {"id": f"home-{k}", "lat": place(k)[0], "lon": place(k)[1]} for k in range(4)],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "clients": [{"id": f"c{k}-{tag}", "name": f"Zofia Wąsowska {k}",
                     "location": f"home-{k}"} for k in range(4)],
        "workers": [{"id": w, "name": f"{w} Żółtowska", "provider": "cus", "skills": [skill],
                     "shifts": [{"start": "08:00", "end": "16:00", "day": "daily"}],
                     "start_location": "base"}
                    for w, skill in (("w-anna", "physio"), ("w-piotr", "lift"))],
        "tasks": [{"id": t, "kind": "visit", "client": f"c{k}-{tag}", "duration_min": 30,
                   "windows": [{"start": "09:00", "end": "15:00", "day": day}],
                   "skills": [skill], "mandatory": True}
                  for k, (t, day, skill) in enumerate(visits)],
    }


@pytest.fixture(scope="module")
def days(server: Server) -> Iterator[Days]:
    """The three days published (one plan), with each task on its worker's route."""
    tag = uuid.uuid4().hex[:6]
    coordinator = server.client("coordinator")
    put(coordinator, "/clients", client(f"c0-{tag}", 0))  # a stored client, to erase
    answer = coordinator.post("/plans/jobs", json={"scenario": _scenario(tag),
                                                   "max_solutions": 5})
    assert answer.status_code == 202, answer.text
    job = wait_for(coordinator, answer.headers["Location"], lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    draft = coordinator.post("/plans", json={"job_id": job["id"]})
    assert draft.status_code == 201, draft.text
    plan_id = draft.json()["id"]
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    routes = coordinator.get(f"/plans/{plan_id}").json()["document"]["routes"]
    placed = {(r["worker"], s["task"]) for r in routes for s in r["stops"]}
    assert placed == {("w-anna", f"a1-{tag}"), ("w-anna", f"a2-{tag}"),
                      ("w-piotr", f"p1-{tag}"), ("w-anna", f"c1-{tag}")}, placed
    yield Days([f"a1-{tag}", f"a2-{tag}"], [f"c0-{tag}", f"c1-{tag}"], [f"p1-{tag}"],
               [f"c1-{tag}"])
    coordinator.close()


def _press(task: str, kind: str, at: str, day: str = ANNA_DAY, **more: str) -> dict[str, Any]:
    return {"key": str(uuid.uuid4()), "task_id": task, "kind": kind,
            "phone_at": f"{day}T{at}:00+02:00", **more}


def _stored(server: Server, keys: list[str]) -> int:
    with session_scope(server.database_url) as session:
        return session.scalar(select(func.count()).select_from(FieldAction)
                              .where(FieldAction.key.in_(keys))) or 0


def _actual(coordinator: httpx.Client, day: str, task: str) -> dict[str, Any]:
    answer = coordinator.get("/field/actuals", params={"day": day})
    assert answer.status_code == 200, answer.text
    (row,) = [r for r in answer.json()["tasks"] if r["task"] == task]
    return dict(row["actual"])


def test_a_batch_sent_twice_is_stored_once_and_answered_alike(
        days: Days, worker: httpx.Client, coordinator: httpx.Client, server: Server) -> None:
    task = days.anna[0]
    batch = [_press(task, "arrived", "09:02"), _press(task, "done", "09:50", note=NOTE)]
    first = worker.post("/field/actions", json=batch)
    again = worker.post("/field/actions", json=batch)
    assert first.status_code == again.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == ["accepted"] * 2
    assert [r["repeated"] for r in first.json()["results"]] == [False, False]
    assert [r["repeated"] for r in again.json()["results"]] == [True, True]
    assert [{**r, "repeated": None} for r in first.json()["results"]] == \
        [{**r, "repeated": None} for r in again.json()["results"]]
    assert _stored(server, [p["key"] for p in batch]) == 2
    actual = _actual(coordinator, ANNA_DAY, task)
    assert (actual["outcome"], actual["corrected"]) == ("done", False)
    assert actual["start"] == "2027-09-06T07:02:00+00:00"  # stored in UTC
    assert actual["delivered_s"] == 48 * 60


def test_a_late_out_of_order_replay_folds_in_the_phones_order(
        days: Days, worker: httpx.Client, coordinator: httpx.Client) -> None:
    task = days.anna[1]
    arrived, done = _press(task, "arrived", "11:00"), _press(task, "done", "11:45")
    assert worker.post("/field/actions", json=[done]).status_code == 200
    assert _actual(coordinator, ANNA_DAY, task)["start"] is None
    assert worker.post("/field/actions", json=[done, arrived]).status_code == 200
    actual = _actual(coordinator, ANNA_DAY, task)
    assert (actual["outcome"], actual["start"], actual["end"]) == (
        "done", "2027-09-06T09:00:00+00:00", "2027-09-06T09:45:00+00:00")


def test_another_workers_task_is_rejected_kept_and_shown_to_the_coordinator(
        days: Days, worker: httpx.Client, coordinator: httpx.Client, server: Server) -> None:
    theirs = _press(days.piotr[0], "arrived", "10:00", day=PIOTR_DAY)
    answer = worker.post("/field/actions", json=[theirs])
    assert answer.status_code == 409, answer.text
    (result,) = answer.json()["results"]
    assert (result["status"], result["rejected_why"]) == ("rejected", "other_worker")
    assert "na trasie innej osoby" in result["message"] == answer.json()["detail"]
    assert worker.post("/field/actions", json=[theirs]).json()["results"][0]["repeated"]
    assert _stored(server, [theirs["key"]]) == 1
    shown = coordinator.get("/field/actuals", params={"day": PIOTR_DAY}).json()
    (kept,) = [r for r in shown["rejected"] if r["key"] == theirs["key"]]
    assert (kept["worker"], kept["rejected_why"]) == ("w-anna", "other_worker")
    assert kept["message"].startswith("Ten punkt jest na trasie innej osoby")
    assert _actual(coordinator, PIOTR_DAY, days.piotr[0])["outcome"] == "unconfirmed"


def test_a_mixed_batch_answers_each_press_and_odd_input_names_its_field(
        days: Days, worker: httpx.Client, planner: httpx.Client) -> None:
    wrong = _press(days.anna[0], "picked_up", "09:10")  # a bus's button on a visit
    fine = _press(days.anna[0], "arrived", "09:03")
    answer = worker.post("/field/actions", json=[wrong, fine])
    assert answer.status_code == 200, answer.text
    assert [(r["status"], r["rejected_why"]) for r in answer.json()["results"]] == [
        ("rejected", "kind_mismatch"), ("accepted", None)]
    naive = {**_press(days.anna[0], "done", "09:40"), "phone_at": "2027-09-06T09:40:00"}
    for odd, field in ((naive, "body[0].phone_at"),
                       ({**fine, "key": "x"}, "body[0].key"),
                       ({**fine, "phone_at": "9999-12-31T23:59:00-12:00"}, "body[0].phone_at"),
                       ({**fine, "lat": 51.13}, "body[0].lat"),
                       ({**fine, "kind": "teleported"}, "body[0].kind"),
                       ({**fine, "note": "x" * 201}, "body[0].note")):
        refused = worker.post("/field/actions", json=[odd])
        assert refused.status_code == 422, refused.text
        assert field in {e["field"] for e in refused.json()["errors"]}, refused.text
    assert worker.post("/field/actions", json=[]).status_code == 422
    assert planner.post("/field/actions", json=[fine]).status_code == 403


def test_a_closed_day_rejects_presses_and_takes_audited_corrections(
        days: Days, worker: httpx.Client, coordinator: httpx.Client) -> None:
    task = days.closing[0]
    before = _press(task, "arrived", "09:00", day=CLOSED_DAY)
    assert worker.post("/field/actions", json=[before]).status_code == 200
    assert worker.post(f"/field/days/{CLOSED_DAY}/close").status_code == 403
    closed = coordinator.post(f"/field/days/{CLOSED_DAY}/close")
    assert closed.status_code == 201 and closed.json()["closed_by"] == "coordinator"
    assert coordinator.post(f"/field/days/{CLOSED_DAY}/close").status_code == 200
    late = worker.post("/field/actions", json=[_press(task, "done", "09:45", day=CLOSED_DAY)])
    assert late.status_code == 409
    assert late.json()["results"][0]["rejected_why"] == "day_closed"
    assert "zamknął już ten dzień" in late.json()["results"][0]["message"]
    assert _actual(coordinator, CLOSED_DAY, task)["outcome"] == "started"

    correction = {"day": CLOSED_DAY, "task_id": task, "outcome": "done",
                  "start": f"{CLOSED_DAY}T09:00:00+02:00", "end": f"{CLOSED_DAY}T09:45:00+02:00",
                  "reason": "potwierdzone telefonicznie"}
    assert worker.post("/field/corrections", json=correction).status_code == 403
    assert coordinator.post("/field/corrections", json={**correction, "reason": ""}
                            ).status_code == 422
    backwards = coordinator.post("/field/corrections", json={
        **correction, "end": f"{CLOSED_DAY}T08:00:00+02:00"})
    assert backwards.status_code == 422 and "end" in backwards.text
    assert coordinator.post("/field/corrections", json={**correction, "task_id": "t-nope"}
                            ).status_code == 404
    made = coordinator.post("/field/corrections", json=correction)
    assert made.status_code == 201, made.text
    actual = _actual(coordinator, CLOSED_DAY, task)
    assert (actual["outcome"], actual["corrected"], actual["delivered_s"]) == ("done", True,
                                                                             45 * 60)
    audit = coordinator.get("/audit", params={"resource": f"tasks/{task}"}).json()["items"]
    assert [(e["action"], e["username"], e["detail"]) for e in audit] == [
        ("actual correct", "coordinator", "done: potwierdzone telefonicznie")]


def test_a_planner_sees_figures_without_names_or_notes(
        days: Days, worker: httpx.Client, coordinator: httpx.Client,
        planner: httpx.Client) -> None:
    noted = _press(days.anna[0], "not_done", "09:20", note=NOTE, reason="ból pleców")
    worker.post("/field/actions", json=[noted])
    assert NOTE in coordinator.get("/field/actuals", params={"day": ANNA_DAY}).text
    answer = planner.get("/field/actuals", params={"day": ANNA_DAY})
    assert answer.status_code == 200, answer.text
    text = answer.text
    for secret in (NOTE, "ból pleców", "Żółtowska", "Wąsowska", *days.anna_clients):
        assert secret not in text, secret
    seen = answer.json()
    assert sum(seen["counts"].values()) == len(seen["tasks"]) == len(days.anna)
    assert all(r["client"].startswith("client-") for r in seen["tasks"])
    assert worker.get("/field/actuals", params={"day": ANNA_DAY}).status_code == 403


def test_two_phones_sending_one_key_at_once_store_it_once(
        days: Days, server: Server, worker: httpx.Client) -> None:
    press = _press(days.anna[1], "arrived", "10:58")
    barrier = threading.Barrier(2)
    answers: list[httpx.Response] = []
    token = worker.headers["Authorization"]

    def send() -> None:
        with httpx.Client(base_url=server.url, timeout=30,
                          headers={"Authorization": token}) as phone:
            barrier.wait()
            answers.append(phone.post("/field/actions", json=[press]))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert _stored(server, [press["key"]]) == 1
    assert sorted(a.json()["results"][0]["repeated"] for a in answers) == [False, True]


def test_the_odometer_from_a_coordinator_or_the_buss_driver(
        coordinator: httpx.Client, worker: httpx.Client, server: Server) -> None:
    bus = f"bus-{uuid.uuid4().hex[:6]}"
    put(coordinator, "/vehicles", {"id": bus, "name": "Bus", "seats": 8})
    url = f"/field/odometer/{bus}/{ANNA_DAY}"
    assert worker.put(url, json={"start_km": 1000}).status_code == 403  # not her bus
    refused = coordinator.put(url, json={"start_km": 1000, "end_km": 990})
    assert refused.status_code == 422 and "end_km" in refused.text
    set_ = coordinator.put(url, json={"start_km": 1000, "end_km": 1087})
    assert set_.status_code == 200 and set_.json()["km"] == 87
    assert coordinator.put(f"/field/odometer/no-bus/{ANNA_DAY}",
                           json={"start_km": 1}).status_code == 404
    tag = bus.removeprefix("bus-")  # a driver of this bus, and their account
    put(coordinator, "/workers", {**worker_record(f"w-drv-{tag}", provider_id=WORKERS_PROVIDER),
                                  "vehicle": bus})
    made = coordinator.post("/users", json={"username": f"drv-{tag}", "password": PASSWORD,
                                            "role": "worker", "worker_id": f"w-drv-{tag}"})
    assert made.status_code == 201, made.text
    driver = server.client(f"drv-{tag}")
    by_driver = driver.put(url, json={"start_km": 1000, "end_km": 1090})
    driver.close()
    assert by_driver.status_code == 200 and by_driver.json()["by"] == f"drv-{tag}"
    audit = coordinator.get("/audit", params={"resource": f"vehicles/{bus}/days/{ANNA_DAY}"})
    assert [e["username"] for e in audit.json()["items"]] == [f"drv-{tag}", "coordinator"]


def test_a_clients_erasure_takes_the_notes_of_presses_on_their_tasks(
        days: Days, worker: httpx.Client, coordinator: httpx.Client) -> None:
    client_id = days.anna_clients[0]  # of days.anna[0], which has presses with NOTE
    worker.post("/field/actions", json=[_press(days.anna[0], "done", "09:55", note=NOTE)])
    export = coordinator.get(f"/clients/{client_id}/export")
    assert export.status_code == 200, export.text
    assert NOTE in {a["note"] for a in export.json()["field_actions"]}
    erased = coordinator.post(f"/clients/{client_id}/erase")
    assert erased.status_code == 200, erased.text
    assert NOTE not in coordinator.get("/field/actuals", params={"day": ANNA_DAY}).text
    after = coordinator.get(f"/clients/{client_id}/export").json()["field_actions"]
    assert after and all(a["note"] == "" for a in after)
    assert _actual(coordinator, ANNA_DAY, days.anna[0])["outcome"] == "done"  # counts stay
