"""The live servers (SQLite and PostgreSQL) and logged-in clients of tests/api/live."""

from tests.api.live.conftest import (  # noqa: F401 (the fixtures)
    coordinator,
    planner,
    postgres_database,
    server,
    worker,
)
