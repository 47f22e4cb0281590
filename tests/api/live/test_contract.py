"""The API keeps its OpenAPI contract (schemathesis against a live server), and a full
queue answers 429 with Retry-After."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live.conftest import Server, start_server
from tests.api.live.jobs import one_day_scenario

# A fixed seed: the same requests every run (a failure reproduces); examples per operation
# bound the run to about half a minute.
SCHEMATHESIS_SEED = "275881058477834082998638365220694016439"
EXAMPLES_PER_OPERATION = "10"


@pytest.fixture
def small_server(request: pytest.FixtureRequest, tmp_path: Path, chelm_graph: Path
                 ) -> Iterator[Server]:
    """A server of its own whose jobs are short (1 s) and whose queue is `request.param`."""
    srv = start_server(f"sqlite:///{tmp_path / 'trasa.db'}", tmp_path, chelm_graph,
                       TRASA_JOB_TIME_LIMIT_S="1", TRASA_JOB_QUEUE=str(request.param))
    yield srv
    srv.stop()


@pytest.mark.parametrize("small_server", [2], indirect=True)
def test_no_server_error_no_schema_break_no_undocumented_status(small_server: Server) -> None:
    token = small_server.client("coordinator").headers["Authorization"]
    run = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run",
         f"{small_server.url}/openapi.json", "-H", f"Authorization: {token}",
         "--checks", "not_a_server_error,status_code_conformance,"
                     "response_schema_conformance,content_type_conformance",
         "--max-examples", EXAMPLES_PER_OPERATION, "--seed", SCHEMATHESIS_SEED,
         # one worker: two threads of hypothesis describing lambdas at once tripped
         # CPython 3.11's "AST constructor recursion depth mismatch" (a runtime error of
         # the tool, not of Trasa); its threads share one GIL, so little is lost
         "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + small_server.log()
    assert " passed" in run.stdout and "failures" not in run.stdout.split("SUMMARY")[-1]


@pytest.mark.parametrize("small_server", [0], indirect=True)
def test_a_full_queue_answers_429_with_retry_after(small_server: Server) -> None:
    api = small_server.client("coordinator")
    answer = api.post("/plans/jobs", json={"scenario": one_day_scenario(1), "max_solutions": 5,
                                           "time_limit_s": 1})
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert api.get("/plans/jobs").json()["total"] == 0  # nothing half-accepted
