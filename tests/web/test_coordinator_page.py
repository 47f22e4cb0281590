"""The coordinator's page in a real Chromium against a real server: log in, plan a day
and watch the job, see the routes on the map and the timeline, open a left-out task's
reason, publish, download; a worker sees only their own day, a planner the KPIs and
sweeps without a client's name."""

from __future__ import annotations

import re
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.live.conftest import PASSWORD, Server
from tests.web.browser import PHONE, log_in
from tests.web.chelm_day import DAY, LUBLIN, NAMES, TASKS, WORKERS
from tests.web.pictures import day_view, kept_draft, plan_and_publish

OTHER_DAY = "2026-11-25"  # planned and published through the API for the other roles
SOLUTIONS = 40


@pytest.fixture(scope="module")
def published(web_server: Server) -> str:
    with closing(web_server.client("coordinator")) as api:
        return plan_and_publish(api, OTHER_DAY, max_solutions=SOLUTIONS)


def test_the_coordinator_plans_a_day_sees_it_on_the_map_and_timeline_and_publishes_it(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    log_in(page, web_server.url, "coordinator", PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/dzien\?day="))  # the script has run
    expect(page.get_by_role("link", name="Plan dnia")).to_be_visible()
    expect(page.get_by_role("link", name="Mój dzień")).to_be_hidden()

    page.get_by_label("Od dnia").fill(DAY)
    page.get_by_label("Zakres").select_option("1")
    page.get_by_label("Najwięcej rozwiązań").fill(str(SOLUTIONS))
    page.get_by_role("button", name="Zaplanuj wybrane dni").click()
    expect(page.locator("#job")).to_be_visible()
    expect(page.get_by_role("button", name="Zaplanuj jutro")).to_be_disabled()
    expect(page.locator("#job-best")).to_contain_text(re.compile(rf"obsłużone \d+ z {TASKS}"),
                                                      timeout=120_000)
    expect(page.locator("#job-progress")).to_have_attribute("value", "100", timeout=120_000)
    expect(page.locator("#plan-state")).to_have_text("szkic")
    expect(page.locator("#day")).to_have_value(DAY)

    # KPIs: served by priority, km, the PES share against 35 %
    kpis = page.locator("#kpis")
    expect(kpis).to_contain_text(re.compile(rf"Obsłużone\s*1[2-6] z {TASKS}"))
    expect(kpis).to_contain_text("pilne: 1/1")
    expect(kpis).to_contain_text(re.compile(r"\d+,\d km|\d+ km"))
    expect(kpis).to_contain_text("cel 35 %")

    # the timeline: one row per working worker, each stop a button numbered as on the map
    rows = page.locator(".tl-row:not(.tl-top)")
    expect(rows).to_have_count(len(WORKERS))
    stops = page.locator(".tl-track .stop")
    markers = page.locator(".leaflet-marker-icon.stop-icon")
    count = stops.count()
    assert 12 <= count <= 20  # a trip is two stops: a pickup and a drop-off
    expect(markers).to_have_count(count)
    expect(page.locator(".leaflet-marker-icon.base-icon")).to_have_count(1)
    # routes along the streets over the streets themselves: one path per route, more
    # than a handful of street lines, all in Leaflet's vector pane
    paths = page.locator(".leaflet-overlay-pane path")
    assert paths.count() >= 1 + len(WORKERS)
    colours = {paths.nth(k).get_attribute("stroke") for k in range(paths.count())}
    assert len(colours) >= 1 + len(WORKERS)  # the streets' grey and a colour per route
    route = page.locator('.leaflet-overlay-pane path[stroke="#1f5fa8"]').first
    assert len(route.get_attribute("d") or "") > 200  # many points: along the streets

    # a stop's details by mouse, then by keyboard, and the same stop on the map
    first = stops.first
    key = first.get_attribute("data-stop")
    first.click()
    details = page.locator("#stop-details")
    expect(details).to_contain_text(re.compile(r"Przystanek \d+ — "))
    expect(details).to_contain_text("ul. ")
    expect(first).to_have_class(re.compile("selected"))
    expect(page.locator(".leaflet-marker-icon.stop-icon.selected")).to_have_count(1)
    last = stops.last
    last.focus()
    page.keyboard.press("Enter")
    expect(last).to_have_class(re.compile("selected"))
    expect(first).not_to_have_class(re.compile("selected"))
    assert last.get_attribute("data-stop") != key
    marker = markers.nth(3)  # on the map by keyboard (a stop may lie under another)
    title = re.match(r"(\d+)\. ([^:]+):", marker.get_attribute("title") or "")
    assert title, marker.get_attribute("title")
    number, worker_name = title.groups()
    marker.focus()
    page.keyboard.press("Enter")
    expect(details).to_contain_text(f"Przystanek {number} — {worker_name}")
    expect(page.locator(".tl-track .stop.selected")).to_have_count(1)

    # the hospital in Lublin is out of town: listed under the map, shown on it on demand
    far = page.locator("#far button").filter(has_text=LUBLIN["name"])
    expect(far).to_have_count(1)
    far.click()
    lublin = page.locator(".leaflet-marker-icon.stop-icon.far-icon.selected")
    expect(lublin).to_have_count(1)
    expect(page.locator(".leaflet-popup-content").filter(has_text=LUBLIN["name"])).to_be_visible()
    expect(lublin).to_be_in_viewport()
    expect(page.locator(".leaflet-marker-icon.base-icon")).to_be_in_viewport()

    # left out: the reason in Polish and what would let it in
    left = page.locator(".left-item")
    expect(page.locator("#left-title")).to_have_text(re.compile(r"Pominięte zgłoszenia \([2-6]\)"))
    evening = left.filter(has_text=NAMES[14])
    expect(evening.locator(".reason")).to_be_hidden()
    evening.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(evening.locator(".reason")).to_be_visible()
    expect(evening.locator(".reason")).to_contain_text("nie pracuje w oknach zadania")
    expect(evening.locator(".remedy")).to_contain_text(
        "dodatkowa zmiana PES (Spółdzielnia Socjalna Łączy Nas) w godz. 15:00–17:00")
    after_hours = left.filter(has_text=NAMES[15])
    after_hours.locator("summary").click()
    expect(after_hours.locator(".reason")).to_contain_text("nie pracuje w oknach zadania")
    expect(after_hours.locator(".remedy")).to_contain_text("żaden hydraulik nie pracuje w "
                                                           "godz. 16:30–18:30")
    page.screenshot(path=tmp_path / "day-view.png")
    page.locator("#left-out").screenshot(path=tmp_path / "left-out.png")

    # publish: the sheets and the overview can be downloaded
    expect(page.get_by_role("button", name="Karta PDF").first).to_be_hidden()
    page.get_by_role("button", name="Opublikuj plan").click()
    expect(page.locator("#plan-state")).to_have_text("opublikowany")
    expect(page.get_by_role("button", name="Opublikuj plan")).to_be_hidden()
    with page.expect_download() as download:
        page.get_by_role("button", name="Przegląd dnia (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("button", name=f"Karta trasy (PDF): {WORKERS[0][1]}").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    for png in ("day-view.png", "left-out.png"):
        assert (tmp_path / png).stat().st_size > 20_000


def test_the_coordinator_records_a_sick_worker_and_sees_the_day_replanned_with_changes(
        page: Page, web_server: Server, published: str, tmp_path: Path) -> None:
    log_in(page, web_server.url, "coordinator", PASSWORD)
    day_view(page, web_server.url, OTHER_DAY)
    expect(page.locator("#plan-state")).to_have_text("opublikowany")
    expect(page.locator("#changes")).to_be_hidden()
    def stops_of(name: str):
        return page.locator(f'.tl-row[aria-label="{name}"] .stop')

    sick = max((w[1] for w in WORKERS[:2]), key=lambda name: stops_of(name).count())
    sick_row = stops_of(sick)
    had = sick_row.count()
    assert had >= 2
    page.locator("#events-card summary").click()
    page.get_by_label("Zdarzenie", exact=True).select_option("worker_unavailable")
    expect(page.get_by_label("Zgłoszenie")).to_be_hidden()  # only this event's fields
    page.get_by_label("Pracownik", exact=True).select_option(label=sick)
    page.get_by_label("Godzina zdarzenia").fill("09:00")
    page.evaluate("document.getElementById('planning').open = true")
    page.get_by_label("Najwięcej rozwiązań").fill(str(SOLUTIONS))
    page.get_by_role("button", name="Zapisz zdarzenie i przeplanuj").click()
    expect(page.locator("#job-label")).to_contain_text("Przeplanowanie")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100", timeout=120_000)
    expect(page.locator("#plan-state")).to_have_text("szkic")

    # the changes: listed in Polish, the sick worker's later stops gone to others, the
    # new stops outlined on the timeline and the map, the moment drawn on the timeline
    changes = page.locator("#changes-list li")
    expect(page.locator("#changes-note")).to_contain_text("Przeplanowano o 09:00")
    removed = changes.filter(has_text=f"{sick}: zdjęty")
    assert removed.count() >= 1
    expect(removed.first).to_contain_text(re.compile(r"przekazany do: |pominięty|pracownik"))
    starts = [re.search(r"(\d\d:\d\d)–", sick_row.nth(k).get_attribute("title") or "")
              for k in range(sick_row.count())]
    assert sick_row.count() < had and all(m and m.group(1) < "09:00" for m in starts)
    added = page.locator(".tl-track .stop.changed.added")
    assert added.count() >= 1
    expect(page.locator(".leaflet-marker-icon.stop-icon.changed")).to_have_count(
        page.locator(".tl-track .stop.changed").count())
    expect(page.locator(".tl-scale .now-line")).to_have_count(1)
    added.first.click()
    expect(page.locator("#stop-details .change-note")).to_have_text("nowy na tej trasie")
    page.locator("#changes").screenshot(path=tmp_path / "changes.png")
    assert (tmp_path / "changes.png").stat().st_size > 5_000

    # an urgent ride for a client in a wheelchair, on the re-planned draft
    page.get_by_label("Zdarzenie", exact=True).select_option("urgent_ride")
    page.get_by_label("Klient").select_option(label=NAMES[5])
    page.get_by_label("Dokąd").select_option(label=LUBLIN["name"])
    page.get_by_label("na wózku").check()
    page.get_by_label("Godzina zdarzenia").fill("10:30")
    page.get_by_role("button", name="Zapisz zdarzenie i przeplanuj").click()
    expect(page.locator("#changes-note")).to_contain_text("Przeplanowano o 10:30",
                                                          timeout=120_000)
    ride = changes.filter(has_text=f"{NAMES[5]} (wsiadanie)")
    expect(ride).to_contain_text("nowe zgłoszenie")
    expect(page.locator(".tl-track .stop.changed.added.trip")).to_have_count(2)


def test_a_worker_sees_only_their_own_published_day(
        page: Page, web_server: Server, published: str) -> None:
    log_in(page, web_server.url, "worker", PASSWORD)  # the account of w-anna
    expect(page).to_have_url(re.compile(r"/app/moj-dzien"))
    expect(page.get_by_role("link", name="Mój dzień")).to_be_visible()
    for hidden in ("Plan dnia", "Analizy"):
        expect(page.get_by_role("link", name=hidden)).to_be_hidden()
    # the script shows today first; typing before it has finished would be overwritten
    expect(page.locator("#my-routes > *").first).to_be_visible()
    page.get_by_label("Dzień", exact=True).fill(OTHER_DAY)
    page.get_by_role("button", name="Pokaż").click()
    stops = page.locator(".my-stops li")
    expect(stops.first).to_be_visible()
    with closing(web_server.client("coordinator")) as api:
        day = api.get(f"/days/{OTHER_DAY}/workers/w-anna").json()
        others = api.get(f"/days/{OTHER_DAY}/workers/w-piotr").json()
    mine = {c["name"] for c in day["clients"]}
    theirs = {c["name"] for c in others["clients"]} - mine
    assert mine and theirs
    expect(stops).to_have_count(sum(len(r["stops"]) + len(r["breaks"]) for r in day["routes"]))
    text = page.locator("main").inner_text()
    assert all(name in text for name in mine)
    assert not [name for name in theirs if name in text]
    assert "nadciśnienie" not in text  # never the health note
    with page.expect_download() as download:
        page.get_by_role("button", name="Pobierz kartę trasy (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Następny dzień").click()
    expect(page.locator("#my-routes")).to_contain_text("nie ma opublikowanego planu")
    page.goto(f"{web_server.url}/app/dzien")  # not a worker's page: back to their own
    expect(page).to_have_url(re.compile(r"/app/moj-dzien"))


def test_a_planner_sees_kpis_and_sweeps_but_no_client(
        page: Page, web_server: Server, published: str) -> None:
    with closing(web_server.client("planner")) as api:
        answer = api.post("/sweeps/jobs", json={
            "records": {"first_day": OTHER_DAY}, "max_solutions": 20,
            "templates": {"physio": {"worker": "w-piotr"}}, "vary": {"physio": [1, 2]}})
        assert answer.status_code == 202, answer.text
        deadline = time.monotonic() + 120
        while api.get(answer.headers["Location"]).json()["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.5)
        listed = api.get("/sweeps/jobs").json()
        assert [j["id"] for j in listed["items"]] == [answer.json()["id"]]
    log_in(page, web_server.url, "planner", PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/analizy"))
    expect(page.get_by_role("link", name="Plan dnia")).to_be_hidden()
    table = page.locator("#plans-table tbody")
    expect(table).to_contain_text("25.11.2026")
    expect(table).to_contain_text(re.compile(rf"\d+ z {TASKS}"))
    expect(table).to_contain_text("cel 35 %")
    sweep = page.locator("#sweeps .left-item").first
    expect(sweep).to_contain_text("gotowy")
    sweep.locator("summary").click()
    expect(sweep.locator("tbody tr")).to_have_count(2)
    text = page.locator("body").inner_text()
    assert not [name for name in NAMES if name in text]
    page.goto(f"{web_server.url}/app/moj-dzien")
    expect(page).to_have_url(re.compile(r"/app/analizy"))


def test_a_wrong_password_is_told_in_polish_and_the_page_is_usable_on_a_phone(
        browser: Browser, web_server: Server, published: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, locale="pl-PL", timezone_id="Europe/Warsaw")
    phone = context.new_page()
    phone.goto(f"{web_server.url}/")
    expect(phone).to_have_url(re.compile(r"/app/$"))
    phone.get_by_label("Nazwa użytkownika").fill("coordinator")
    phone.get_by_label("Hasło").fill("wrong")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("alert")).to_have_text("Zła nazwa użytkownika lub hasło.")
    log_in(phone, web_server.url, "coordinator", PASSWORD)
    day_view(phone, web_server.url, OTHER_DAY)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone but the timeline's own scroll
    phone.screenshot(path=tmp_path / "phone.png", full_page=True)
    phone.get_by_role("button", name="Wyloguj").click()
    expect(phone).to_have_url(re.compile(r"/app/$"))
    phone.goto(f"{web_server.url}/app/dzien")
    expect(phone).to_have_url(re.compile(r"/app/$"))  # logged out: back to the log-in
    context.close()


def test_every_asset_comes_from_trasa_with_leaflets_licence_and_a_strict_policy(
        web_server: Server) -> None:
    page = httpx.get(f"{web_server.url}/app/dzien")
    assert page.status_code == 200 and 'lang="pl"' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/", "#")) for s in sources), sources
    assert httpx.get(f"{web_server.url}/static/leaflet/leaflet.js").status_code == 200
    licence = httpx.get(f"{web_server.url}/static/web/LICENSE-leaflet.txt")
    assert "BSD 2-Clause" in licence.text and "Agafonkin" in licence.text
    assert httpx.get(f"{web_server.url}/app/nope").status_code == 404


def test_a_stale_draft_is_published_only_after_the_coordinator_agrees(
        page: Page, web_server: Server, published: str) -> None:
    """A draft made before another plan of its days was published: the page asks in
    Polish before it replaces that plan; a "no" leaves everything as it was."""
    with closing(web_server.client("coordinator")) as api:
        def draft() -> str:
            return kept_draft(api, api.post("/plans/jobs", json={
                "records": {"first_day": OTHER_DAY}, "max_solutions": SOLUTIONS}))
        stale, newer = draft(), draft()
        assert api.post(f"/plans/{newer}/publish").status_code == 200
        log_in(page, web_server.url, "coordinator", PASSWORD)
        day_view(page, web_server.url, OTHER_DAY, stale)
        questions: list[str] = []
        agree = [False]

        def on_dialog(dialog):  # type: ignore[no-untyped-def]
            questions.append(dialog.message)
            dialog.accept() if agree[0] else dialog.dismiss()
        page.on("dialog", on_dialog)

        def answer(accept: bool) -> None:
            agree[0], asked = accept, len(questions)
            page.get_by_role("button", name="Opublikuj plan").click()
            for _ in range(100):  # the question comes after the server's 409
                if len(questions) > asked:
                    break
                page.wait_for_timeout(100)

        answer(False)
        expect(page.locator("#plan-state")).to_have_text("szkic")
        assert api.get(f"/plans/{newer}").json()["status"] == "published"
        answer(True)
        expect(page.locator("#plan-state")).to_have_text("opublikowany")
        assert api.get(f"/plans/{stale}").json()["status"] == "published"
        assert api.get(f"/plans/{newer}").json()["status"] == "superseded"
        assert len(questions) == 2 and "zastąpić tamten plan" in questions[0]
