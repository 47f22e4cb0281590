"""Issue 27, row 5: schemathesis over the whole API, as coordinator, planner and worker,
with NaN, Infinity, lone surrogates, NUL characters, huge numbers and far dates put into
the bodies and query strings it generates (tests/security/odd_input_hooks.py): no answer
is a server error, on SQLite and PostgreSQL.

A few examples per operation keep this under a minute per engine; the bigger run sets
ODD_INPUT_EXAMPLES (docs/security.md) and prints the case count of each role:

    ODD_INPUT_EXAMPLES=60 pytest -p no:xdist -s tests/security/test_schemathesis_odd.py
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live.conftest import Server, fresh_postgres, start_server

HOOKS = Path(__file__).with_name("odd_input_hooks.py")
SEED = "270527"  # the same requests every run: a failure reproduces
EXAMPLES_PER_OPERATION = int(os.environ.get("ODD_INPUT_EXAMPLES", "3"))


def schemathesis_run(server: Server, role: str, examples: int, seed: str
                     ) -> subprocess.CompletedProcess[str]:
    """schemathesis over `server`'s whole OpenAPI schema as `role`; 5xx fails the run."""
    token = server.client(role).headers["Authorization"]
    return subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "run",
         f"{server.url}/openapi.json", "-H", f"Authorization: {token}",
         "--checks", "not_a_server_error", "--max-examples", str(examples), "--seed", seed,
         "--phases", "examples,fuzzing", "--no-shrink", "--generation-database", "none"],
        capture_output=True, text=True, timeout=1800,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)})


def cases_of(output: str) -> int:
    """The number of test cases a schemathesis run reports it generated."""
    found = re.search(r"Test cases:\s*\n?\s*(\d+) generated", output) or re.search(
        r"(\d+) generated", output)
    return int(found[1]) if found else 0


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def odd_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               chelm_graph: Path) -> Iterator[Server]:
    """A server of its own (its jobs short): schemathesis adds and deletes records."""
    tmp = tmp_path_factory.mktemp(f"odd-{request.param}")
    with contextlib.ExitStack() as own:  # its own PostgreSQL database, not the session's
        url = (f"sqlite:///{tmp / 'trasa.db'}" if request.param == "sqlite"
               else own.enter_context(fresh_postgres()))
        srv = start_server(url, tmp, chelm_graph, TRASA_JOB_TIME_LIMIT_S="1",
                           TRASA_JOB_QUEUE="4")
        yield srv
        srv.stop()


# The coordinator last: its run may block, log out or re-password the other accounts
# (the account routes are fuzzed too), which would end the others' runs at log-in.
@pytest.mark.parametrize("role", ["worker", "planner", "coordinator"])
def test_odd_values_everywhere_never_make_a_server_error(odd_server: Server,
                                                         role: str) -> None:
    run = schemathesis_run(odd_server, role, EXAMPLES_PER_OPERATION, SEED)
    tail = run.stdout[-8000:]
    print(f"\n{role}: {cases_of(run.stdout)} cases, exit {run.returncode}")  # noqa: T201
    assert run.returncode == 0, tail + odd_server.log()
    assert cases_of(run.stdout) > 100, tail  # the hooks ran over the whole API
    assert "Server error" not in run.stdout, tail
