"""The live day in a real Chromium: the Chełm day published, its server's clock set
(`TRASA_NOW`) to 25 minutes after the planned start of Anna's second stop; Anna's phone
confirms her first stop over HTTP (as the phone would) and presses on a colleague's
task (refused). The coordinator's live page shows her progress, the late alert and the
refused press; its re-plan button posts the ready delay and the page shows the
re-planned draft. A planner reads the same page without a name."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.api.live.conftest import PASSWORD, Server, add_worker_accounts, start_server
from tests.web.browser import log_in
from tests.web.chelm_day import DAY, NAMES, WORKERS, load_day
from tests.web.pictures import plan_and_publish

PICTURE = Path(__file__).resolve().parents[2] / "docs" / "pictures" / "live-day.png"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory, chelm_graph: Path
               ) -> Iterator[Server]:
    """The Chełm day published; the server restarted with its clock at the moment."""
    tmp = tmp_path_factory.mktemp("live-web-server")
    srv = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, chelm_graph, workers=False)
    with closing(srv.client("coordinator")) as api:
        load_day(api)
        plan_id = plan_and_publish(api, DAY, max_solutions=50)
        routes = api.get(f"/plans/{plan_id}").json()["document"]["routes"]
    add_worker_accounts(srv)
    anna = next(r for r in routes if r["worker"] == "w-anna")["stops"]
    srv.env["TRASA_NOW"] = (datetime.fromisoformat(anna[1]["start"])
                            + timedelta(minutes=25)).isoformat()
    srv.stop()
    srv.start()
    srv.env["LIVE_PLAN"] = plan_id  # for the tests, beside the server's own settings
    yield srv
    srv.stop()


def _routes(server: Server) -> list[dict[str, Any]]:
    with closing(server.client("coordinator")) as api:
        document = api.get(f"/plans/{server.env['LIVE_PLAN']}").json()["document"]
    return list(document["routes"])


def _press(task: str, kind: str, at: str) -> dict[str, Any]:
    return {"key": str(uuid.uuid4()), "task_id": task, "kind": kind, "phone_at": at}


def test_the_coordinator_sees_progress_and_a_late_stop_and_re_plans_it(
        page: Page, web_server: Server, tmp_path: Path) -> None:
    routes = _routes(web_server)
    anna = next(r for r in routes if r["worker"] == "w-anna")["stops"]
    other = next(s for r in routes if r["worker"] != "w-anna" for s in r["stops"])
    with closing(web_server.client("worker")) as phone:
        sent = phone.post("/field/actions", json=[
            _press(anna[0]["task"], "arrived", anna[0]["start"]),
            _press(anna[0]["task"], "done", anna[0]["end"]),
            _press(other["task"], "arrived" if other["kind"] != "trip" else "picked_up",
                   anna[0]["end"])])
        assert sent.status_code == 200, sent.text
        assert [r["status"] for r in sent.json()["results"]] == [
            "accepted", "accepted", "rejected"]
    log_in(page, web_server.url, "coordinator", PASSWORD)
    page.goto(f"{web_server.url}/app/na-zywo?day={DAY}")
    expect(page.get_by_role("heading", name="Dzień na żywo")).to_be_visible()
    card = page.locator('article.route[data-worker="w-anna"]')
    expect(card.locator(".progress-text")).to_contain_text(f"1 z {len(anna)} punktów")
    expect(card.locator("tr.state-done")).to_have_count(1)
    late = page.locator(f'li.alert-late[data-task="{anna[1]["task"]}"]')
    expect(late).to_contain_text("spóźnienie")
    expect(late).to_contain_text("Anna Żółtowska, punkt 2")
    expect(late).to_contain_text("nikogo na miejscu 25 min po planowanym początku")
    expect(page.locator("#rejected tbody")).to_contain_text(
        "Ten punkt jest na trasie innej osoby")
    page.screenshot(path=tmp_path / "live-day.png", full_page=True)
    if PICTURE.parent.is_dir():
        shutil.copyfile(tmp_path / "live-day.png", PICTURE)

    button = late.get_by_role("button", name="Przeplanuj z opóźnieniem 25 min")
    with page.expect_request(lambda r: r.method == "POST" and "/events" in r.url) as sent_event:
        button.click()
    body = sent_event.value.post_data_json
    assert body["events"][-1] == {"kind": "late", "task": anna[1]["task"],
                                  "action": "serve", "minutes": 25}
    assert {(e["kind"], e["task"]) for e in body["events"][:-1]} == {
        ("started", anna[0]["task"]), ("finished", anna[0]["task"])}
    assert body["now"] == web_server.env["TRASA_NOW"]
    expect(page.locator("#replan-label")).to_contain_text("Przeplanowano", timeout=90_000)
    link = page.get_by_role("link", name="Pokaż przeplanowany dzień")
    expect(link).to_have_attribute("href", re.compile(rf"/app/dzien\?day={DAY}&plan=\w+"))
    link.click()
    expect(page.locator("#changes")).to_be_visible()


def test_the_coordinator_corrects_records_the_odometer_and_closes_the_day(
        page: Page, web_server: Server) -> None:
    anna = next(r for r in _routes(web_server) if r["worker"] == "w-anna")["stops"]
    log_in(page, web_server.url, "coordinator", PASSWORD)
    page.goto(f"{web_server.url}/app/na-zywo?day={DAY}")
    stop = page.locator(f'article.route[data-worker="w-anna"] tr[data-task="{anna[1]["task"]}"]')
    expect(stop).to_have_class(re.compile("state-pending"))
    page.get_by_label("Zadanie").select_option(anna[1]["task"])
    page.get_by_label("Co się stało").select_option("absent")
    page.get_by_role("button", name="Zapisz poprawkę").click()  # no reason: the form stops
    expect(stop).to_have_class(re.compile("state-pending"))
    page.get_by_label("Powód (wymagany)").fill("klientka dzwoniła, że jest w szpitalu")
    page.get_by_role("button", name="Zapisz poprawkę").click()
    expect(page.locator("#status")).to_have_text("Poprawka zapisana.")
    expect(stop).to_have_class(re.compile("state-absent"))
    expect(page.locator(f'li.alert-absent[data-task="{anna[1]["task"]}"]')).to_be_visible()

    page.get_by_label("Pojazd").select_option("bus")
    page.get_by_label("Na początku dnia (km)").fill("1000")
    page.get_by_label("Na koniec dnia (km)").fill("1085")
    page.get_by_role("button", name="Zapisz stan licznika").click()
    expect(page.locator("#status")).to_have_text("Stan licznika zapisany: 85 km tego dnia.")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Zamknij dzień").click()
    expect(page.locator("#closed")).to_have_text("dzień zamknięty")
    with closing(web_server.client("worker")) as phone:
        late = phone.post("/field/actions", json=[
            _press(anna[2]["task"], "arrived", anna[2]["start"])])
    assert late.status_code == 409 and "zamknął" in late.json()["detail"]


def test_a_planner_reads_the_live_day_without_a_name(page: Page, web_server: Server) -> None:
    log_in(page, web_server.url, "planner", PASSWORD)
    page.goto(f"{web_server.url}/app/na-zywo?day={DAY}")
    expect(page.locator("article.route").first).to_be_visible()
    expect(page.locator("#alerts li.alert").first).to_be_visible()
    text = page.locator("main").inner_text()
    for name in [*NAMES, *(w[1] for w in WORKERS)]:
        assert name not in text
    expect(page.locator(".replan-button")).to_have_count(0)
    expect(page.locator("#coordinator-forms")).to_be_hidden()
