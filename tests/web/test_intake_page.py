"""The intake of a telephone request on the records page, in a real Chromium against a
real server (SQLite, the Chełm road network and day): the caller found as they speak
is taken to the intake, a trip's details are asked for, and a caller not yet on the
records is added first and comes back to the intake."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.api.live.conftest import Server
from tests.web.records_page import CALLER, open_records, shot


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
    page.get_by_label("Dojazd na").fill("10:30")
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
