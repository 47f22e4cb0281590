"""What a new user met on the demo weekday's page, fixed, in Chromium: no two stops of
the timeline overlap and each can be clicked; breaks are drawn at their time and a
ride's arrive-by as its deadline; the planning progress keeps moving while a job runs;
the tab has an icon; and the call list of the day is a page of its own, linked from the
day view. (The server: the demo weekday's records on a generated Starachowice street
grid, planned with a solution budget.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from api.convert.scenario import read_scenario
from tests.api.live.conftest import PASSWORD, Server, start_server
from tests.api.live.parity import WEEKDAY, post_records
from tests.web.browser import log_in
from tests.web.pictures import day_view, plan_and_publish

BUDGET = 30  # solutions: the budget, not the clock, ends each search
WATCHED = 8  # solutions of the job whose progress is watched: seconds on this weekday
DAY = str(read_scenario(WEEKDAY).date)
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.tl-track .stop')]
    .map((b) => b.getBoundingClientRect());
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5
        && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) pairs.push([i, j]);
  }
  return pairs;
}"""


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory, starachowice_grid: Path
               ) -> Iterator[Server]:
    """The demo weekday's records, planned and published (the `page` fixture of
    tests/web/conftest.py opens its tabs on this one)."""
    tmp = tmp_path_factory.mktemp("demo-day-page")
    srv = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, starachowice_grid, workers=False,
                       TRASA_JOB_MAX_SOLUTIONS=str(BUDGET))
    try:
        with closing(srv.client("coordinator")) as api:
            post_records(api, read_scenario(WEEKDAY))
            plan_and_publish(api, DAY, max_solutions=BUDGET)
        yield srv
    finally:
        srv.stop()


def _view(server: Server) -> dict[str, Any]:
    with closing(server.client("coordinator")) as api:
        plan_id = next(p["id"] for p in api.get("/plans", params={"day": DAY}).json()["items"]
                       if p["status"] == "published")
        return dict(api.get(f"/plans/{plan_id}/days/{DAY}/view").json())


