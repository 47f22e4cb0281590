"""The monthly report on delivered service and the PES settlement over HTTP, from a
published plan and actuals given in the body: coordinators see the paid tasks (audited),
planners totals only; bad actuals and a missing rate are 422 naming the field."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import httpx

from tests.api.live.jobs import plan_day
from tests.api.pdf_text import pdf_text

MONTH = "2027-03"


def test_delivered_report_and_settlement_over_http(
        coordinator: httpx.Client, planner: httpx.Client, worker: httpx.Client,
        anna: list[str]) -> None:
    plan_id = plan_day(coordinator, "2027-03-10", "w-anna", anna)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    document = coordinator.get(f"/plans/{plan_id}").json()["document"]
    stops = [s for r in document["routes"] for s in r["stops"]]
    assert len(stops) == 2
    start = datetime.fromisoformat(stops[0]["start"]) + timedelta(minutes=5)
    actuals = [{"task_id": stops[0]["task"], "outcome": "done", "start": start.isoformat(),
                "end": (start + timedelta(minutes=45)).isoformat()},
               {"task_id": stops[1]["task"], "outcome": "absent"}]

    figures = planner.post(f"/reports/{MONTH}", params={"format": "json"},
                           json={"actuals": actuals})
    assert figures.status_code == 200, figures.text
    delivered = figures.json()["delivered"]
    assert delivered["service_s"] == 45 * 60 < figures.json()["service_s"]
    assert delivered["outcomes"] == {"done": 1, "started": 0, "absent": 1, "not_done": 0,
                                     "unconfirmed": 0}
    assert "tasks" not in delivered and not any(c in figures.text for c in anna)
    table = planner.post(f"/reports/{MONTH}", params={"format": "csv"},
                         json={"actuals": actuals[:1]})
    rows = {r[0]: r for r in csv.reader(io.StringIO(table.content.decode("utf-8-sig")),
                                        delimiter=";")}
    assert rows["tasks_unconfirmed"][3] == "1" and rows["klucz"][2:4] == ["planowane",
                                                                           "zrealizowane"]

    body = {"provider": "cus-anna", "rates": {"per_hour": {"cus-anna": 50}},
            "actuals": actuals}
    full = coordinator.post(f"/settlements/{MONTH}", params={"format": "json"}, json=body)
    assert full.status_code == 200, full.text
    assert full.json()["total"] == "37.50" and full.json()["outcomes"]["absent"] == 1
    assert [t["client"] for t in full.json()["tasks"]] == [stops[0]["client"]]
    totals = planner.post(f"/settlements/{MONTH}", params={"format": "json"}, json=body)
    assert totals.json()["total"] == "37.50" and totals.json()["tasks"] == []
    assert not any(c in totals.text for c in anna)
    pdf = coordinator.post(f"/settlements/{MONTH}", json=body)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Rozliczenie PES — cus-anna, marzec 2027" in pdf_text(pdf.content)
    xlsx = coordinator.post(f"/settlements/{MONTH}", params={"format": "xlsx"}, json=body)
    assert xlsx.content[:2] == b"PK"

    bad = coordinator.post(f"/settlements/{MONTH}", json={
        **body, "actuals": [{"task_id": "x", "outcome": "finished"}]})
    assert bad.status_code == 422 and "actuals[0].outcome: 'finished'" in bad.text
    no_rate = coordinator.post(f"/settlements/{MONTH}", json={**body, "rates": {}})
    assert no_rate.status_code == 422 and "'cus-anna', service 'physiotherapy'" in no_rate.text
    nobody = coordinator.post(f"/settlements/{MONTH}", json={**body, "provider": "pes-x"})
    assert nobody.status_code == 422 and "provider: 'pes-x'" in nobody.text
    assert coordinator.post("/settlements/2027-13", json=body).status_code == 422
    assert coordinator.post("/settlements/2031-01", json=body).status_code == 404
    assert worker.post(f"/settlements/{MONTH}", json=body).status_code == 403
