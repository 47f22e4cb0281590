"""The records API plans the demo weekday as `trasa plan` plans its file: the weekday's
records posted to a real server (SQLite and PostgreSQL), planned by a job with a fixed
seed and solution budget on one street network (a generated Starachowice grid), give
the stops the command line gives with the same seed, budget and network; and every
return trip is fetched where its outbound dropped the client off. (The Saturday and the
week: tests/api/test_path_parity.py shows their solver input is identical.)"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.convert.scenario import read_scenario
from api.schemas.scenario import ScenarioIn
from tests.api.live.conftest import fresh_postgres, start_server
from tests.api.live.parity import (
    WEEKDAY,
    plan_with_cli,
    post_records,
    stops,
    unserved,
    wait_job,
)

SEED, MAX_SOLUTIONS, TIME_LIMIT_S = 3, 60, 300  # the budget stops the search, not the clock


@pytest.fixture(scope="module")
def weekday() -> ScenarioIn:
    return read_scenario(WEEKDAY)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def job_plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             starachowice_grid: Path, weekday: ScenarioIn) -> Iterator[dict[str, Any]]:
    """The weekday's records posted to a fresh server, planned by a job: its plan."""
    tmp = tmp_path_factory.mktemp(f"parity-{request.param}")
    with contextlib.ExitStack() as stack:
        url = (f"sqlite:///{tmp / 'trasa.db'}" if request.param == "sqlite"
               else stack.enter_context(fresh_postgres()))
        server = start_server(url, tmp, starachowice_grid, workers=False)
        stack.callback(server.stop)
        api = server.client("coordinator")
        stack.callback(api.close)
        post_records(api, weekday)
        answer = api.post("/plans/jobs", json={
            "records": {"first_day": str(weekday.date), "days": weekday.days,
                        "timezone": weekday.timezone,
                        "rules": weekday.rules.model_dump(mode="json"),
                        "goals": weekday.goals.model_dump(mode="json"),
                        "trip_rules": weekday.trip_rules.model_dump(mode="json")},
            "seed": SEED, "max_solutions": MAX_SOLUTIONS, "stall_solutions": None,
            "time_limit_s": TIME_LIMIT_S})
        assert answer.status_code == 202, answer.text
        job = wait_job(api, answer.headers["Location"], timeout_s=600)
        assert job["status"] == "done", job["error"]
        yield {**job["plan"], "_api": api}


@pytest.fixture(scope="module")
def cli_plan(tmp_path_factory: pytest.TempPathFactory, starachowice_grid: Path) -> dict[str, Any]:
    return plan_with_cli(WEEKDAY, starachowice_grid, tmp_path_factory.mktemp("parity-cli"),
                         seed=SEED, max_solutions=MAX_SOLUTIONS, stall_solutions=None,
                         time_limit_s=TIME_LIMIT_S)


def test_a_job_on_the_records_plans_the_stops_the_command_line_plans_from_the_file(
        job_plan: dict[str, Any], cli_plan: dict[str, Any]) -> None:
    assert job_plan["check"]["passed"] and cli_plan["check"]["passed"]
    assert len(stops(cli_plan)) > 20
    assert stops(job_plan) == stops(cli_plan)
    assert unserved(job_plan) == unserved(cli_plan)


def test_over_http_every_return_is_fetched_where_its_outbound_dropped_off(
        job_plan: dict[str, Any], weekday: ScenarioIn) -> None:
    where = {(s["task"], s["action"]): s["location"]
             for route in job_plan["routes"] for s in route["stops"]}
    returns = [r for r in weekday.trips if r.return_of is not None]
    homes = {c.id: c.location for c in weekday.clients}
    served = [r for r in returns if (r.id, "pickup") in where]
    assert [r.id for r in served] == [r.id for r in returns]  # all three returns served
    for r in served:
        assert where[(r.id, "pickup")] == where[(str(r.return_of), "dropoff")] == r.pickup
        assert where[(r.id, "pickup")] != homes[str(r.client)]


def test_the_records_api_keeps_a_returns_pickup_place(job_plan: dict[str, Any]) -> None:
    api: httpx.Client = job_plan["_api"]
    back = api.get("/trips/ride-kielce-back").json()
    assert back["pickup"] == api.get("/trips/ride-kielce").json()["dropoff"]
    assert back["pickup"]["id"] == "hospital-kielce"