def test_no_stop_hides_another_breaks_and_arrive_by_shown_as_they_are(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    view = _view(web_server)
    stops = [s for r in view["rows"] for s in r["stops"]]
    assert len(stops) > 30
    log_in(page, web_server.url, "coordinator", PASSWORD)
    day_view(page, web_server.url, DAY)
    buttons = page.locator(".tl-track .stop")
    expect(buttons).to_have_count(len(stops))
    assert page.evaluate(OVERLAPS) == []
    page.set_viewport_size({"width": 1024, "height": 768})  # narrower: laid out again
    page.wait_for_timeout(400)
    assert page.evaluate(OVERLAPS) == []
    page.screenshot(path=tmp_path / "demo-day-timeline.png", full_page=True)
    for k in range(buttons.count()):  # a real click on each: nothing lies on top of it
        button = buttons.nth(k)
        route, number = button.get_attribute("data-stop").split("-")  # type: ignore[union-attr]
        button.click(timeout=5_000)
        expect(page.locator("#stop-details h3")).to_contain_text(f"Przystanek {number} ")
        expect(button).to_have_class(re.compile(r"\bselected\b"))

    breaks = [s for r in view["rows"] for s in r["segments"] if s["kind"] == "break"]
    assert breaks
    drawn = page.locator(".tl-track .seg.break")
    expect(drawn).to_have_count(len(breaks))
    labels = {drawn.nth(k).get_attribute("aria-label") for k in range(drawn.count())}
    assert labels == {f"przerwa {b['from']}–{b['to']}" for b in breaks}
    scale = page.locator(".tl-scale").bounding_box()
    assert scale is not None
    hours = view["hours"]
    per_min = scale["width"] / ((hours["to"] - hours["from"]) * 60)
    for k, b in enumerate(breaks):  # each at its own time and length on the scale
        box = drawn.nth(k).bounding_box()
        assert box is not None
        assert abs(box["x"] - (scale["x"] + (b["start_min"] - hours["from"] * 60) * per_min)) < 2
        assert abs(box["width"] - (b["end_min"] - b["start_min"]) * per_min) < 2

    due = [s for s in stops if s["deadline"]]
    assert due, "the demo weekday has rides with an arrive-by time"
    expect(page.locator(".tl-track .deadline")).to_have_count(len(due))
    first = due[0]
    page.locator(f".tl-track .stop[data-stop='{first['route']}-{first['number']}']").click()
    details = page.locator("#stop-details")
    expect(details).to_contain_text("Na miejscu najpóźniej")
    expect(details).to_contain_text(first["deadline"])
    expect(details).not_to_contain_text("Okno czasowe")


WATCH = """() => {
  window.seen = [];
  const fetched = window.fetch;
  window.fetch = async (...args) => {  // an observer: the page reads the same answer
    const answer = await fetched(...args);
    if (/\\/plans\\/jobs\\/[^/]+$/.test(String(args[0]))) {
      const job = await answer.clone().json();
      window.seen.push(["poll", job.status, JSON.stringify(job.progress)]);
    }
    return answer;
  };
  document.addEventListener("DOMContentLoaded", () => {
    const label = document.getElementById("job-label");
    if (label) new MutationObserver(() => window.seen.push(["label", label.textContent]))
      .observe(label, {subtree: true, childList: true, characterData: true});
  });
}"""


def test_the_progress_moves_while_a_job_runs(page: Page, web_server: Server) -> None:
    """The search reports progress when it finds a better plan: between its reports (and
    before the first) the page's seconds and bar still move."""
    page.add_init_script(f"({WATCH})()")
    log_in(page, web_server.url, "coordinator", PASSWORD)
    # the day in the address is set once the page's script has run (it fills "Od dnia"
    # with tomorrow first, so filling before would be overwritten)
    expect(page).to_have_url(re.compile(r"/app/dzien\?day="))
    page.get_by_label("Od dnia").fill(DAY)
    page.get_by_label("Najwięcej rozwiązań").fill(str(WATCHED))
    with page.expect_response(lambda r: r.url.endswith("/plans") and r.request.method == "POST",
                              timeout=600_000):
        page.get_by_role("button", name="Zaplanuj wybrane dni").click()
    seen: list[list[str]] = page.evaluate("window.seen")
    polls: list[tuple[list[str], str]] = []  # each poll's answer and the label it left
    for event in seen:
        if event[0] == "poll":
            polls.append((event, polls[-1][1] if polls else ""))
        elif polls:
            polls[-1] = (polls[-1][0], event[1])
    moved = sum(1 for (was, before), (now, after) in zip(polls, polls[1:], strict=False)
                if now[1] == "running" and now == was and after != before
                and "s z najwyżej" in after)  # the server said nothing new; the page moved
    running = {e[1] for e in seen if e[0] == "label" and "s z najwyżej" in e[1]}
    assert len(running) >= 3 and moved >= 2, seen
    expect(page.locator("#job-best")).to_contain_text("Zapisany jako szkic")


def test_a_coordinator_evens_out_the_workers_days(page: Page, web_server: Server) -> None:
    log_in(page, web_server.url, "coordinator", PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/dzien\?day="))
    page.get_by_label("Od dnia").fill(DAY)
    page.get_by_label("Najwięcej rozwiązań").fill(str(WATCHED))
    page.get_by_label("Wyrównaj obciążenie pracowników").select_option(
        label="według liczby wizyt")
    page.get_by_label("Ci sami pracownicy co w ostatnich tygodniach").check()
    with page.expect_request(lambda r: r.url.endswith("/plans/jobs")
                             and r.method == "POST") as sent:
        page.get_by_role("button", name="Zaplanuj wybrane dni").click()
    assert sent.value.post_data_json["records"]["goals"] == {"balance": "visits",
                                                             "familiar": True}
    expect(page.locator("#job-best")).to_contain_text("Zapisany jako szkic", timeout=600_000)
    tile = page.locator(".kpi").filter(has_text="Równe obciążenie")
    expect(tile).to_contain_text(re.compile(r"różnica wizyt: \d+"))


def test_the_tab_has_an_icon(page: Page, web_server: Server) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    log_in(page, web_server.url, "coordinator", PASSWORD)
    page.wait_for_load_state("networkidle")
    icons = page.locator("link[rel=icon]")
    assert icons.count() >= 1
    for k in range(icons.count()):
        answer = page.request.get(web_server.url + str(icons.nth(k).get_attribute("href")))
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/")
    answer = page.request.get(web_server.url + "/favicon.ico")  # where browsers look first
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/")
    assert answer.body()[:4] == b"\x00\x00\x01\x00"  # an icon file
    assert missing == []


def test_the_call_list_opens_from_the_day_view(page: Page, web_server: Server,
                                               tmp_path: Path) -> None:
    log_in(page, web_server.url, "coordinator", PASSWORD)
    day_view(page, web_server.url, DAY)
    page.locator("#call-list-link").click()
    expect(page).to_have_url(re.compile(rf"/app/telefony\?day={DAY}"))
    rows = page.locator("#calls tbody tr.call")
    with closing(web_server.client("coordinator")) as api:
        listed = api.get(f"/days/{DAY}/call-list").json()["rows"]
    expect(rows).to_have_count(len(listed))
    first = listed[0]
    expect(rows.first).to_contain_text(first["client"])
    expect(rows.first).to_contain_text(first["message"][:40])
    expect(page.locator("#since")).to_contain_text("nic nie jest zaznaczone")
    page.get_by_role("button", name="Wydaj listę").click()
    expect(page.locator("#since")).to_contain_text("Zaznaczono zmiany od listy wydanej")
    page.screenshot(path=tmp_path / "call-list-page.png", full_page=True)
