"""The README's pictures of the coordinator's page: `python -m tests.web.pictures OUT_DIR`.

Starts a Trasa server on a temporary SQLite database with the Chełm road network from
../shared/data, loads the Chełm day, plans it (a solution budget, not a clock),
publishes it, and saves `day-view.png` (1366x768), `left-out.png` (the left-out list
with every reason open) and `day-view-phone.png` (390 px wide) in OUT_DIR; then a
physiotherapist goes home sick at 10:00 and `replanned-day.png` shows the day
re-planned, with the changes; and `phone-day-uk.png`: a worker's phone page in Ukrainian
with two stops confirmed."""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from tests.api.live.conftest import PASSWORD, Server, add_worker_accounts, start_server
from tests.conftest import _shared_file
from tests.web.browser import DESKTOP, PHONE, launch, log_in
from tests.web.chelm_day import DAY, load_day

SOLUTIONS = 300


def kept_draft(api: httpx.Client, answer: httpx.Response) -> str:
    """The job `answer` started, waited for and kept as a draft; the plan's id."""
    assert answer.status_code == 202, answer.text
    job = answer.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.3)
        job = api.get(f"/plans/jobs/{job['id']}").json()
    assert job["status"] == "done", job
    draft = api.post("/plans", json={"job_id": job["id"]})
    assert draft.status_code == 201, draft.text
    return str(draft.json()["id"])


def plan_and_publish(api: httpx.Client, day: str, *, max_solutions: int) -> str:
    """A job over the day's records, kept as a draft and published; the plan's id."""
    plan_id = kept_draft(api, api.post("/plans/jobs", json={
        "records": {"first_day": day}, "max_solutions": max_solutions}))
    assert api.post(f"/plans/{plan_id}/publish").status_code == 200
    return plan_id


def replan(api: httpx.Client, plan_id: str, events: dict[str, object]) -> str:
    """The plan re-planned after `events` (a solution budget), kept as a draft; its id."""
    return kept_draft(api, api.post(f"/plans/{plan_id}/events",
                                    json={**events, "max_solutions": 100}))


def day_view(page: Page, base_url: str, day: str, plan_id: str | None = None) -> None:
    """The day view of `day` (of `plan_id`, or the published plan), once its map,
    timeline and left-out list are drawn."""
    page.goto(f"{base_url}/app/dzien?day={day}" + (f"&plan={plan_id}" if plan_id else ""))
    page.locator(".tl-track .stop").first.wait_for()
    page.locator(".leaflet-marker-icon.stop-icon").first.wait_for()
    page.evaluate("document.getElementById('planning').open = false")


def _phone_day(browser: Browser, server: Server, path: Path) -> None:
    """Anna's phone on the day, in Ukrainian (her stored language), at 10:00: her first
    stop confirmed, the second "arrived"."""
    with closing(server.client("worker")) as api:
        api.patch("/auth/me", json={"language": "uk"}).raise_for_status()
    base_url = server.url
    context = browser.new_context(viewport=PHONE, locale="uk-UA", is_mobile=True,
                                  timezone_id="Europe/Warsaw")
    context.clock.install(time=datetime.fromisoformat(f"{DAY}T10:00:00+01:00"))
    page = context.new_page()
    log_in(page, base_url, "worker", PASSWORD)
    page.goto(f"{base_url}/app/moj-dzien?day={DAY}&lang=uk")
    stops = page.locator(".my-stops li.stop")
    stops.first.get_by_role("button", name="на місці", exact=True).click()
    stops.first.get_by_role("button", name="виконано", exact=True).click()
    stops.first.get_by_role("button", name="Підтвердити: виконано").click()
    stops.nth(1).get_by_role("button", name="на місці", exact=True).click()
    page.locator(".press-state.accepted").nth(2).wait_for()
    page.screenshot(path=path, full_page=True)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp,
                              _shared_file("osm/Chelm_map.graphml"), workers=False)
        try:
            with closing(server.client("coordinator")) as api:
                load_day(api)
            add_worker_accounts(server)
            with closing(server.client("coordinator")) as api:
                published = plan_and_publish(api, DAY, max_solutions=SOLUTIONS)
                replanned = replan(api, published, {"now": "10:00", "events": [
                    {"kind": "worker_unavailable", "worker": "w-anna", "from": "10:00"}]})
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for name, viewport in (("day-view", DESKTOP), ("day-view-phone", PHONE)):
                    page = browser.new_page(viewport=viewport, locale="pl-PL",
                                            timezone_id="Europe/Warsaw")
                    log_in(page, server.url, "coordinator", PASSWORD)
                    day_view(page, server.url, DAY)
                    page.locator(".tl-track .stop").first.click()
                    page.locator("main h1").scroll_into_view_if_needed()
                    page.wait_for_timeout(500)  # the stop's label has faded in
                    page.screenshot(path=args.out / f"{name}.png",
                                    full_page=name.endswith("phone"))
                    if name == "day-view":
                        for summary in page.locator(".left-item summary").all():
                            summary.click()
                        page.locator("#left-out").scroll_into_view_if_needed()
                        page.locator("#left-out").locator("..").screenshot(
                            path=args.out / "left-out.png")
                    page.close()
                page = browser.new_page(viewport=DESKTOP, locale="pl-PL",
                                        timezone_id="Europe/Warsaw")
                log_in(page, server.url, "coordinator", PASSWORD)
                day_view(page, server.url, DAY, plan_id=replanned)
                page.locator(".tl-track .stop.changed").first.click()
                page.locator("#changes").scroll_into_view_if_needed()
                page.wait_for_timeout(500)
                page.screenshot(path=args.out / "replanned-day.png", full_page=True)
                page.goto(f"{server.url}/app/konto")
                page.locator("#users tbody tr").first.wait_for()
                page.screenshot(path=args.out / "account.png", full_page=True)
                _phone_day(browser, server, args.out / "phone-day-uk.png")
                browser.close()
        finally:
            server.stop()
    for name in ("day-view", "left-out", "day-view-phone", "replanned-day", "account",
                 "phone-day-uk"):
        print(args.out / f"{name}.png")  # noqa: T201


if __name__ == "__main__":
    main()
