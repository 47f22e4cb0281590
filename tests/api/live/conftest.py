"""A real Trasa server (uvicorn on 127.0.0.1, a process of its own) per database engine,
and real HTTP clients logged in as each role.

The server plans on the real Chełm road network (../shared/data). PostgreSQL is
reached at TRASA_TEST_POSTGRES_URL (default: role `trasa`, password `trasa`, on
127.0.0.1:5432, as `.ci/run` sets it up); each test session gets a fresh database,
dropped at the end. A missing PostgreSQL fails the tests: both engines are tested.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.schemas.records import ProviderResource, WorkerResource
from api.store import records, tables
from api.store.database import migrate, session_scope
from api.store.users import Role, add_user
from tests.api.live import records_data

POSTGRES_URL = os.environ.get("TRASA_TEST_POSTGRES_URL",
                              "postgresql+psycopg://trasa:trasa@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery"
USERS = {"coordinator": (Role.COORDINATOR, None), "planner": (Role.PLANNER, None),
         "worker": (Role.WORKER, "w-anna"), "other-worker": (Role.WORKER, "w-piotr")}
STARTUP_S = 60
WORKERS_PROVIDER = "cus-anna"  # the provider of the worker accounts' workers


@dataclass
class Server:
    url: str
    database_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 (kept open for the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start in {STARTUP_S} s: {self.log()}")

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(timeout=30)
        self.process = None

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")[-4000:]

    def client(self, username: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=30)
        if username is not None:
            answer = client.post("/auth/token", data={"username": username,
                                                      "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


DROP_ATTEMPTS = 10


@contextlib.contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; its SQLAlchemy URL."""
    admin = make_url(POSTGRES_URL)
    name = f"trasa_test_{uuid.uuid4().hex[:10]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL not reachable at {admin!r} ({exc}); start it (see "
                    "docs/api.md: the tests need both engines) or set "
                    "TRASA_TEST_POSTGRES_URL", pytrace=False)
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            for attempt in range(DROP_ATTEMPTS):
                try:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    break
                except psycopg.errors.InsufficientPrivilege:
                    # a server process of another role (autovacuum) is in it: it ends
                    # soon, and the test role may not end it (seen once in CI)
                    if attempt == DROP_ATTEMPTS - 1:
                        raise
                    time.sleep(1)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    with fresh_postgres() as url:
        yield url


def _database_url(engine: str, tmp: Path, request: pytest.FixtureRequest) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp / 'trasa.db'}"
    return str(request.getfixturevalue("postgres_database"))


def start_server(database_url: str, tmp: Path, graph: Path, *, workers: bool = True,
                 **settings: str) -> Server:
    """A server on a migrated database with one account per role (password PASSWORD).

    A worker's account names a stored worker, so with `workers` the workers of the
    accounts (`w-anna`, `w-piotr`: `records_data.worker` of provider `cus-anna`) are
    stored first. Without, only the coordinator's and planner's accounts are made: load
    records that have those workers, then call `add_worker_accounts`."""
    migrate(database_url)
    with session_scope(database_url) as session:
        if workers:
            _store_workers(session)
        for name, (role, worker_id) in USERS.items():
            if worker_id is None or workers:
                add_user(session, name, PASSWORD, role, worker_id)
    env = {**os.environ, "DATABASE_URL": database_url, "TRASA_DATA_DIR": str(tmp),
           "TRASA_SECRET_KEY": "test-" + uuid.uuid4().hex, "TRASA_GRAPH": str(graph),
           "TRASA_CACHE_DIR": str(tmp / "cache"), "TRASA_JOB_WORKERS": "1",
           "TRASA_LOG_LEVEL": "INFO", "TRASA_TODAY": records_data.TODAY,
           "TRASA_AUDIT_REPEAT_S": "0",
           # re-plannings stop at their solution count (200, or 50 without a better
           # plan), not at 4 s that a busy CI machine may reach first
           "TRASA_REPLAN_TIME_LIMIT_S": "300", **settings}
    srv = Server("", database_url, tmp, env)
    srv.start()
    return srv


def _store_workers(session: Session) -> None:
    records.create_record(session, records.KINDS["providers"],
                          ProviderResource.model_validate(records_data.provider(WORKERS_PROVIDER)))
    for _, worker_id in USERS.values():
        if worker_id is not None:
            records.create_record(session, records.KINDS["workers"], WorkerResource.model_validate(
                records_data.worker(worker_id, provider_id=WORKERS_PROVIDER)))


def add_worker_accounts(server: Server) -> None:
    """The worker accounts of USERS, once their workers are stored (a server started
    with `workers=False`)."""
    with session_scope(server.database_url) as session:
        for name, (role, worker_id) in USERS.items():
            if worker_id is not None and session.get(tables.User, name) is None:
                add_user(session, name, PASSWORD, role, worker_id)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           chelm_graph: Path) -> Iterator[Server]:
    """A running server shared by the tests of one engine."""
    tmp = tmp_path_factory.mktemp(f"server-{request.param}")
    srv = start_server(_database_url(request.param, tmp, request), tmp, chelm_graph)
    yield srv
    srv.stop()


def _logged_in(server: Server, username: str) -> Iterator[httpx.Client]:
    client = server.client(username)
    yield client
    client.close()


@pytest.fixture
def coordinator(server: Server) -> Iterator[httpx.Client]:
    yield from _logged_in(server, "coordinator")


@pytest.fixture
def planner(server: Server) -> Iterator[httpx.Client]:
    yield from _logged_in(server, "planner")


@pytest.fixture
def worker(server: Server) -> Iterator[httpx.Client]:
    yield from _logged_in(server, "worker")


@pytest.fixture
def anna(coordinator: httpx.Client) -> list[str]:
    """The worker 'w-anna' (the worker account's own) and two clients of hers."""
    coordinator.post("/providers", json=records_data.provider("cus-anna"))
    coordinator.post("/workers", json=records_data.worker("w-anna", provider_id="cus-anna"))
    clients = [f"c-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for k, c in enumerate(clients):
        records_data.put(coordinator, "/clients", records_data.client(c, k))
    return clients
