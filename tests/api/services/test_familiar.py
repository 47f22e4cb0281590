"""Who served whom before a plan (continuity of care, issue 31): a day with presses
confirmed on the phones counts who did the work; a day without counts its published
plan; days outside the weeks looked at count nothing. SQLite (the one rule is SQL the
live API tests also run on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from api.services.familiar import familiar_workers
from api.store.database import migrate, sessions
from api.store.tables import FieldAction, Task
from tests.api.field_data import publish, route, utc

MONDAY = date(2027, 11, 8)


def test_confirmed_service_outranks_the_plan_and_old_weeks_are_forgotten(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    migrate(url)
    done_day, planned_day, long_ago = (MONDAY - timedelta(days=7), MONDAY - timedelta(days=6),
                                       MONDAY - timedelta(days=40))
    with sessions(url)() as session:
        # planned: anna at t1's and t2's clients; on done_day piotr did t1 in her place
        publish(session, done_day, utc(done_day, 6), route("w-anna", done_day, ("t1", "visit")))
        publish(session, planned_day, utc(planned_day, 6),
                route("w-anna", planned_day, ("t2", "visit")))
        publish(session, long_ago, utc(long_ago, 6), route("w-ewa", long_ago, ("t1", "visit")))
        session.add(Task(id="t1", version=1, body={"client": "c-t1"}, kind="visit",
                         day=done_day, status="open", client_id="c-t1"))
        now = datetime(2027, 11, 1, 9, tzinfo=UTC)
        for key, kind, status in (("k1", "done", "accepted"), ("k2", "done", "rejected"),
                                  ("k3", "arrived", "accepted")):
            session.add(FieldAction(key=key, task_id="t1", worker_id="w-piotr"
                                    if key == "k1" else "w-marek", kind=kind, day=done_day,
                                    phone_at=now, server_at=now, status=status))
        session.commit()
        seen = familiar_workers(session, MONDAY)
    assert seen == {"c-t1": {"w-piotr"}, "c-t2": {"w-anna"}}
