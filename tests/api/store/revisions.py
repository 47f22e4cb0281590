"""Move a test database to one Alembic revision, up or down (the migration tests)."""

from __future__ import annotations

from alembic import command

from api.store.database import alembic_config, engine_for


def migrate_to(url: str, revision: str, *, down: bool = False) -> None:
    config = alembic_config(url)
    with engine_for(url).begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
