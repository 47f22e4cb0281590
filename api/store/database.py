"""The database connection: one engine per URL, sessions, and migrating to the head.

SQLite (the embedded default) is opened in WAL mode with a busy timeout, so the
solver processes can write a job's progress while the server reads it. Engines hide
the parameters of statements from their errors and logs: they are people's records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from api.private_files import private_file

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# FastAPI runs sync routes on up to 40 threads: a connection for each, so none waits.
POOL_SIZE, POOL_OVERFLOW = 20, 20


def shown(url: str) -> str:
    """A database URL fit to print: its password masked."""
    return make_url(url).render_as_string(hide_password=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The engine of `url`, created once per process."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_file(Path(path))  # people's records: the server user's alone
        # A connection for every thread at once, kept: an overflow connection is closed
        # after use, and opening one (with its pragmas) cost a busy server's reads.
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               pool_size=POOL_SIZE + POOL_OVERFLOW, max_overflow=POOL_OVERFLOW,
                               hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode a commit survives a killed process at NORMAL; only a power cut
            # may lose the last ones (the database itself stays whole).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE,
                         max_overflow=POOL_OVERFLOW, hide_parameters=True)


@lru_cache(maxsize=8)
def sessions(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits at the end of the block, or rolls everything back."""
    with sessions(url)() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema (creating it if empty)."""
    config = alembic_config(url)
    with engine_for(url).begin() as connection:  # the engine makes an SQLite file's folder
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
