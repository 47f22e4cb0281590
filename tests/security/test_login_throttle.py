"""Issue 27, row 8: failed log-ins are throttled per account and per client address (429
with Retry-After, the right password refused too until the window passes), and an
unknown user name takes as long as a known one with a wrong password."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app.errors import PROBLEM_JSON
from tests.api.live.conftest import PASSWORD, Server, start_server

ACCOUNT_LIMIT, ADDRESS_LIMIT, WINDOW_S = 3, 5, 3
TRIES = 10


def _server(tmp: Path, graph: Path, **settings: str) -> Server:
    return start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, graph, **settings)


@pytest.fixture(scope="module")
def throttled(tmp_path_factory: pytest.TempPathFactory, chelm_graph: Path
              ) -> Iterator[Server]:
    """A server with low limits and a short window, so that a test sees them pass."""
    srv = _server(tmp_path_factory.mktemp("throttled"), chelm_graph,
                  TRASA_LOGIN_FAILURES_PER_ACCOUNT=str(ACCOUNT_LIMIT),
                  TRASA_LOGIN_FAILURES_PER_ADDRESS=str(ADDRESS_LIMIT),
                  TRASA_LOGIN_WINDOW_S=str(WINDOW_S))
    yield srv
    srv.stop()


def _client(server: Server, address: str) -> httpx.Client:
    """A client whose requests come from `address` (any 127.x.y.z reaches the server):
    each test has an address of its own, so the address counts do not mix."""
    return httpx.Client(base_url=server.url, timeout=30,
                        transport=httpx.HTTPTransport(local_address=address))


def _log_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/auth/token", data={"username": username, "password": password})


def _assert_throttled(answer: httpx.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM_JSON)
    assert answer.json()["status"] == 429
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= WINDOW_S
    return wait


def test_the_account_is_refused_after_its_failures_even_the_right_password(
        throttled: Server) -> None:
    with _client(throttled, "127.0.0.2") as client:
        for _ in range(ACCOUNT_LIMIT):
            assert _log_in(client, "coordinator", "wrong password").status_code == 401
        _assert_throttled(_log_in(client, "coordinator", "wrong password"))
        wait = _assert_throttled(_log_in(client, "coordinator", PASSWORD))
        time.sleep(wait)
        assert _log_in(client, "coordinator", PASSWORD).status_code == 200


def test_a_successful_log_in_forgets_the_accounts_failures(throttled: Server) -> None:
    with _client(throttled, "127.0.0.3") as client:
        for _ in range(ACCOUNT_LIMIT - 1):
            assert _log_in(client, "planner", "wrong password").status_code == 401
        assert _log_in(client, "planner", PASSWORD).status_code == 200
        assert _log_in(client, "planner", "wrong password").status_code == 401  # not 429
        assert _log_in(client, "planner", PASSWORD).status_code == 200


def test_the_address_is_refused_after_failures_over_several_accounts(
        throttled: Server) -> None:
    names = ["worker", "other-worker", "nobody-1", "nobody-2", "nobody-3"]
    assert len(names) == ADDRESS_LIMIT  # each account below its own limit
    with _client(throttled, "127.0.0.4") as client:
        for name in names:
            assert _log_in(client, name, "wrong password").status_code == 401
        _assert_throttled(_log_in(client, "coordinator", PASSWORD))  # a fresh account
    with _client(throttled, "127.0.0.5") as elsewhere:  # the accounts themselves are free
        assert _log_in(elsewhere, "worker", PASSWORD).status_code == 200


def test_an_unknown_user_takes_as_long_as_a_wrong_password(
        tmp_path: Path, chelm_graph: Path) -> None:
    srv = _server(tmp_path, chelm_graph, TRASA_LOGIN_FAILURES_PER_ACCOUNT="100",
                  TRASA_LOGIN_FAILURES_PER_ADDRESS="100")
    try:
        known: list[float] = []
        unknown: list[float] = []
        with srv.client() as client:
            for i in range(TRIES):  # interleaved: a busy machine slows both alike
                for times, name in ((known, "coordinator"), (unknown, f"nobody-{i}")):
                    start = time.perf_counter()
                    assert _log_in(client, name, "wrong password").status_code == 401
                    times.append(time.perf_counter() - start)
    finally:
        srv.stop()
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 3 <= ratio <= 3, (known, unknown)
