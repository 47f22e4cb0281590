"""Issue 27, row 2: a planner sees pseudonyms, and pseudonyms mean it. No answer a
planner can get (records, plans, job results, GeoJSON, reports in every format, the web
pages, errors) holds a client's name, address, phone, note or home coordinates, not
even a return trip's drop-off at home; a filter by a real client id reveals nothing
(by a pseudonym it works). Coordinators' reads of personal records are audited. On
SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pytest

from tests.api.live.jobs import FINISHED, wait_for
from tests.api.pdf_text import pdf_text
from tests.security.privacy_data import People, leaks, people, personal_values

DAY, MONTH = "2027-05-19", "2027-05"
_planned: dict[str, tuple[People, str, str]] = {}


def _published(coordinator: httpx.Client, planner: httpx.Client) -> tuple[People, str, str]:
    """The people, a planner's finished job (its URL) and the published plan of DAY;
    made once per server."""
    key = str(coordinator.base_url)
    if key not in _planned:
        who = people(coordinator, DAY)
        answer = planner.post("/plans/jobs", json={
            "records": {"first_day": DAY, "task_ids": who.tasks + who.trips,
                        "worker_ids": [who.worker]}, "max_solutions": 20})
        assert answer.status_code == 202, answer.text
        job = wait_for(planner, answer.headers["Location"], lambda j: j["status"] in FINISHED)
        assert job["status"] == "done", job["error"]
        served = {s["task"] for r in job["plan"]["routes"] for s in r["stops"]}
        assert set(who.trips) <= served, job["plan"]["unassigned"]
        draft = coordinator.post("/plans", json={"job_id": job["id"]})
        assert draft.status_code == 201, draft.text
        plan_id = draft.json()["id"]
        assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
        _planned[key] = (who, answer.headers["Location"], plan_id)
    return _planned[key]


def _text(answer: httpx.Response) -> str:
    kind = answer.headers.get("content-type", "")
    if kind.startswith("application/pdf"):
        return pdf_text(answer.content)
    if answer.content[:2] == b"PK":  # XLSX: every part's XML
        with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
            return " ".join(book.read(n).decode(errors="replace") for n in book.namelist())
    return answer.text


def _planner_answers(planner: httpx.Client, who: People, job_url: str, plan_id: str
                     ) -> dict[str, httpx.Response]:
    gets = ["/auth/me", "/providers", "/vehicles", "/workers", "/plans", f"/plans/{plan_id}",
            f"/plans/{plan_id}/geojson", "/plans/jobs", job_url, "/sweeps/jobs",
            f"/plans/{plan_id}/streets", "/app/", "/app/analizy", "/app/dzien",
            "/app/moj-dzien", f"/reports/{MONTH}?format=json", f"/reports/{MONTH}?format=csv",
            f"/reports/{MONTH}?format=xlsx", f"/reports/{MONTH}?format=pdf",
            f"/field/actuals?day={DAY}", f"/field/live?day={DAY}",
            # refused or not found: the errors must not tell either
            "/clients", f"/clients/{who.clients[0]}", f"/tasks/{who.clients[0]}",
            f"/days/{DAY}/workers/{who.worker}", f"/days/{DAY}/workers/{who.worker}/sheet",
            f"/days/{DAY}/overview?format=html", f"/plans/{plan_id}/days/{DAY}/view",
            "/export/clients", "/export/trips", "/app/telefony", f"/days/{DAY}/call-list",
            f"/days/{DAY}/call-list.csv", f"/days/{DAY}/call-list.pdf"]
    for kind in ("tasks", "trips"):
        total = planner.get(f"/{kind}", params={"limit": 1}).json()["total"]
        gets += [f"/{kind}?limit=500&offset={k}" for k in range(0, total, 500)]
        gets += [f"/{kind}/{i}" for i in (who.tasks if kind == "tasks" else who.trips)]
        gets += [f"/{kind}?day_from={DAY}&day_to={DAY}"]
    return {path: planner.get(path) for path in gets}


def test_no_answer_a_planner_gets_holds_personal_data(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    who, job_url, plan_id = _published(coordinator, planner)
    personal = personal_values(coordinator)
    answers = _planner_answers(planner, who, job_url, plan_id)
    assert answers[f"/trips/{who.trips[1]}"].status_code == 200
    assert answers[f"/plans/{plan_id}/geojson"].status_code == 200
    assert answers[f"/reports/{MONTH}?format=xlsx"].status_code == 200
    assert answers[f"/field/actuals?day={DAY}"].status_code == 200
    assert answers[f"/field/live?day={DAY}"].status_code == 200
    for path in (f"/days/{DAY}/call-list", f"/days/{DAY}/call-list.csv",
                 f"/days/{DAY}/call-list.pdf"):
        assert answers[path].status_code == 403, path  # names and phones: coordinators'
    assert planner.post(f"/days/{DAY}/call-list").status_code == 403
    found = {path: bad for path, answer in answers.items()
             if (bad := leaks(_text(answer), personal, homes=not path.endswith("/streets")))}
    assert not found, found
    for path, answer in answers.items():
        assert answer.status_code < 500, (path, answer.text)
        if who.clients[0] not in path:  # a 404 may echo the path it was asked
            assert who.clients[0] not in answer.text, path  # no real client id either


def test_a_planner_sees_a_home_as_an_area_and_other_places_as_they_are(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    who, _, plan_id = _published(coordinator, planner)
    home = coordinator.get(f"/clients/{who.clients[0]}").json()
    back = planner.get(f"/trips/{who.trips[1]}").json()
    assert back["client"].startswith("client-") and back["client"] != who.clients[0]
    assert back["note"] == ""
    assert abs(back["dropoff"]["lat"] - home["lat"]) < 0.01  # the area, ~1 km
    assert (back["dropoff"]["lat"], back["dropoff"]["lon"]) != (home["lat"], home["lon"])
    assert back["pickup"]["name"].startswith("Szpital")  # a hospital is no secret
    document = planner.get(f"/plans/{plan_id}").json()["document"]
    clients = {s["client"] for r in document["routes"] for s in r["stops"] if s.get("client")}
    assert back["client"] in clients  # the same pseudonym everywhere


def test_a_filter_by_a_real_client_id_reveals_nothing(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    who, _, _ = _published(coordinator, planner)
    by_real: list[dict[str, Any]] = []
    for kind in ("tasks", "trips"):
        answer = planner.get(f"/{kind}", params={"client": who.clients[0]})
        assert answer.status_code in (200, 403, 404, 422), answer.text
        if answer.status_code == 200:
            by_real += answer.json()["items"]
    assert by_real == []
    alias = planner.get(f"/tasks/{who.tasks[0]}").json()["client"]
    mine = planner.get("/tasks", params={"client": alias}).json()["items"]
    assert [t["id"] for t in mine] == [who.tasks[0]]
    assert coordinator.get("/tasks", params={"client": who.clients[0]}).json()["total"] == 1


@pytest.mark.parametrize("path", ["/trips/{trip}", "/trips?client={client}",
                                  "/tasks?client={client}", "/plans/{plan}",
                                  "/export/trips"])
def test_a_coordinators_read_of_personal_records_is_audited(
        coordinator: httpx.Client, planner: httpx.Client, path: str) -> None:
    who, _, plan_id = _published(coordinator, planner)
    url = path.format(trip=who.trips[1], client=who.clients[0], plan=plan_id)
    before = coordinator.get("/audit", params={"resource": f"clients/{who.clients[0]}",
                                               "username": "coordinator"}).json()["total"]
    assert coordinator.get(url).status_code == 200
    after = coordinator.get("/audit", params={"resource": f"clients/{who.clients[0]}",
                                              "username": "coordinator"}).json()["total"]
    assert after > before, url
