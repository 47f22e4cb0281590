"""Route sheets, calendars, GeoJSON and the overview over HTTP, from a published plan."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
from icalendar import Calendar

from tests.api.live.jobs import plan_day
from tests.api.pdf_text import pdf_text


def test_people_receive_their_day_from_the_published_plan_and_nothing_more(
        coordinator: httpx.Client, worker: httpx.Client,
        planner: httpx.Client, anna: list[str]) -> None:
    day = "2027-06-08"  # a week after the server's today: in its subscribed calendars
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    sheet_url = f"/days/{day}/workers/w-anna/sheet"
    assert worker.get(sheet_url).status_code == 404  # a draft is not handed out
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200

    sheet = worker.get(sheet_url)
    assert sheet.status_code == 200, sheet.text
    assert sheet.headers["content-type"] == "application/pdf"
    text = pdf_text(sheet.content)
    for client_id in anna:
        assert f"Zofia Wąsowska {client_id}" in text
    assert "Anna Żółtowska w-anna" in text and "ul. Lubelska" in text
    assert "cukrzyca" not in text and "insulina" not in text
    html = worker.get(sheet_url, params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "Karta trasy" in html.text
    assert worker.get(f"/days/{day}/workers/w-piotr/sheet").status_code == 403
    assert planner.get(sheet_url).status_code == 403

    day_ics = Calendar.from_ical(worker.get(f"/days/{day}/workers/w-anna/calendar").content)
    visits = [e for e in day_ics.walk("VEVENT") if "wizyta" in str(e["summary"])]
    assert len(visits) == len(anna)
    link = worker.get("/workers/w-anna/calendar-link")
    assert link.status_code == 200
    assert worker.get("/workers/w-piotr/calendar-link").status_code == 403
    url = link.json()["url"]
    subscribed = httpx.get(url)  # a calendar app: no log-in, the token in the URL
    assert subscribed.status_code == 200, subscribed.text
    events = Calendar.from_ical(subscribed.content).walk("VEVENT")
    assert {str(e["uid"]) for e in visits} <= {str(e["uid"]) for e in events}
    assert "cukrzyca" not in subscribed.text
    assert httpx.get(url.replace("w-anna.ics", "w-piotr.ics")).status_code == 401

    for_planner = planner.get(f"/plans/{plan_id}/geojson")
    assert for_planner.status_code == 200
    assert "Wąsowska" not in for_planner.text and "Lubelska" not in for_planner.text
    homes = {(c["lon"], c["lat"]) for c in (coordinator.get(f"/clients/{k}").json()
                                             for k in anna)}
    for feature in for_planner.json()["features"]:  # no place tied to a client
        if feature["geometry"] is not None:
            assert feature["geometry"]["type"] == "Point"
            assert tuple(feature["geometry"]["coordinates"]) not in homes
    def coordinator_reads() -> int:
        return int(coordinator.get("/audit", params={"username": "coordinator"}).json()["total"])

    before = coordinator_reads()
    named = json.loads(coordinator.get(f"/plans/{plan_id}/geojson").text)
    assert coordinator_reads() - before == len(anna)  # names and addresses read: audited
    assert {f["properties"].get("client_name") for f in named["features"]
            if f["properties"]["type"] == "stop"} == {f"Zofia Wąsowska {c}" for c in anna}

    overview = coordinator.get(f"/days/{day}/overview")
    assert overview.status_code == 200 and "Plan dnia" in pdf_text(overview.content)
    assert worker.get(f"/days/{day}/overview").status_code == 403

    for reader in ("worker", "calendar:w-anna"):
        reads = coordinator.get("/audit", params={"username": reader, "limit": 500}).json()
        assert {f"clients/{c}" for c in anna} <= {r["resource"] for r in reads["items"]}, reader


def test_the_monthly_report_counts_the_published_plans_of_the_month(
        coordinator: httpx.Client, planner: httpx.Client, worker: httpx.Client,
        anna: list[str]) -> None:
    day = "2027-02-10"
    assert coordinator.get("/reports/2027-02").status_code == 404  # nothing published yet
    plan_id = plan_day(coordinator, day, "w-anna", anna)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code == 200
    document = coordinator.get(f"/plans/{plan_id}").json()["document"]
    served = [s for r in document["routes"] for s in r["stops"]]

    figures = planner.get("/reports/2027-02", params={"format": "json"})
    assert figures.status_code == 200, figures.text
    body = figures.json()
    service_s = sum((datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"]))
                    .total_seconds() for s in served)
    assert body["service_s"] == service_s == sum(body["service_s_by_service"].values())
    assert body["residents"] == len(anna)
    assert body["distance_m"] == sum(r["distance_m"] for r in document["routes"])
    assert "Wąsowska" not in figures.text
    pdf = coordinator.get("/reports/2027-02")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Udział PES" in pdf_text(pdf.content)
    assert coordinator.get("/reports/2027-02", params={"format": "xlsx"}).content[:2] == b"PK"
    assert coordinator.get("/reports/2027-13").status_code == 422
    assert worker.get("/reports/2027-02").status_code == 403
