"""Migration 0006: on PostgreSQL the database itself keeps one published plan per day (an
exclusion constraint behind the publishing lock). Overlapping published plans left by
the old race are settled first: the earlier is superseded by the later one; downgrading
takes the constraint away again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from api.store.database import engine_for
from api.store.tables import PlanVersion
from tests.api.live.conftest import fresh_postgres
from tests.api.store.revisions import migrate_to


@pytest.fixture
def postgres() -> Iterator[str]:
    with fresh_postgres() as url:
        yield url



def _plan(plan_id: str, first: int, last: int, status: str, second: int) -> dict[str, object]:
    return {"id": plan_id, "first_day": date(2026, 12, first), "last_day": date(2026, 12, last),
            "status": status, "job_id": None, "document": {}, "created_by": "c",
            "published_at": datetime(2026, 12, 1, 8, 0, second, tzinfo=UTC)
            if status == "published" else None, "published_by": "c"}


def test_overlapping_published_plans_are_settled_and_then_refused(postgres: str) -> None:
    migrate_to(postgres, "0005")
    with engine_for(postgres).begin() as connection:
        connection.execute(insert(PlanVersion), [
            _plan("a", 1, 3, "published", 1), _plan("b", 3, 3, "published", 2),
            _plan("c", 10, 10, "published", 3), _plan("d", 10, 10, "draft", 4)])
    migrate_to(postgres, "head")
    with engine_for(postgres).begin() as connection:
        rows = {r.id: (r.status, r.superseded_by) for r in connection.execute(
            select(PlanVersion.id, PlanVersion.status, PlanVersion.superseded_by))}
    assert rows == {"a": ("superseded", "b"), "b": ("published", None),
                    "c": ("published", None), "d": ("draft", None)}
    with pytest.raises(IntegrityError), engine_for(postgres).begin() as connection:
        connection.execute(update(PlanVersion).where(PlanVersion.id == "d")
                           .values(status="published"))
    migrate_to(postgres, "0005", down=True)
    with engine_for(postgres).begin() as connection:  # no constraint below 0006
        connection.execute(update(PlanVersion).where(PlanVersion.id == "d")
                           .values(status="published"))
