"""No process of Trasa's outlives its server, whatever the server was doing when it was
stopped (SIGTERM) or killed (SIGKILL): idle, while a pool worker was starting, in the
middle of a solve, or just after a job ended (when the pool starts a replacement).

Every process of one server carries a marker in its environment (spawned workers
inherit it), so what is left is found by reading /proc/*/environ, not by guessing
from names. SQLite only: the processes do not depend on the engine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.api.live.conftest import Server, start_server
from tests.api.live.jobs import FINISHED, wait_for
from tests.api.sweep_data import sweep_scenario
from tests.security.leftovers import MARK, marked

GONE_WITHIN_S = 10


def _post(api: httpx.Client, **params: object) -> str:
    answer = api.post("/plans/jobs", json={"scenario": sweep_scenario(), **params})
    assert answer.status_code == 202, answer.text
    return str(answer.headers["Location"])


def _idle(srv: Server, api: httpx.Client, mark: str) -> None:
    deadline = time.monotonic() + 60
    while "search steps compiled" not in srv.log() and time.monotonic() < deadline:
        time.sleep(0.2)  # the warm-up ran in a pool process, and a new one waits for work


def _worker_starting(srv: Server, api: httpx.Client, mark: str) -> None:
    """The moment a job process appears (just after the server answers): it is still
    importing, long before it could look at its parent."""
    deadline = time.monotonic() + 20
    while len(marked(mark)) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)


def _mid_solve(srv: Server, api: httpx.Client, mark: str) -> None:
    where = _post(api, max_solutions=1_000_000, stall_solutions=None, time_limit_s=120)
    wait_for(api, where, lambda j: j["status"] == "running" and j["progress"])


def _job_just_ended(srv: Server, api: httpx.Client, mark: str) -> None:
    where = _post(api, max_solutions=30)
    job = wait_for(api, where, lambda j: j["status"] in FINISHED, timeout_s=120)
    assert job["status"] == "done"


MOMENTS: dict[str, Callable[[Server, httpx.Client, str], None]] = {
    "idle": _idle, "worker-starting": _worker_starting, "mid-solve": _mid_solve,
    "job-just-ended": _job_just_ended}


# Each moment once killed (the kernel and the workers' watch must end them), and the
# clean stop (the runner ends them) where it has something to end: five servers, not
# eight, to keep the file short.
CASES = [("idle", signal.SIGTERM), ("mid-solve", signal.SIGTERM),
         ("worker-starting", signal.SIGKILL), ("mid-solve", signal.SIGKILL),
         ("job-just-ended", signal.SIGKILL)]


@pytest.mark.parametrize(("moment", "how"), CASES,
                         ids=[f"{m}-{'stopped' if h == signal.SIGTERM else 'killed'}"
                              for m, h in CASES])
def test_nothing_of_a_server_is_left_after_it_stops(
        tmp_path: Path, chelm_graph: Path, moment: str, how: signal.Signals) -> None:
    mark = uuid.uuid4().hex
    srv = start_server(f"sqlite:///{tmp_path / 'trasa.db'}", tmp_path, chelm_graph,
                       **{MARK: mark})
    assert srv.process is not None
    try:
        api = srv.client("coordinator")
        MOMENTS[moment](srv, api, mark)
        assert len(marked(mark)) >= 2, "the server has no pool process"
    finally:
        os.kill(srv.process.pid, how)
        srv.process.wait(timeout=30)
        srv.process = None
    deadline = time.monotonic() + GONE_WITHIN_S
    while (left := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"{moment}, {how.name}: left behind {left}"


def test_a_worker_whose_parent_died_before_it_looked_still_ends(tmp_path: Path) -> None:
    """The race of a pool starting a worker as its server dies: the worker reaches its
    initializer after its parent is gone. Given the parent's pid by the parent, it sees
    that and leaves; reading `getppid()` itself, it would watch init for ever."""
    mark = uuid.uuid4().hex
    late = ("import sys, time\n"
            "time.sleep(1.5)  # the parent is gone by now\n"
            "from api.jobs.processes import exit_with_parent\n"
            "exit_with_parent(int(sys.argv[1]))\n"
            "time.sleep(120)\n")
    parent = ("import os, subprocess, sys\n"
              f"subprocess.Popen([sys.executable, '-c', {late!r}, str(os.getpid())])\n"
              "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", parent], env={**os.environ, MARK: mark},
                   cwd=Path(__file__).resolve().parents[2], check=True, timeout=60)
    assert marked(mark), "the worker did not start"
    deadline = time.monotonic() + GONE_WITHIN_S
    while (left := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"an orphaned worker is left: {left}"
