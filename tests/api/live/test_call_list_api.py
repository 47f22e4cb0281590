"""Tomorrow's call list over HTTP, from the published plan: JSON, CSV and PDF for
coordinators only; rows marked against the last list issued after a re-plan; cells that
a spreadsheet cannot run; reads audited."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, plan_day, wait_for
from tests.api.live.records_data import client, put
from tests.api.pdf_text import pdf_text

DAY = "2027-06-02"  # the day after the servers' today (records_data.TODAY): "jutro"
EVIL = '=HYPERLINK("http://x","y")'


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_call_list_tells_each_client_when_and_who_and_marks_changes(
        coordinator: httpx.Client, planner: httpx.Client, worker: httpx.Client,
        anna: list[str], server: Server, tmp_path: Path) -> None:
    evil = f"c-{uuid.uuid4().hex[:8]}"
    put(coordinator, "/clients", {**client(evil, 2), "name": EVIL})
    clients = [*anna, evil]
    plan_id = plan_day(coordinator, DAY, "w-anna", clients)
    url = f"/days/{DAY}/call-list"
    assert coordinator.get(url).status_code == 404  # a draft is nobody's list
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200

    for path in (url, url + ".csv", url + ".pdf"):
        assert planner.get(path).status_code == 403, path
        assert worker.get(path).status_code == 403, path
    assert planner.post(url).status_code == 403

    before = len(coordinator.get("/audit", params={"username": "coordinator",
                                                    "limit": 500}).json()["items"])
    answer = coordinator.get(url)
    assert answer.status_code == 200, answer.text
    listed = answer.json()
    rows = {r["client_id"]: r for r in listed["rows"]}
    assert set(rows) == set(clients) and listed["last_issued_at"] is None
    for row in rows.values():
        assert row["phone"] == "+48 600 100 200" and row["mark"] == ""
        (item,) = row["items"]
        assert item["who"] == "Anna" and item["basis"] == "planned"
        assert item["what"] == "fizjoterapia"
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (item["start"], item["end"]))
        assert end - start == 60 and start % 15 == 0
        assert row["message"].startswith("Dzień dobry, jutro (środa 2 czerwca) między "
                                         f"{item['start']} a {item['end']}")
        assert "Anna (fizjoterapia)" in row["message"] and len(row["message"]) < 300
        assert "Żółtowska" not in row["message"]  # a worker's first name only
    after = coordinator.get("/audit", params={"username": "coordinator", "limit": 500}).json()
    assert {f"clients/{c}" for c in clients} <= {e["resource"] for e in after["items"]}
    assert len(after["items"]) > before

    table = _cells(coordinator.get(url + ".csv").content)
    assert table[0][:3] == ["zmiana", "klient", "telefon"]
    flat = [cell for line in table for cell in line]
    assert all(cell[:1] not in "=+-@" or cell == "" for cell in flat), flat
    assert "'" + EVIL in flat and "'+48 600 100 200" in flat

    issued = coordinator.post(url)
    assert issued.status_code == 200 and issued.json()["issued_at"]
    assert all(r["mark"] == "" for r in coordinator.get(url).json()["rows"])

    # a re-plan: the evil client's visit cancelled, a second visit for anna[0]
    task_of = {s["client"]: s["task"] for r in coordinator.get(f"/plans/{plan_id}").json()[
        "document"]["routes"] for s in r["stops"]}
    extra = f"x-{uuid.uuid4().hex[:6]}"
    body = {"now": "07:00", "max_solutions": 20, "events": [
        {"kind": "cancelled", "task": task_of[evil]},
        {"kind": "new_request", "task": {
            "id": extra, "kind": "visit", "client": anna[0], "duration_min": 30,
            "windows": [{"start": "14:00", "end": "15:00", "day": DAY}],
            "skills": ["physio"], "priority": "urgent"}}]}
    job = coordinator.post(f"/plans/{plan_id}/events", json=body)
    assert job.status_code == 202, job.text
    done = wait_for(coordinator, job.headers["Location"], lambda j: j["status"] in FINISHED)
    assert done["status"] == "done", done["error"]
    new_id = coordinator.post("/plans", json={"job_id": done["id"]}).json()["id"]
    assert coordinator.post(f"/plans/{new_id}/publish").status_code == 200

    marked = coordinator.get(url).json()
    assert marked["plan_id"] == new_id and marked["last_issued_by"] == "coordinator"
    rows = {r["client_id"]: r for r in marked["rows"]}
    assert rows[evil]["mark"] == "cancelled" and rows[evil]["items"] == []
    assert rows[evil]["client"] == EVIL and rows[evil]["phone"] == "+48 600 100 200"
    assert "odwołan" in rows[evil]["message"]
    assert rows[anna[0]]["mark"] == "changed" and "what" in rows[anna[0]]["changes"]
    assert "worker" not in rows[anna[0]]["changes"]  # Anna still
    assert [i["task"] for i in rows[anna[0]]["items"]][-1] == extra
    assert "2 wizyty" in rows[anna[0]]["message"]

    pdf = coordinator.get(url + ".pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Lista telefonów: środa 2 czerwca" in text
    assert "odwołany" in text and "zmiana" in text and "Zofia Wąsowska" in text
    assert "+48 600 100 200" in text and "planowane" in text

    # the command line: the same list from the same database, written and issued
    env = {**os.environ, "DATABASE_URL": server.database_url, "TRASA_TODAY": "2027-06-01",
           "TRASA_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "api.cli.main", "call-list", "--csv",
                           str(tmp_path / "l.csv"), "--pdf", str(tmp_path / "l.pdf")],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Wąsowska" in done.stdout and "odwołany" in done.stdout
    assert "'+48 600 100 200" in (tmp_path / "l.csv").read_text(encoding="utf-8-sig")
    assert "Lista telefonów" in pdf_text((tmp_path / "l.pdf").read_bytes())
    now = coordinator.get(url).json()  # the command issued it: nothing changed since
    assert now["last_issued_by"].startswith("cli") and all(r["mark"] == "" for r in now["rows"])
    bad = subprocess.run([sys.executable, "-m", "api.cli.main", "call-list", "--day",
                          "2030-01-01"], env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert bad.returncode == 2 and "no published plan" in bad.stderr
