"""The page's plan button plans the demo weekday as `trasa plan` plans its file: a
coordinator on a server holding the weekday's records (SQLite, a generated Starachowice street grid,
a solution budget set by the server: TRASA_JOB_MAX_SOLUTIONS) picks the day and presses
the button without typing a seed or a budget; the plan the page keeps has the stops
and the left-out tasks of the command line's plan with the parameters that plan names
(seed, solution budget, time limit, one search). The records path on both engines:
tests/api/live/test_path_parity.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from api.formats.scenario import read_scenario
from tests.api.live.conftest import PASSWORD, Server, start_server
from tests.api.live.parity import WEEKDAY, plan_with_cli, post_records, stops, unserved
from tests.web.browser import log_in

BUDGET = 60  # the server's solution budget: it, not the clock, ends the search
PLANNED_S = 600  # the job's wait in the browser, on a slow shared machine


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory, starachowice_grid: Path
               ) -> Iterator[Server]:
    """The demo weekday's records on a server whose jobs get a solution budget (the
    `page` fixture of tests/web/conftest.py opens its tabs on this one)."""
    tmp = tmp_path_factory.mktemp("page-parity")
    srv = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, starachowice_grid, workers=False,
                       TRASA_JOB_MAX_SOLUTIONS=str(BUDGET))
    try:
        with closing(srv.client("coordinator")) as api:
            post_records(api, read_scenario(WEEKDAY))
        yield srv
    finally:
        srv.stop()


def test_the_pages_plan_button_plans_the_stops_the_command_line_plans_from_the_file(
        page: Page, web_server: Server, starachowice_grid: Path, tmp_path: Path) -> None:
    day = str(read_scenario(WEEKDAY).date)
    log_in(page, web_server.url, "coordinator", PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/dzien"))
    # the form says the server's budget; its clock is the server's longest, a safety net
    expect(page.locator("label[for=max-solutions]")).to_contain_text(f"puste: {BUDGET}")
    expect(page.get_by_label("Najwięcej rozwiązań")).to_have_value("")
    expect(page.get_by_label("Najdłużej (sekundy)")).to_have_value("300")

    page.get_by_label("Od dnia").fill(day)
    page.get_by_label("Zakres").select_option("1")
    with page.expect_request(lambda r: r.url.endswith("/plans/jobs")
                             and r.method == "POST") as started, \
            page.expect_response(lambda r: r.url.endswith("/plans") and r.request.method
                                 == "POST", timeout=PLANNED_S * 1000) as kept:
        page.get_by_role("button", name="Zaplanuj wybrane dni").click()
    sent = json.loads(started.value.post_data or "{}")
    assert "seed" not in sent and "max_solutions" not in sent  # the server's, not typed
    assert kept.value.status == 201, kept.value.text()
    draft = kept.value.json()["id"]
    expect(page.locator("#plan-state")).to_have_text("szkic")

    with closing(web_server.client("coordinator")) as api:
        answer = api.get(f"/plans/{draft}")
        assert answer.status_code == 200, answer.text
        page_plan = answer.json()["document"]
    solver = page_plan["solver"]
    assert (solver["seed"], solver["max_solutions"], solver["searches"]) == (0, BUDGET, 1)
    assert solver["solve_time_s"] < solver["time_limit_s"]  # the budget ended it, not the clock
    cli_plan = plan_with_cli(WEEKDAY, starachowice_grid, tmp_path / "cli", seed=solver["seed"],
                             max_solutions=solver["max_solutions"],
                             stall_solutions=solver["stall_solutions"],
                             time_limit_s=solver["time_limit_s"])

    assert page_plan["check"]["passed"] and cli_plan["check"]["passed"]
    assert len(stops(cli_plan)) > 20
    assert stops(page_plan) == stops(cli_plan)
    assert unserved(page_plan) == unserved(cli_plan)
    # and the page shows that plan: its stops on the timeline, its left-out tasks listed
    expect(page.locator(".tl-track .stop")).to_have_count(len(stops(cli_plan)))
    expect(page.locator("#left-title")).to_have_text(
        re.compile(rf"\({len(unserved(cli_plan))}\)"))
    page.screenshot(path=tmp_path / "planned-demo-day.png", full_page=True)
