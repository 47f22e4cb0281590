"""The security tests run against the live servers of tests/api/live (SQLite and
PostgreSQL): the same fixtures, shared here."""

from tests.api.live.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    planner,
    postgres_database,
    server,
    worker,
)
