"""The monthly report and the PES settlement from what the phones stored (issue 30): with
no actuals in the body, `POST /reports/{month}` and `POST /settlements/{month}` read the
stored actions (and corrections) of the month's published plans' tasks; `GET` shows the
delivered too once any is stored; the buses' odometer kilometres stand beside the planned
ones. A stop nobody pressed is unconfirmed, never done; the figures are recomputed here
from the stored actions as `GET /field/actuals` gives them."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

import httpx

from tests.api.live.conftest import WORKERS_PROVIDER, Server
from tests.api.live.jobs import plan_day
from tests.api.live.records_data import client, put
from tests.api.live.records_data import worker as worker_record

MONTH = "2027-07"  # a month of its own: no other live test publishes a plan in it
ANNA_DAY, DRIVER_DAY = "2027-07-06", "2027-07-07"


def _press(task: str, kind: str, at: datetime) -> dict[str, str]:
    return {"key": f"k-{uuid.uuid4().hex}", "task_id": task, "kind": kind,
            "phone_at": at.isoformat()}


def test_report_and_settlement_read_the_stored_actions(
        server: Server, coordinator: httpx.Client, planner: httpx.Client,
        worker: httpx.Client, anna: list[str]) -> None:
    extra = f"c-{uuid.uuid4().hex[:8]}"
    put(coordinator, "/clients", client(extra, 7))
    plan_id = plan_day(coordinator, ANNA_DAY, "w-anna", [*anna, extra])
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    document = coordinator.get(f"/plans/{plan_id}").json()["document"]
    stops = [s for r in document["routes"] for s in r["stops"]]
    assert len(stops) == 3
    before = coordinator.get(f"/reports/{MONTH}", params={"format": "json"})
    assert before.status_code == 200 and before.json()["delivered"] is None  # nothing yet

    first = datetime.fromisoformat(stops[0]["start"]) + timedelta(minutes=4)
    sent = worker.post("/field/actions", json=[
        _press(stops[0]["task"], "arrived", first),
        _press(stops[0]["task"], "done", first + timedelta(minutes=41)),
        _press(stops[1]["task"], "absent", datetime.fromisoformat(stops[1]["start"]))])
    assert sent.status_code == 200, sent.text
    assert [r["status"] for r in sent.json()["results"]] == ["accepted"] * 3
    # stops[2]: never pressed (missed): unconfirmed

    day = coordinator.get("/field/actuals", params={"day": ANNA_DAY}).json()
    done_s = sum(t["actual"]["delivered_s"] or 0 for t in day["tasks"]
                 if t["actual"]["outcome"] == "done")
    assert done_s == 41 * 60
    figures = planner.post(f"/reports/{MONTH}", params={"format": "json"})
    assert figures.status_code == 200, figures.text
    delivered = figures.json()["delivered"]
    assert delivered["service_s"] == done_s < figures.json()["service_s"]  # missed stops
    assert delivered["outcomes"] == {"done": 1, "started": 0, "absent": 1, "not_done": 0,
                                     "unconfirmed": 1}
    assert delivered["visits"] == 1 and delivered["km"] is None
    read = planner.get(f"/reports/{MONTH}", params={"format": "json"})
    assert read.json()["delivered"]["outcomes"] == delivered["outcomes"]
    given = planner.post(f"/reports/{MONTH}", params={"format": "json"}, json={
        "actuals": [{"task_id": stops[2]["task"], "outcome": "absent"}]})
    assert given.json()["delivered"]["outcomes"]["unconfirmed"] == 2  # the body wins

    body = {"provider": "cus-anna", "rates": {"per_hour": {"cus-anna": 60}}}
    settled = coordinator.post(f"/settlements/{MONTH}", params={"format": "json"}, json=body)
    assert settled.status_code == 200, settled.text
    assert settled.json()["total"] == f"{done_s / 3600 * 60:.2f}" == "41.00"
    assert [t["task"] for t in settled.json()["tasks"]] == [stops[0]["task"]]

    fix = coordinator.post("/field/corrections", json={
        "day": ANNA_DAY, "task_id": stops[2]["task"], "outcome": "done",
        "start": stops[2]["start"], "end": stops[2]["end"], "reason": "paper sheet"})
    assert fix.status_code in (200, 201), fix.text
    planned_s = (datetime.fromisoformat(stops[2]["end"])
                 - datetime.fromisoformat(stops[2]["start"])).total_seconds()
    again = planner.post(f"/reports/{MONTH}", params={"format": "json"}).json()["delivered"]
    assert again["service_s"] == done_s + planned_s and again["outcomes"]["unconfirmed"] == 0


def test_the_buses_odometer_beside_the_planned_kilometres(
        server: Server, coordinator: httpx.Client, planner: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:6]
    bus, driver = f"bus-{tag}", f"w-drv-{tag}"
    put(coordinator, "/vehicles", {"id": bus, "name": "Bus", "seats": 8})
    put(coordinator, "/workers", {**worker_record(driver, provider_id=WORKERS_PROVIDER),
                                  "vehicle": bus})
    clients = [f"c-{tag}-{k}" for k in range(2)]
    for k, c in enumerate(clients):
        put(coordinator, "/clients", client(c, 3 + k))
    plan_id = plan_day(coordinator, DRIVER_DAY, driver, clients)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    routes = coordinator.get(f"/plans/{plan_id}").json()["document"]["routes"]
    planned_m = sum(r["distance_m"] for r in routes if r["worker"] == driver)
    assert planned_m > 0
    set_ = coordinator.put(f"/field/odometer/{bus}/{DRIVER_DAY}",
                           json={"start_km": 5000, "end_km": 5023})
    assert set_.status_code == 200, set_.text

    km = planner.post(f"/reports/{MONTH}", params={"format": "json"}).json()["delivered"]["km"]
    assert km == {"bus_days": 1, "planned_km": round(planned_m / 1000, 1), "odometer_km": 23}
    table = planner.post(f"/reports/{MONTH}", params={"format": "csv"})
    rows = {r[0]: r for r in csv.reader(io.StringIO(table.content.decode("utf-8-sig")),
                                        delimiter=";")}
    assert rows["bus_km"][3] == "23"
