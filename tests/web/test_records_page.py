"""The records page (/app/kartoteka) in a real Chromium against a real server (SQLite,
the Chełm road network, the Chełm day's records): a coordinator finds a caller by part
of a phone number and by a street typed without Polish letters, adds a client by
picking a street name from the road network, edits a worker's shift and retires them;
a 422 stands beside its field in Polish; an edit made stale by someone else is refused
with a clear message; a planner sees pseudonyms only and no forms. Each step is checked
against the server over HTTP too (the intake: test_intake_page.py)."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.api.live.conftest import Server
from tests.web.chelm_day import NAMES
from tests.web.records_page import CALLER, open_records, shot

CHELM = (51.10, 51.17, 23.40, 23.54)  # south, north, west, east: the road network's town


def test_a_coordinator_finds_the_caller_by_phone_and_by_a_street_typed_without_accents(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    with closing(web_server.client("coordinator")) as api:
        answer = api.post("/clients", json={
            "id": "c-zabkowska", "name": "Alicja Nowak", "address": "ul. Ząbkowska 7",
            "phone": "+48 511 222 333", "lat": 51.1302, "lon": 23.4711})
        assert answer.status_code == 201, answer.text
    open_records(page, web_server, "coordinator")
    caller = page.get_by_label(CALLER)
    found = page.locator("#caller-found li")

    caller.fill("100 205")  # part of +48 600 100 205, as the caller reads it out
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text(NAMES[5])

    caller.fill("zabkowska")
    expect(found).to_have_count(1)
    expect(found.first).to_contain_text("Alicja Nowak")
    expect(found.first).to_contain_text("ul. Ząbkowska 7")

    caller.fill("wasowska")  # a name, folded the same way
    expect(found.first).to_contain_text("Zofia Wąsowska")
    shot(page, tmp_path, "records-caller")

    # the list's own search works the same way, over the API's ?q=
    page.get_by_label("Szukaj", exact=True).fill("ZĄBKOWSKA")
    expect(page.locator("#list tbody tr")).to_have_count(1)
    with closing(web_server.client("coordinator")) as api:
        assert [c["id"] for c in api.get("/clients", params={"q": "zabkowska"}).json()["items"]
                ] == ["c-zabkowska"]


def test_a_coordinator_adds_a_client_by_picking_a_street_of_the_road_network(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_role("button", name="Dodaj klienta").click()
    page.get_by_label("Imię i nazwisko", exact=True).fill("Bożena Krawczyk")
    page.get_by_label("Telefon", exact=True).fill("+48 602 333 444")
    page.get_by_label("Znajdź ulicę").fill("lwows")
    page.locator("#r-street-found").get_by_role("button", name="Lwowska", exact=True).click()
    address = page.get_by_label("Adres", exact=True)
    expect(address).to_have_value(re.compile(r"^ul\. Lwowska"))
    address.fill("ul. Lwowska 12")
    expect(page.get_by_label("Szerokość geograficzna", exact=True)).not_to_have_value("")
    expect(page.locator("#client-map .leaflet-marker-icon")).to_have_count(1)
    page.get_by_label("Pracownicy, których klient nie przyjmuje", exact=False).fill("w-marek")
    page.get_by_label("Wymagania wobec osoby, która przychodzi", exact=False).fill("kobieta")
    shot(page, tmp_path, "records-new-client")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#status")).to_have_text("Zapisano.")
    expect(page.locator("#editor-title")).to_contain_text("Bożena Krawczyk")

    with closing(web_server.client("coordinator")) as api:
        items = api.get("/clients", params={"q": "krawczyk"}).json()["items"]
    assert len(items) == 1, items
    client = items[0]
    assert client["address"] == "ul. Lwowska 12" and client["phone"] == "+48 602 333 444"
    assert client["refuses_workers"] == ["w-marek"] and client["requires"] == ["kobieta"]
    south, north, west, east = CHELM
    assert south < client["lat"] < north and west < client["lon"] < east, client


def test_a_coordinator_edits_a_workers_shift_and_retires_them(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_role("tab", name="Pracownicy").click()
    page.get_by_role("button", name="Edytuj: Marek Grabowski").click()
    shift = page.locator('[data-path="availability.0.end"]')
    expect(shift).to_have_value("16:00")
    shift.fill("17:30")
    page.get_by_label("Cechy, których klienci mogą wymagać", exact=False).fill("mężczyzna, pl")
    shot(page, tmp_path, "records-worker")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#status")).to_have_text("Zapisano.")
    expect(page.locator("#list")).to_contain_text("08:00–17:30")
    with closing(web_server.client("coordinator")) as api:
        marek = api.get("/workers/w-marek").json()
    assert marek["availability"][0] == {"start": "08:00", "end": "17:30", "day": None}
    assert marek["attributes"] == ["mężczyzna", "pl"]

    page.get_by_role("button", name="Wycofaj").click()
    expect(page.get_by_role("button", name="Przywróć")).to_be_visible()
    expect(page.locator("#list tbody")).not_to_contain_text("Marek Grabowski")
    page.get_by_label("pokaż wycofanych").check()
    expect(page.locator("#list tbody tr.retired")).to_contain_text("Marek Grabowski")
    page.get_by_role("button", name="Przywróć").click()  # the day's other tests plan with him
    expect(page.get_by_role("button", name="Wycofaj")).to_be_visible()
    with closing(web_server.client("coordinator")) as api:
        assert api.get("/workers/w-marek").json()["retired"] is False


def test_a_field_the_api_refuses_is_marked_beside_it_in_polish(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_role("tab", name="Pojazdy").click()
    page.get_by_role("button", name="Dodaj pojazd").click()
    page.get_by_label("Nazwa", exact=True).fill("Bus zbyt duży")
    page.get_by_label("Miejsca siedzące", exact=True).fill("500")
    page.get_by_role("button", name="Zapisz").click()
    error = page.locator("#r-seats-error")
    expect(error).to_have_text("Najwyżej 100.")
    expect(page.locator("#r-seats")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-error")).to_have_text("Popraw zaznaczone pola.")

    page.get_by_role("tab", name="Klienci").click()
    page.get_by_role("button", name="Dodaj klienta").click()
    page.get_by_label("Imię i nazwisko", exact=True).fill("Ktoś Zbyt Długi")
    page.get_by_label("Telefon", exact=True).fill("1" * 41)
    page.get_by_label("Adres", exact=True).fill("ul. Lubelska 1")
    page.get_by_label("Szerokość geograficzna", exact=True).fill("51.13")
    page.get_by_label("Długość geograficzna", exact=True).fill("23.47")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#r-phone-error")).to_have_text("Najwyżej 40 znaków.")
    expect(page.locator("#r-phone")).to_be_focused()
    shot(page, tmp_path, "records-422")
    with closing(web_server.client("coordinator")) as api:
        assert api.get("/clients", params={"q": "Zbyt Długi"}).json()["total"] == 0


def test_an_edit_someone_else_made_stale_is_refused_with_a_clear_message(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_role("tab", name="Pojazdy").click()
    page.get_by_role("button", name="Edytuj: Bus dla seniora").click()
    expect(page.get_by_label("Miejsca siedzące", exact=True)).to_have_value("6")
    with closing(web_server.client("coordinator")) as api:  # a second coordinator, meanwhile
        read = api.get("/vehicles/bus")
        changed = {**read.json(), "seats": 7}
        assert api.put("/vehicles/bus", json=changed,
                       headers={"If-Match": read.headers["ETag"]}).status_code == 200
    page.get_by_label("Miejsca na wózki", exact=True).fill("2")
    page.get_by_role("button", name="Zapisz").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Ktoś zmienił ten rekord w międzyczasie")
    shot(page, tmp_path, "records-conflict")
    with closing(web_server.client("coordinator")) as api:
        bus = api.get("/vehicles/bus").json()
    assert bus["seats"] == 7 and bus["wheelchair_places"] == 1  # nothing overwritten
    page.get_by_role("button", name="Wczytaj rekord ponownie").click()
    expect(page.get_by_label("Miejsca siedzące", exact=True)).to_have_value("7")
    expect(conflict).to_be_hidden()


def test_a_planner_sees_pseudonyms_only_and_no_forms(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "planner")
    expect(page.get_by_role("tab", name="Klienci")).to_be_hidden()
    expect(page.get_by_role("tab", name="Przyjmij zgłoszenie")).to_be_hidden()
    expect(page.locator("#caller")).to_be_hidden()
    for tab in ("Pracownicy", "Pojazdy", "Wizyty i zlecenia", "Przejazdy"):
        page.get_by_role("tab", name=tab).click()
        expect(page.locator("#list tbody tr").first).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^(Dodaj|Edytuj)"))).to_have_count(0)
        expect(page.locator("#record-form input:visible")).to_have_count(0)
        text = page.locator("main").inner_text()
        leaked = [n for n in NAMES if n in text] + re.findall(r"\+48 6\d\d", text)
        assert not leaked, (tab, leaked)
        if tab == "Wizyty i zlecenia":
            clients = page.locator("#list tbody tr td:nth-child(3)").all_inner_texts()
            assert clients and not any(re.fullmatch(r"c\d\d", c) for c in clients), clients
            shot(page, tmp_path, "records-planner")


def test_a_coordinator_adds_a_visit_and_moves_a_trips_arrival(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    open_records(page, web_server, "coordinator")
    page.get_by_role("tab", name="Wizyty i zlecenia").click()
    page.get_by_role("button", name="Dodaj wizytę lub zlecenie").click()
    form = page.locator("#editor")
    form.get_by_label("Identyfikator (puste: nadany sam)").fill("t-page")
    form.get_by_label("Klient (identyfikator)").fill("c02")
    form.get_by_label("Dzień", exact=True).fill("2026-11-26")
    form.get_by_label("Czas trwania (minuty)").fill("30")
    page.locator('[data-path="windows.0.start"]').fill("09:00")
    page.locator('[data-path="windows.0.end"]').fill("11:00")
    form.get_by_label("Umiejętności (po przecinku)").fill("physio")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#status")).to_have_text("Zapisano.")
    with closing(web_server.client("coordinator")) as api:
        task = api.get("/tasks/t-page").json()
    assert (task["client"], task["day"], task["duration_min"], task["windows"], task["skills"]
            ) == ("c02", "2026-11-26", 30, [{"start": "09:00", "end": "11:00", "day": None}],
                  ["physio"])

    page.get_by_role("tab", name="Przejazdy").click()
    page.get_by_role("button", name="Edytuj: r1", exact=True).click()
    expect(form.get_by_label("Cel: nazwa")).to_have_value("Szpital Wojewódzki, Lublin")
    form.get_by_label("Na miejscu najpóźniej").fill("10:00")
    form.get_by_label("Opiekunowie").fill("1")
    shot(page, tmp_path, "records-trip")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("#status")).to_have_text("Zapisano.")
    with closing(web_server.client("coordinator")) as api:
        trip = api.get("/trips/r1").json()
    assert trip["arrive_by"] == "10:00" and trip["passengers"]["escort"] == 1
    assert trip["dropoff"]["name"] == "Szpital Wojewódzki, Lublin" and trip["pickup"] is None

