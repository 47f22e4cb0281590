"""A real Trasa server for the field benchmark (`benchmarks.field`): `trasa serve` on
loopback over a fresh database, SQLite in a temporary folder or a new PostgreSQL
database created for the run and dropped after it, with a generated day's master data
stored as records (so worker accounts can name its workers) and a coordinator's account.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.demo_server import free_port

POSTGRES_ADMIN = os.environ.get("TRASA_BENCH_POSTGRES_URL",
                                "postgresql+psycopg://trasa:trasa@127.0.0.1:5432/postgres")
PASSWORD = "benchmark field password"
COORDINATOR = "coordinator"


@dataclass
class FieldServer:
    base: str
    database_url: str
    process: subprocess.Popen[bytes]

    def client(self, username: str, timeout: float = 60) -> httpx.Client:
        client = httpx.Client(base_url=self.base, timeout=timeout)
        answer = client.post("/auth/token", data={"username": username, "password": PASSWORD})
        answer.raise_for_status()
        client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        return client


@contextlib.contextmanager
def fresh_database(engine: str, folder: Path) -> Iterator[str]:
    """A new, empty database of `engine` ("sqlite" or "postgresql"); its URL. The
    PostgreSQL one is dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{folder / 'trasa.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(POSTGRES_ADMIN)
    name = f"trasa_bench_{uuid.uuid4().hex[:10]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def store_day(database_url: str, scenario: dict[str, Any]) -> list[str]:
    """Migrate, store the day's master data (no tasks: the plan is made from the
    scenario) and the coordinator's and every worker's account (named after the worker);
    the worker ids."""
    from api.schemas.records import records_from_scenario
    from api.schemas.scenario import ScenarioIn
    from api.store import records
    from api.store.database import migrate, session_scope
    from api.store.users import Role, add_user

    migrate(database_url)
    bare = ScenarioIn.model_validate({**scenario, "tasks": [], "trips": []})
    kept = records_from_scenario(bare)
    workers = [w["id"] for w in scenario["workers"]]
    with session_scope(database_url) as session:
        records.create_records(session, {k: v for k, v in kept.items()
                                         if k not in ("tasks", "trips")})
        add_user(session, COORDINATOR, PASSWORD, Role.COORDINATOR, None)
        for worker in workers:
            add_user(session, worker, PASSWORD, Role.WORKER, worker)
    return workers


@contextlib.contextmanager
def field_server(engine: str, scenario: dict[str, Any], graph: Path,
                 **settings: str) -> Iterator[tuple[FieldServer, list[str]]]:
    """The server up over a fresh database holding the day's records and accounts, and
    the worker ids (each one's account is named after it)."""
    with tempfile.TemporaryDirectory() as tmp, fresh_database(engine, Path(tmp)) as url:
        workers = store_day(url, scenario)
        port = free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRASA_") and k != "DATABASE_URL"}
        env.update(DATABASE_URL=url, TRASA_DATA_DIR=tmp, TRASA_GRAPH=str(graph),
                   TRASA_CACHE_DIR=str(Path(tmp) / "cache"),
                   TRASA_SECRET_KEY=uuid.uuid4().hex, TRASA_JOB_WORKERS="1",
                   TRASA_AUDIT_REPEAT_S="0", TRASA_LOG_LEVEL="WARNING", **settings)
        log = open(Path(tmp) / "server.log", "ab")  # noqa: SIM115 (kept open for the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        server = FieldServer(f"http://127.0.0.1:{port}", url, process)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    text = (Path(tmp) / "server.log").read_text(errors="replace")
                    raise SystemExit(f"the server did not start: {text[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{server.base}/health", timeout=1).status_code == 200:
                        break
                time.sleep(0.2)
            yield server, workers
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()
