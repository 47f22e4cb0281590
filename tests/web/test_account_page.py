"""The account page in a real Chromium: a worker makes a calendar link for their phone
and revokes it, and changes their password (their other log-ins end); a coordinator
blocks and unblocks an account and logs one out everywhere. Each step is checked
against the real server over HTTP, not only on the page."""

from __future__ import annotations

import json
import re
from contextlib import closing
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.api.live.conftest import PASSWORD, Server
from tests.web.browser import log_in
from tests.web.chelm_day import NAMES

NEW_PASSWORD = "a new password 2026"


def _konto(page: Page, server: Server, username: str) -> None:
    log_in(page, server.url, username, PASSWORD)
    page.get_by_role("link", name="Konto").click()
    expect(page).to_have_url(re.compile(r"/app/konto$"))


def test_a_worker_links_their_calendar_revokes_it_and_changes_their_password(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    elsewhere = web_server.client("worker")  # the same account logged in on another phone
    _konto(page, web_server, "worker")
    expect(page.locator("#accounts")).to_be_hidden()

    page.get_by_role("button", name="Utwórz link do kalendarza").click()
    made = page.get_by_label("Nowy link")
    expect(made).to_have_value(re.compile(r"/calendars/w-anna\.ics\?token=cal_"))
    url = made.input_value()
    feed = httpx.get(url)
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR"), feed.text
    links = page.locator("#links tbody tr")
    expect(links).to_have_count(1)
    expect(links.first).to_contain_text("ważny")
    page.screenshot(path=tmp_path / "account.png", full_page=True)
    assert (tmp_path / "account.png").stat().st_size > 10_000

    links.first.get_by_role("button", name=re.compile("Unieważnij")).click()
    expect(links.first).to_contain_text("unieważniony")
    assert httpx.get(url).status_code == 401

    page.get_by_label("Obecne hasło").fill("not the password")
    page.get_by_label("Nowe hasło (co najmniej 8 znaków)").fill(NEW_PASSWORD)
    page.get_by_label("Powtórz nowe hasło").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zmień hasło").click()
    expect(page.locator("#status")).to_have_text("Obecne hasło jest złe.")
    assert elsewhere.get("/auth/me").status_code == 200

    page.get_by_label("Obecne hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zmień hasło").click()
    expect(page.locator("#status")).to_contain_text("Hasło zmienione")
    assert elsewhere.get("/auth/me").status_code == 401  # the other phone is logged out
    page.reload()  # this tab keeps the new token
    expect(page.locator("#who")).to_contain_text("worker")
    with closing(httpx.Client(base_url=web_server.url)) as api:
        assert api.post("/auth/token", data={"username": "worker", "password": PASSWORD}
                        ).status_code == 401
        assert api.post("/auth/token", data={"username": "worker",
                                             "password": NEW_PASSWORD}).status_code == 200
    elsewhere.close()


def test_a_coordinator_blocks_and_unblocks_an_account_and_logs_one_out_everywhere(
        page: Page, web_server: Server) -> None:
    planner, other = web_server.client("planner"), web_server.client("other-worker")
    _konto(page, web_server, "coordinator")
    rows = page.locator("#users tbody tr")
    row = rows.filter(has_text="planner")
    expect(row).to_contain_text("aktywne")
    expect(rows.filter(has_text="coordinator")).to_contain_text("Twoje konto")

    row.get_by_role("button", name="Zablokuj planner").click()
    expect(row).to_contain_text("zablokowane")
    assert planner.get("/auth/me").status_code == 401
    row.get_by_role("button", name="Odblokuj planner").click()
    expect(row).to_contain_text("aktywne")
    assert planner.get("/auth/me").status_code == 200  # the same token works again

    assert other.get("/auth/me").status_code == 200
    rows.filter(has_text="other-worker").get_by_role(
        "button", name="Wyloguj wszędzie other-worker").click()
    expect(page.locator("#status")).to_contain_text("Wylogowano other-worker")
    assert other.get("/auth/me").status_code == 401
    planner.close()
    other.close()


def test_a_coordinator_exports_a_client_and_erases_them_on_request(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    """RODO art. 15 and 17 on the page: the export is the client's whole record; after
    the erasure (asked first) the client's name is nowhere the API shows it."""
    name = NAMES[5]
    _konto(page, web_server, "coordinator")
    page.get_by_label("Identyfikator klienta").fill("c05")
    with page.expect_download() as download:
        page.get_by_role("button", name="Pobierz dane (art. 15)").click()
    held = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert held["client"]["name"] == name and held["tasks"], held.keys()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Usuń dane osobowe (art. 17)").click()
    expect(page.locator("#status")).to_contain_text("Usunięto dane osobowe klienta c05")
    page.screenshot(path=tmp_path / "rights.png", full_page=True)
    with closing(web_server.client("coordinator")) as api:
        record = api.get("/clients/c05")
        assert record.status_code == 200 and name not in record.text
        assert name not in api.get("/tasks", params={"client": "c05"}).text
        assert [e for e in api.get("/audit", params={"resource": "clients/c05"}).json()["items"]
                if e["action"] == "client erase"]
