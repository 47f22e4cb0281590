"""Issue 30 in a real Chromium with the network cut: a paired worker's phone opens the
day once, loses the network, confirms three stops (arrived and done on one, client
absent on another, done on a third), reloads the page with no network (the service
worker gives the page, the phone's IndexedDB the day and the four waiting presses),
gets the network back, and the queue drains; the coordinator's `GET /field/actuals`
and live day page show the three actuals once each and the database holds each press
once. The same in Ukrainian. A batch whose answer is lost on the way back is sent again
and stored once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from api.store.database import session_scope
from api.store.tables import FieldAction
from api.store.users import Role, add_user
from tests.api.live.conftest import PASSWORD, Server
from tests.web.browser import DESKTOP, PHONE, log_in
from tests.web.chelm_day import DAY
from tests.web.pictures import plan_and_publish

SOLUTIONS = 50
PHONES = {"marek": "w-marek", "jan": "w-jan"}  # worker accounts beside the live fixture's
PHONE_CLOCK = datetime.fromisoformat(f"{DAY}T10:00:00+01:00")
WORDS = {  # the buttons and states the worker reads
    "pl": {"arrived": "na miejscu", "done": "zrobione", "absent": "klient nieobecny",
           "confirm": "Potwierdź: zrobione", "no_network": "brak sieci"},
    "uk": {"arrived": "на місці", "done": "виконано", "absent": "клієнта немає",
           "confirm": "Підтвердити: виконано", "no_network": "немає мережі"},
}


@pytest.fixture(scope="module")
def published(web_server: Server) -> str:
    """The day published, and accounts for the handyman and the bus's driver."""
    with session_scope(web_server.database_url) as session:
        for username, worker_id in PHONES.items():
            add_user(session, username, PASSWORD, Role.WORKER, worker_id)
    with closing(web_server.client("coordinator")) as api:
        return plan_and_publish(api, DAY, max_solutions=SOLUTIONS)


def _phone(browser: Browser, **options: Any) -> tuple[BrowserContext, list[str]]:
    context = browser.new_context(viewport=PHONE, locale="pl-PL", timezone_id="Europe/Warsaw",
                                  is_mobile=True, **options)
    context.clock.install(time=PHONE_CLOCK)  # the worker presses on the day of the route
    errors: list[str] = []
    context.on("page", lambda tab: tab.on("pageerror", lambda e: errors.append(str(e))))
    return context, errors


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A phone's browser (its own storage and service workers), failing on a script error."""
    context, errors = _phone(browser)
    yield context
    context.close()
    assert not errors, errors


def _paired(context: BrowserContext, server: Server, username: str, language: str) -> Page:
    """The worker's phone paired (the coordinator's link) and showing DAY."""
    with closing(server.client(username)) as api:
        assert api.patch("/auth/me", json={"language": language}).status_code == 200
    with closing(server.client("coordinator")) as api:
        made = api.post(f"/users/{username}/devices", json={"label": f"phone {language}"})
        assert made.status_code == 201, made.text
    tab = context.new_page()
    tab.goto(made.json()["pair_url"].replace("http://testserver", server.url))
    tab.wait_for_url(re.compile(r"/app/moj-dzien"))
    tab.goto(f"{server.url}/app/moj-dzien?day={DAY}&lang={language}")
    expect(tab.locator(".my-stops li.stop").first).to_be_visible()
    return tab


def _stored(server: Server, keys: list[str]) -> dict[str, int]:
    """How many rows the database holds per key (the phone's presses)."""
    with session_scope(server.database_url) as session:
        rows = session.execute(select(FieldAction.key, func.count()).where(
            FieldAction.key.in_(keys)).group_by(FieldAction.key)).all()
    return {key: count for key, count in rows}


def _queue(tab: Page) -> list[dict[str, Any]]:
    return list(tab.evaluate("FieldQueue.all()"))


