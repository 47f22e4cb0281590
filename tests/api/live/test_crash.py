"""A server killed (SIGKILL) in the middle of a solve loses no accepted job, and a server
stopped or killed leaves no process of its pool behind."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from api.store.database import session_scope
from api.store.tables import Job
from tests.api.live.conftest import Server, fresh_postgres, start_server
from tests.api.live.jobs import FINISHED, day_of_records, wait_for

JOBS = 3
LONG_SOLVE_SOLUTIONS = 5_000


@pytest.fixture(params=["sqlite", "postgresql"])
def own_server(request: pytest.FixtureRequest, tmp_path: Path, chelm_graph: Path
               ) -> Iterator[Server]:
    """A server with a database of its own (the test kills it)."""
    with contextlib.ExitStack() as stack:
        url = (f"sqlite:///{tmp_path / 'trasa.db'}" if request.param == "sqlite"
               else stack.enter_context(fresh_postgres()))
        srv = start_server(url, tmp_path, chelm_graph)
        stack.callback(srv.stop)
        yield srv


def test_jobs_accepted_before_a_kill_all_end_done_after_a_restart(own_server: Server) -> None:
    api = own_server.client("coordinator")
    tasks, workers = day_of_records(api, 8)
    request = {"records": {"first_day": "2026-11-24", "task_ids": tasks,
                           "worker_ids": workers}, "max_solutions": 200}
    # The first job searches long enough to be killed in the middle of its solve.
    long = {**request, "max_solutions": LONG_SOLVE_SOLUTIONS, "stall_solutions": None}
    locations = []
    for body in [long] + [request] * (JOBS - 1):
        answer = api.post("/plans/jobs", json=body)
        assert answer.status_code == 202
        locations.append(answer.headers["Location"])
    wait_for(api, locations[0], lambda j: j["status"] == "running" and j["progress"])
    own_server.stop(kill=True)
    with session_scope(own_server.database_url) as session:
        assert session.get(Job, locations[0].rsplit("/", 1)[1]).status == "running"

    own_server.start()
    api = own_server.client("coordinator")
    jobs = [wait_for(api, where, lambda j: j["status"] in FINISHED) for where in locations]
    assert [j["status"] for j in jobs] == ["done"] * JOBS, [j["error"] for j in jobs]
    assert all(j["plan"]["check"]["passed"] for j in jobs)
    assert all({s["task"] for r in j["plan"]["routes"] for s in r["stops"]} == set(tasks)
               for j in jobs)
    assert jobs[0]["attempts"] == 2  # the run the kill interrupted, and the one after it


@pytest.mark.parametrize("kill", [False, True], ids=["stopped", "killed"])
def test_a_server_gone_leaves_no_pool_process_behind(tmp_path: Path, chelm_graph: Path,
                                                      kill: bool) -> None:
    srv = start_server(f"sqlite:///{tmp_path / 'trasa.db'}", tmp_path, chelm_graph)
    try:
        assert srv.process is not None
        server = psutil.Process(srv.process.pid)
        deadline = time.monotonic() + 60
        while "search steps compiled" not in srv.log() and time.monotonic() < deadline:
            time.sleep(0.2)  # the warm-up ran in a process of the pool
        time.sleep(3)  # which then left (one task a process) and the pool started the next
        pool = [p for p in server.children(recursive=True)
                if "--multiprocessing-fork" in p.cmdline()]
        assert pool, f"the server has no pool process: {srv.log()}"
    finally:
        srv.stop(kill=kill)
    _, alive = psutil.wait_procs(pool, timeout=15)
    assert not alive, [p.cmdline()[-1][:80] for p in alive]
