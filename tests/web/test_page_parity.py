"""Page = API = command line: the demo weekday planned three ways gives one plan.

A coordinator on a server holding the weekday's records (SQLite, a generated
Starachowice street grid, a solution budget set by the server: TRASA_JOB_MAX_SOLUTIONS)
picks the day on the page (Chromium through Playwright) and presses the plan button
without typing a seed or a budget; a client of the API posts a job naming the same
seed and budget; `trasa plan` plans the weekday's file with them. Every other parameter
is each path's default (`api.services.parameters`: two searches side by side where
there are two cores, the stall stop), and the budget, not the clock, ends each search.
The three plans have the same parameters, the same tasks served and the same stops.
(The records path on both engines: tests/api/live/test_path_parity.py.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from api.convert.scenario import read_scenario
from api.services.parameters import Kind, default
from tests.api.live.conftest import PASSWORD, Server, start_server
from tests.api.live.parity import (
    WEEKDAY,
    plan_with_cli,
    post_records,
    served,
    stops,
    unserved,
    wait_job,
)
from tests.web.browser import log_in

BUDGET = 60  # the server's solution budget: it, not the clock, ends the search
LONGEST_S = 3600  # the server's longest job, which the page's form then asks: far off
SEED = 0  # the server's (TRASA_JOB_SEED's default): the page names none
PLANNED_S = 600  # the job's wait in the browser, on a slow shared machine


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory, starachowice_grid: Path
               ) -> Iterator[Server]:
    """The demo weekday's records on a server whose jobs get a solution budget (the
    `page` fixture of tests/web/conftest.py opens its tabs on this one)."""
    tmp = tmp_path_factory.mktemp("page-parity")
    srv = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, starachowice_grid, workers=False,
                       TRASA_JOB_MAX_SOLUTIONS=str(BUDGET),
                       TRASA_JOB_TIME_LIMIT_S=str(LONGEST_S))
    try:
        with closing(srv.client("coordinator")) as api:
            post_records(api, read_scenario(WEEKDAY))
        yield srv
    finally:
        srv.stop()


def _page_plan(page: Page, server: Server, day: str) -> dict[str, Any]:
    """The plan the page keeps after its plan button, the day picked and nothing typed."""
    log_in(page, server.url, "coordinator", PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/dzien\?day="))  # the script has run
    # the form says the server's budget; its clock is the server's longest, a safety net
    expect(page.locator("label[for=max-solutions]")).to_contain_text(f"puste: {BUDGET}")
    expect(page.get_by_label("Najwięcej rozwiązań")).to_have_value("")
    expect(page.get_by_label("Najdłużej (sekundy)")).to_have_value(str(LONGEST_S))
    page.get_by_label("Od dnia").fill(day)
    page.get_by_label("Zakres").select_option("1")
    with page.expect_request(lambda r: r.url.endswith("/plans/jobs")
                             and r.method == "POST") as started, \
            page.expect_response(lambda r: r.url.endswith("/plans") and r.request.method
                                 == "POST", timeout=PLANNED_S * 1000) as kept:
        page.get_by_role("button", name="Zaplanuj wybrane dni").click()
    sent = json.loads(started.value.post_data or "{}")
    assert sent.keys() == {"records", "time_limit_s"}  # the server's budget and seed
    assert kept.value.status == 201, kept.value.text()
    expect(page.locator("#plan-state")).to_have_text("szkic")
    with closing(server.client("coordinator")) as api:
        answer = api.get(f"/plans/{kept.value.json()['id']}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["document"])


def _api_plan(server: Server, day: str, time_limit_s: float) -> dict[str, Any]:
    """A job posted by an API client naming the seed and the budget, nothing else."""
    with closing(server.client("coordinator")) as api:
        answer = api.post("/plans/jobs", json={"records": {"first_day": day},
                                               "seed": SEED, "max_solutions": BUDGET,
                                               "time_limit_s": time_limit_s})
        assert answer.status_code == 202, answer.text
        job = wait_job(api, answer.headers["Location"], timeout_s=PLANNED_S)
        assert job["status"] == "done", job["error"]
        return dict(job["plan"])


def test_the_page_the_api_and_the_command_line_plan_the_demo_day_alike(
        page: Page, web_server: Server, starachowice_grid: Path, tmp_path: Path) -> None:
    day = str(read_scenario(WEEKDAY).date)
    page_plan = _page_plan(page, web_server, day)
    limit = page_plan["solver"]["time_limit_s"]
    api_plan = _api_plan(web_server, day, limit)
    cli_plan = plan_with_cli(WEEKDAY, starachowice_grid, tmp_path / "cli", seed=SEED,
                             max_solutions=BUDGET, time_limit_s=limit)

    plans = {"page": page_plan, "api": api_plan, "cli": cli_plan}
    wanted = {"seed": SEED, "max_solutions": BUDGET, "time_limit_s": limit,
              "searches": default(Kind.PLAN, "searches"),
              "stall_solutions": default(Kind.PLAN, "stall_solutions")}
    for path, plan in plans.items():
        solver = plan["solver"]
        assert {k: solver[k] for k in wanted} == wanted, path  # one set of parameters
        assert solver["solve_time_s"] < solver["time_limit_s"], path  # the budget ended it
        assert plan["check"]["passed"], path
    assert len(stops(cli_plan)) > 20
    for path in ("page", "api"):
        assert served(plans[path]) == served(cli_plan), path
        assert stops(plans[path]) == stops(cli_plan), path
        assert unserved(plans[path]) == unserved(cli_plan), path
    # and the page shows that plan: its stops on the timeline, its left-out tasks listed
    expect(page.locator(".tl-track .stop")).to_have_count(len(stops(cli_plan)))
    expect(page.locator("#left-title")).to_have_text(
        re.compile(rf"\({len(unserved(cli_plan))}\)"))
    page.screenshot(path=tmp_path / "planned-demo-day.png", full_page=True)
