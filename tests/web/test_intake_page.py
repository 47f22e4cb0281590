"""The intake of a telephone request on the records page, in a real Chromium against a
real server (SQLite, the Chełm road network and day): the caller found as they speak
is taken to the intake, a trip's details are asked for, and a caller not yet on the
records is added first and comes back to the intake; a coordinator asks for offers
(`POST /offers`), loses the first to a colleague (409: fresh offers shown) and accepts
the next, stored with its promise."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.api.live.conftest import Server
from tests.api.live.jobs import FINISHED, wait_for
from tests.web.records_page import CALLER, open_records, shot

WEDNESDAY = "2027-06-02"  # the day after the live servers' today (TRASA_TODAY)
JOB_MIN = 300  # a carpentry job: the carpenter has time for one a day, not two


def test_the_intake_form_takes_the_caller_found_and_asks_for_a_trips_details(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_label(CALLER).fill("kolodziej")
    found = page.locator("#caller-found li")
    expect(found).to_have_count(1)
    found.first.get_by_role("button", name="Przyjmij zgłoszenie").click()
    expect(page.locator("#intake")).to_be_visible()
    expect(page.locator("#records-panel")).to_be_hidden()
    expect(page.get_by_label("Klient (nazwisko, telefon lub adres)")).to_have_value(
        re.compile(r"^Jan Kołodziej · \+48 600 100 201"))
    expect(page.get_by_label("Cel (ulica lub miejsce)")).to_be_hidden()
    page.get_by_label("Co", exact=True).select_option("trip-return")
    expect(page.get_by_label("Cel (ulica lub miejsce)")).to_be_visible()
    expect(page.get_by_label("Czas trwania (minuty)")).to_be_hidden()
    page.get_by_label("Cel (ulica lub miejsce)").fill("szpitaln")
    page.locator("#in-dest-found").get_by_role("button", name="Szpitalna", exact=True).click()
    expect(page.get_by_label("Cel (ulica lub miejsce)")).to_have_value("Szpitalna")
    page.get_by_label("Na miejscu najpóźniej").fill("10:30")
    shot(page, tmp_path, "records-intake")

    # a caller not yet on the records: added first, then back to the intake with them
    page.get_by_role("button", name="Nowy klient: najpierw go dodaj").click()
    form = page.locator("#editor")
    expect(form).to_be_visible()
    form.get_by_label("Imię i nazwisko", exact=True).fill("Genowefa Pigwa")
    form.get_by_label("Telefon", exact=True).fill("+48 603 000 111")
    form.get_by_label("Adres", exact=True).fill("ul. Szpitalna 5")
    form.get_by_label("Szerokość geograficzna", exact=True).fill("51.144")
    form.get_by_label("Długość geograficzna", exact=True).fill("23.4558")
    form.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#intake")).to_be_visible()
    expect(page.get_by_label("Klient (nazwisko, telefon lub adres)")).to_have_value(
        "Genowefa Pigwa · +48 603 000 111")


def test_a_coordinator_takes_a_call_gets_offers_and_accepts_one(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    """A long carpentry job: the one carpenter can do one a day, so when a colleague
    accepts the same first offer meanwhile, the page's click gets 409 and fresh offers
    (other days of the week), and the next click keeps one."""
    open_records(page, web_server, "coordinator")
    page.get_by_label(CALLER).fill("pawlak")
    page.locator("#caller-found li").first.get_by_role(
        "button", name="Przyjmij zgłoszenie").click()
    intake = page.locator("#intake")
    intake.get_by_label("Co", exact=True).select_option("job")
    intake.get_by_label("Od dnia").fill(WEDNESDAY)
    intake.get_by_label("Zakres").select_option("7")
    intake.get_by_label("Czas trwania (minuty)").fill(str(JOB_MIN))
    intake.get_by_label("Umiejętności (po przecinku)").fill("carpentry")
    intake.get_by_role("button", name="Znajdź terminy").click()
    offers = page.locator("#offers li.offer")
    expect(offers.first).to_be_visible(timeout=60_000)
    expect(offers.first).to_contain_text(re.compile(r"\d\d\.\d\d\.2027, \d\d:\d\d–\d\d:\d\d"))
    expect(offers.first).to_contain_text("przyjdzie: Marek Grabowski")
    first = offers.first.locator("strong").inner_text()
    shot(page, tmp_path, "records-offers")

    with closing(web_server.client("coordinator")) as api:  # a colleague takes it first
        answer = api.post("/offers", json={
            "kind": "job", "client": "c05", "first_day": WEDNESDAY, "days": 7,
            "duration_min": JOB_MIN, "skills": ["carpentry"], "count": 3})
        assert answer.status_code == 200, answer.text
        taken = answer.json()["offers"][0]
        assert first.startswith(".".join(reversed(taken["day"].split("-"))))  # the same day
        assert api.post("/offers/accept", json={"token": taken["token"]}).status_code == 201
    offers.first.get_by_role("button", name=re.compile("^Przyjmij")).click()
    expect(page.locator("#status")).to_contain_text("Ktoś przed chwilą zajął ten termin")
    expect(offers.first).to_be_visible()
    expect(offers.first.locator("strong")).not_to_have_text(first)  # fresh: another day
    offers.first.get_by_role("button", name=re.compile("^Przyjmij")).click()
    expect(page.locator("#offers li.accepted")).to_contain_text("Przyjęto: ")
    shot(page, tmp_path, "records-offer-accepted")
    with closing(web_server.client("coordinator")) as api:
        jobs = [t for t in api.get("/tasks", params={"kind": "job", "day_from": WEDNESDAY,
                                                     "limit": 500}).json()["items"]
                if t["duration_min"] == JOB_MIN]
    assert sorted(t["client"] for t in jobs) == ["c02", "c05"], jobs
    assert all(t.get("promise") for t in jobs) and jobs[0]["day"] != jobs[1]["day"], jobs


def test_an_accepted_offer_is_on_the_plan_and_on_tomorrows_call_list(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    """A visit booked on the phone for tomorrow: once the day is planned and published
    (stopped by solution count), the day view shows the client's stop inside the promised
    window, and tomorrow's call list (the page's default day) tells the client that
    window as promised."""
    open_records(page, web_server, "coordinator")
    page.get_by_label(CALLER).fill("mazur")
    page.locator("#caller-found li").first.get_by_role(
        "button", name="Przyjmij zgłoszenie").click()
    intake = page.locator("#intake")
    intake.get_by_label("Co", exact=True).select_option("visit")
    intake.get_by_label("Od dnia").fill(WEDNESDAY)
    intake.get_by_label("Zakres").select_option("1")
    intake.get_by_label("Czas trwania (minuty)").fill("45")
    intake.get_by_label("Umiejętności (po przecinku)").fill("physio")
    intake.get_by_role("button", name="Znajdź terminy").click()
    offers = page.locator("#offers li.offer")
    expect(offers.first).to_be_visible(timeout=60_000)
    offers.first.get_by_role("button", name=re.compile("^Przyjmij")).click()
    expect(page.locator("#offers li.accepted")).to_contain_text("Przyjęto: ")
    with closing(web_server.client("coordinator")) as api:
        visit = next(t for t in api.get("/tasks", params={
            "client": "c03", "day_from": WEDNESDAY, "day_to": WEDNESDAY}).json()["items"]
            if t.get("promise"))
        promise = visit["promise"]
        job = api.post("/plans/jobs", json={"records": {"first_day": WEDNESDAY},
                                            "max_solutions": 30})
        assert job.status_code == 202, job.text
        done = wait_for(api, job.headers["Location"], lambda j: j["status"] in FINISHED)
        assert done["status"] == "done", done["error"]
        plan = api.post("/plans", json={"job_id": done["id"]}).json()["id"]
        assert api.post(f"/plans/{plan}/publish").status_code == 200

    page.goto(f"{web_server.url}/app/dzien?day={WEDNESDAY}")
    stop = page.locator(".tl-track .stop[title*='Stanisław Mazur']")
    expect(stop).to_have_count(1)
    start = re.search(r"(\d\d:\d\d)–", stop.get_attribute("title") or "").group(1)
    assert promise["start"] <= start <= promise["end"], (start, promise)
    shot(page, tmp_path, "intake-on-the-plan")

    page.goto(f"{web_server.url}/app/telefony")  # tomorrow by default
    row = page.locator("#calls tbody tr.call", has_text="Stanisław Mazur")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{promise['start']}–{promise['end']} (obiecane)")
    expect(row.locator("td.message")).to_contain_text(promise["start"])
    shot(page, tmp_path, "intake-on-the-call-list")
