"""Issue 30 in a real Chromium: a coordinator pairs a worker's phone from the account
page; the phone opens the pairing link, and days later (a closed tab, a new one) shows
the worker's day without logging in; the worker switches the page to Ukrainian, which
the account keeps; once the coordinator revokes the phone, a new tab is sent to the
log-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.api.live.conftest import PASSWORD, Server
from tests.web.browser import PHONE, log_in
from tests.web.chelm_day import DAY
from tests.web.pictures import plan_and_publish

SOLUTIONS = 50


@pytest.fixture(scope="module")
def published(web_server: Server) -> str:
    with closing(web_server.client("coordinator")) as api:
        return plan_and_publish(api, DAY, max_solutions=SOLUTIONS)


@pytest.fixture
def phone(browser: Browser, web_server: Server) -> Iterator[BrowserContext]:
    """A phone's browser (its own localStorage), failing the test on a script error."""
    context = browser.new_context(viewport=PHONE, locale="uk-UA",
                                  timezone_id="Europe/Warsaw", is_mobile=True)
    errors: list[str] = []
    context.on("page", lambda tab: tab.on("pageerror", lambda e: errors.append(str(e))))
    yield context
    context.close()
    assert not errors, errors


def _pairing_link(page: Page, server: Server) -> str:
    log_in(page, server.url, "coordinator", PASSWORD)
    page.get_by_role("link", name="Konto").click()
    devices = page.locator("#devices")
    expect(devices).to_be_visible()
    devices.get_by_label("Konto pracownika").select_option("worker")
    devices.get_by_label("Który telefon (opis)").fill("Telefon Anny")
    devices.get_by_role("button", name="Utwórz link parowania").click()
    link = devices.get_by_label("Link parowania (otwórz go na telefonie)")
    expect(link).to_have_value(re.compile(r"/app/sparuj#dev_"))
    expect(devices.locator("tbody tr").filter(has_text="Telefon Anny")).to_contain_text(
        "sparowany")
    return link.input_value()


def test_a_paired_phone_keeps_the_worker_s_day_across_closed_tabs_and_in_ukrainian(
        page: Page, phone: BrowserContext, web_server: Server, published: str) -> None:
    url = _pairing_link(page, web_server)
    secret = url.split("#", 1)[1]

    tab = phone.new_page()
    tab.goto(url)
    tab.wait_for_url(re.compile(r"/app/moj-dzien"))
    assert secret not in tab.url  # the secret left the address bar
    assert tab.evaluate("localStorage.getItem('trasa.device')") == secret
    tab.close()  # the tab's token goes with it

    tab = phone.new_page()  # another day: a new tab, no log-in
    tab.goto(f"{web_server.url}/app/moj-dzien?day={DAY}")
    stops = tab.locator(".my-stops li.stop")
    expect(stops.first).to_be_visible()
    expect(tab).to_have_url(re.compile(r"/app/moj-dzien"))
    expect(tab.locator("#status")).to_contain_text("Twój dzień 24.11.2026")

    tab.get_by_label("Język").select_option("uk")
    expect(tab).to_have_url(re.compile(r"lang=uk"))
    expect(tab.get_by_role("heading", level=1)).to_have_text("Мій день")
    expect(tab.locator("#status")).to_have_text("Ваш день 24.11.2026 (опублікований план).")
    expect(tab.get_by_role("button", name="Завантажити маршрутний лист (PDF)")).to_be_visible()
    expect(stops.first).to_contain_text("візит")
    with closing(web_server.client("worker")) as api:
        assert api.get("/auth/me").json()["language"] == "uk"  # kept on the account
    tab.close()

    tab = phone.new_page()  # the language comes from the account, not the address
    tab.goto(f"{web_server.url}/app/moj-dzien?day={DAY}")
    expect(tab).to_have_url(re.compile(r"lang=uk"))
    expect(tab.get_by_label("Мова")).to_have_value("uk")
    expect(tab.locator(".my-stops li.stop").first).to_be_visible()
    tab.close()

    row = page.locator("#devices tbody tr").filter(has_text="Telefon Anny")
    row.get_by_role("button", name=re.compile("Unieważnij")).click()
    expect(row).to_contain_text("unieważniony")
    tab = phone.new_page()  # revoked: the phone gets no token and goes to the log-in
    tab.goto(f"{web_server.url}/app/moj-dzien?day={DAY}")
    tab.wait_for_url(re.compile(r"/app/$"))
    assert tab.evaluate("localStorage.getItem('trasa.device')") is None
