"""One user's sweep cannot starve another's plan, and a sweep obeys its caps and a cancel.

On a server with one process (TRASA_JOB_WORKERS=1), a long sweep started first gives
its process to a plan started after it: the plan ends in seconds, long before the
sweep could have, and the sweep goes on after it (a second attempt) with the rows it
had, then stops within seconds of a DELETE. The queue's order itself (plans first,
the owner with the fewest jobs running first) is checked on the store, on both engines.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.store import jobs as store
from api.store.database import migrate, session_scope
from api.store.users import Role, add_user
from data.generate_cusday import build_cusday
from tests.api.live.conftest import fresh_postgres
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.sweep_data import sweep_scenario

PLAN_TIME_LIMIT_S = 20
SLACK_S = 5


def _long_sweep(graph: Path) -> dict[str, Any]:
    """A sweep of a generated 60-task day whose variants search 2,000 solutions each:
    far longer than a plan of the small day."""
    day = build_cusday(graph, tasks=60, seed=3)
    del day["network"]  # a job plans on the server's network
    return {"scenario": day, "seed": 0, "max_solutions": 2000, "time_limit_s": 60,
            "templates": {"carer": {"worker": "cus-00"}}, "vary": {"carer": [1, 2, 3, 4, 5]}}


def test_a_plan_started_after_a_long_sweep_ends_in_its_own_time(
        planner: httpx.Client, coordinator: httpx.Client, chelm_graph: Path) -> None:
    sweep = planner.post("/sweeps/jobs", json=_long_sweep(chelm_graph))
    assert sweep.status_code == 202, sweep.text
    sweep_at = sweep.headers["Location"]
    wait_for(planner, sweep_at, lambda j: j["status"] == "running")
    time.sleep(2)  # the sweep's variant is under way

    started = time.monotonic()
    plan = coordinator.post("/plans/jobs", json={
        "scenario": sweep_scenario(), "time_limit_s": PLAN_TIME_LIMIT_S, "max_solutions": 30})
    assert plan.status_code == 202, plan.text
    done = wait_for(coordinator, plan.headers["Location"], lambda j: j["status"] in FINISHED)
    took = time.monotonic() - started
    assert done["status"] == "done", done["error"]
    assert took < PLAN_TIME_LIMIT_S + SLACK_S, took

    # The plan did not wait for the sweep: the sweep is not over, and it was given back
    # to the queue once (a second run goes on after the plan).
    resumed = wait_for(planner, sweep_at, lambda j: j["attempts"] >= 2 or j["status"] in FINISHED)
    assert resumed["status"] in {"queued", "running"}, resumed
    assert resumed["attempts"] == 2

    wait_for(planner, sweep_at, lambda j: j["status"] == "running")
    asked = time.monotonic()
    assert planner.delete(sweep_at).status_code == 202
    stopped = wait_for(planner, sweep_at, lambda j: j["status"] in FINISHED, timeout_s=30)
    assert stopped["status"] == "cancelled", stopped
    assert time.monotonic() - asked < SLACK_S + 1
    assert stopped["plan"]["format"] == "trasa-sweep/1"
    assert len(stopped["plan"]["rows"]) < 5  # the rows done (if any) are kept, no more


def test_a_sweep_over_the_servers_caps_is_refused_before_it_runs(
        planner: httpx.Client) -> None:
    base = {"scenario": sweep_scenario(), "templates": {"physio": {"worker": "ewa"}}}
    # 40 variants of 100 s each: 4,000 s of solver time, over the 3,600 s a sweep may ask.
    costly = planner.post("/sweeps/jobs", json={**base, "time_limit_s": 100,
                                                "vary": {"physio": list(range(40))}})
    assert costly.status_code == 422, costly.text
    problem = costly.json()["detail"]
    assert "time_limit_s" in problem and "4000" in problem and "3600" in problem
    # One variant may not ask more than a planning job may (TRASA_JOB_TIME_LIMIT_S).
    long = planner.post("/sweeps/jobs", json={**base, "time_limit_s": 301,
                                              "vary": {"physio": [1]}})
    assert long.status_code == 422 and "time_limit_s: 301" in long.text
    assert "300" in long.text


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty migrated database of its own (no server claims from it), two owners."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'queue.db'}"
        migrate(url)
        yield from _with_owners(url)
    else:
        with fresh_postgres() as url:
            migrate(url)
            yield from _with_owners(url)


def _with_owners(url: str) -> Iterator[str]:
    with session_scope(url) as session:
        for name in ("busy", "calm"):
            add_user(session, name, "correct horse battery", Role.PLANNER)
    yield url


def test_the_queue_puts_plans_first_then_the_owner_with_fewest_jobs_running(
        queue: str) -> None:
    start = datetime(2026, 11, 24, 8, tzinfo=UTC)
    with session_scope(queue) as session:
        jobs = [store.add_job(session, owner, request) for owner, request in [
            ("calm", {"kind": "sweep"}), ("busy", {}), ("busy", {}), ("busy", {}),
            ("calm", {})]]
        for k, job in enumerate(jobs):  # a minute apart: the order of arrival is plain
            job.created_at = start + timedelta(minutes=k)
        sweep, busy, calm = jobs[0].id, [j.id for j in jobs[1:4]], jobs[4].id
    order = []
    for _ in range(5):
        with session_scope(queue) as session:
            claimed = store.claim_next(session)
            assert claimed is not None
            order.append(claimed[0])
    # busy's first plan (oldest), then calm's (busy has one running), then busy's others,
    # the sweep last though it is the oldest job of all.
    assert order == [busy[0], calm, busy[1], busy[2], sweep]
    with session_scope(queue) as session:
        assert store.claim_next(session) is None
