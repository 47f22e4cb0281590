"""Migrations build the schema the tables describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from api.store.database import engine_for, migrate
from api.store.tables import Base
from tests.api.live.conftest import fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with fresh_postgres() as url:
            yield url


def test_an_empty_database_upgrades_to_the_tables_and_autogenerate_finds_nothing(
        empty_database: str) -> None:
    migrate(empty_database)
    engine = engine_for(empty_database)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_migrating_twice_changes_nothing(empty_database: str) -> None:
    migrate(empty_database)
    migrate(empty_database)  # already at the head: a no-op, not an error
    with engine_for(empty_database).connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