@pytest.mark.parametrize(("username", "language"), [("worker", "pl"), ("marek", "uk")])
def test_three_stops_confirmed_offline_survive_a_reload_and_arrive_once(
        phone: BrowserContext, web_server: Server, published: str,
        username: str, language: str) -> None:
    words = WORDS[language]
    tab = _paired(phone, web_server, username, language)
    expect(tab).to_have_url(re.compile(f"lang={language}"))
    tab.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    tab.wait_for_function(f"caches.match('/app/moj-dzien?lang={language}').then(Boolean)")
    stops = tab.locator(".my-stops li.stop")
    expect(stops.nth(2)).to_be_visible()
    tasks = [stops.nth(k).get_attribute("data-task") for k in range(3)]

    phone.set_offline(True)
    first, second, third = (stops.nth(k) for k in range(3))
    first.get_by_role("button", name=words["arrived"], exact=True).click()
    expect(first.locator(".press-state.pending")).to_have_count(1)
    first.get_by_role("button", name=words["done"], exact=True).click()
    first.locator("textarea").fill("klucz u sąsiadki")
    first.get_by_role("button", name=words["confirm"]).click()
    second.get_by_role("button", name=words["absent"], exact=True).click()
    third.get_by_role("button", name=words["done"], exact=True).click()
    third.get_by_role("button", name=words["confirm"]).click()
    expect(tab.locator(".press-state.pending")).to_have_count(4)

    tab.reload()  # no network: the page from the service worker, the day from the phone
    expect(tab.locator("#status")).to_contain_text(words["no_network"])
    expect(stops.first).to_be_visible()
    expect(tab.locator(".press-state.pending")).to_have_count(4)
    expect(stops.nth(0).locator(".press-state.pending")).to_have_count(2)
    expect(stops.nth(0)).to_contain_text("klucz u sąsiadki")
    expect(stops.first.get_by_role("button", name=words["done"], exact=True)).to_be_visible()
    keys = [item["key"] for item in _queue(tab)]
    assert len(keys) == 4 and _stored(web_server, keys) == {}  # nothing reached the server
    assert all(re.fullmatch(DAY + r"T1\d:\d\d:\d\d\+01:00", item["phone_at"])
               for item in _queue(tab))  # the phone's time with its offset

    phone.set_offline(False)  # the `online` event sends the queue
    expect(tab.locator(".press-state.accepted")).to_have_count(4)
    expect(tab.locator(".press-state.pending")).to_have_count(0)
    assert _stored(web_server, keys) == {key: 1 for key in keys}

    with closing(web_server.client("coordinator")) as api:
        day = api.get("/field/actuals", params={"day": DAY})
    assert day.status_code == 200, day.text
    rows = [row for row in day.json()["tasks"] if row["task"] in tasks]
    assert [row["task"] for row in rows] == tasks  # each once, in route order
    assert [row["actual"]["outcome"] for row in rows] == ["done", "absent", "done"]
    assert [len(row["actions"]) for row in rows] == [2, 1, 1]
    assert {a["kind"]: a["note"] for a in rows[0]["actions"]} == {
        "arrived": "", "done": "klucz u sąsiadki"}
    _live_day_shows(phone, web_server, PHONES.get(username, "w-anna"), tasks)


def _live_day_shows(phone: BrowserContext, server: Server, worker: str,
                    tasks: list[str]) -> None:
    """The coordinator's live day page: the worker's three stops, once each, as pressed."""
    assert phone.browser is not None
    desk = phone.browser.new_context(viewport=DESKTOP, locale="pl-PL",
                                     timezone_id="Europe/Warsaw")
    try:
        page = desk.new_page()
        log_in(page, server.url, "coordinator", PASSWORD)
        page.goto(f"{server.url}/app/na-zywo?day={DAY}")
        card = page.locator(f'article.route[data-worker="{worker}"]')
        for task, state in zip(tasks, ("done", "absent", "done"), strict=True):
            row = card.locator(f'tr[data-task="{task}"]')
            expect(row).to_have_count(1)
            expect(row).to_have_class(re.compile(rf"\bstate-{state}\b"))
    finally:
        desk.close()


def test_a_batch_whose_answer_was_lost_is_sent_again_and_stored_once(
        browser: Browser, web_server: Server, published: str) -> None:
    """The bus's driver: a rider picked up (the answer lost, sent again), dropped off."""
    # service workers off: Playwright's routing sees only what no service worker answers
    context, errors = _phone(browser, service_workers="block")
    try:
        tab = _paired(context, web_server, "jan", "pl")
        lost: list[int] = []

        def answer_lost(route: Route) -> None:  # the server stores it; the phone hears nothing
            if not lost:
                lost.append(route.fetch().status)
                route.abort("connectionreset")
            else:
                route.continue_()

        tab.route("**/field/actions", answer_lost)
        stops = tab.locator(".my-stops li.stop")
        boarding = stops.filter(has=tab.get_by_role("button", name="pasażer wsiadł"))
        alighting = stops.filter(has=tab.get_by_role("button", name="pasażer wysiadł"))
        expect(boarding).to_have_count(1)
        expect(alighting).to_have_count(1)
        assert boarding.get_attribute("data-task") == alighting.get_attribute("data-task")
        with tab.expect_event("requestfailed"):
            boarding.get_by_role("button", name="pasażer wsiadł").click()
        assert lost == [200]
        expect(boarding.locator(".press-state.pending")).to_have_count(1)
        keys = [item["key"] for item in _queue(tab) if item["state"] == "pending"]
        assert len(keys) == 1 and _stored(web_server, keys) == {keys[0]: 1}

        tab.get_by_role("button", name="Wyślij teraz").click()  # the same press again
        expect(boarding.locator(".press-state.accepted")).to_have_count(1)
        replayed = [item for item in _queue(tab) if item["key"] == keys[0]]
        assert replayed[0]["repeated"] is True  # the server's stored answer
        assert _stored(web_server, keys) == {keys[0]: 1}

        alighting.get_by_role("button", name="pasażer wysiadł").click()
        expect(alighting.locator(".press-state.accepted")).to_have_count(1)
        keys = [item["key"] for item in _queue(tab)]
        assert _stored(web_server, keys) == {key: 1 for key in keys} and len(keys) == 2
    finally:
        context.close()
    assert not errors, errors
