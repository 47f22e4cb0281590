"""The field's store on SQLite and PostgreSQL: an action is stored once per key (also
when two sessions write it at once), a task's actual is the fold of its accepted actions
unless a correction (audited) replaces it, a day closes once, an odometer reading is
replaced, and migration 0010 goes down and up again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from api.store import actuals as store
from api.store.database import engine_for, migrate, sessions
from api.store.tables import AuditEntry, FieldAction
from optimiser.actuals import Outcome
from tests.api.live.conftest import fresh_postgres
from tests.api.store.revisions import migrate_to

DAY = date(2027, 6, 2)
WARSAW = timezone(timedelta(hours=2))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[str]:
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path_factory.mktemp('actuals') / 'trasa.db'}"
        migrate(found)
        yield found
    else:
        with fresh_postgres() as found:
            migrate(found)
            yield found
            engine_for(found).dispose()


def _at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hhmm}:00").replace(tzinfo=WARSAW)


def _new(key: str, task: str, kind: str, hhmm: str, why: str | None = None
         ) -> store.NewAction:
    return store.NewAction(key, task, "w-anna", kind, DAY, _at(hhmm), rejected_why=why)


def _count(url: str, key: str) -> int:
    with sessions(url)() as session:
        return session.scalar(select(func.count()).select_from(FieldAction)
                              .where(FieldAction.key == key)) or 0


def test_a_key_is_stored_once_and_its_first_outcome_kept(url: str) -> None:
    with sessions(url)() as session:
        first, stored = store.add_action(session, _new("key-once-1", "t1", "arrived", "09:00"))
        session.commit()
        again, stored_again = store.add_action(
            session, _new("key-once-1", "t1", "done", "10:00", why="other_worker"))
        session.commit()
    assert stored and not stored_again
    assert again.id == first.id and again.kind == "arrived" and again.status == "accepted"
    assert store.utc(again.phone_at) == _at("09:00")
    assert _count(url, "key-once-1") == 1


def test_two_sessions_writing_one_key_at_once_store_one_row(url: str) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def send() -> None:
        with sessions(url)() as session:
            barrier.wait()
            _row, stored = store.add_action(session, _new("key-race-1", "t2", "done", "11:00"))
            session.commit()
            outcomes.append(stored)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, True]
    assert _count(url, "key-race-1") == 1


def test_the_actual_folds_accepted_actions_and_a_correction_replaces_it(url: str) -> None:
    with sessions(url)() as session:
        for new in (_new("fold-done", "t3", "done", "10:40"),  # sent first, pressed last
                    _new("fold-arrived", "t3", "arrived", "10:00"),
                    _new("fold-refused", "t3", "arrived", "09:00", why="day_closed")):
            store.add_action(session, new)
        session.commit()
        actual = store.actuals(session, ["t3", "t-none"])
        assert set(actual) == {"t3"}
        assert actual["t3"].outcome is Outcome.DONE and not actual["t3"].corrected
        assert (actual["t3"].start, actual["t3"].end) == (_at("10:00"), _at("10:40"))
        assert actual["t3"].delivered_s == 40 * 60
        store.correct(session, "t3", Outcome.DONE, _at("10:05"), _at("10:35"),
                      "the phone's clock ran fast", "coordinator")
        store.correct(session, "t3", Outcome.ABSENT, None, None, "rang: not at home",
                      "coordinator")
        corrected = store.actuals(session, ["t3"])["t3"]
        assert corrected.outcome is Outcome.ABSENT and corrected.corrected
        assert corrected.reason == "rang: not at home" and corrected.delivered_s == 0
        details = session.scalars(select(AuditEntry.detail).where(
            AuditEntry.resource == "tasks/t3").order_by(AuditEntry.id)).all()
        assert details == ["done: the phone's clock ran fast", "absent: rang: not at home"]


def test_a_day_closes_once_and_an_odometer_reading_is_replaced(url: str) -> None:
    with sessions(url)() as session:
        row, closed = store.close_day(session, DAY, "coordinator")
        _again, closed_again = store.close_day(session, DAY, "someone-else")
        assert closed and not closed_again and store.closure(session, DAY) is not None
        assert store.closed_days(session, [DAY, DAY + timedelta(days=1)]) == {DAY}
        assert store.closure(session, DAY).closed_by == "coordinator"  # type: ignore[union-attr]
        assert store.utc(row.at) <= datetime.now(UTC)
        store.set_odometer(session, "bus-1", DAY, 1200, None, "coordinator")
        store.set_odometer(session, "bus-1", DAY, 1200, 1287, "w-jan")
        reading = store.odometer(session, "bus-1", DAY)
        assert reading is not None and (reading.start_km, reading.end_km) == (1200, 1287)
        assert reading.by == "w-jan"


def test_migration_0010_goes_down_and_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'down.db'}"
    migrate(url)
    migrate_to(url, "0009_call_lists", down=True)
    names = set(inspect(engine_for(url)).get_table_names())
    assert not names & {"field_actions", "actual_corrections", "day_closures",
                        "odometer_readings"}
    migrate(url)
    assert "field_actions" in set(inspect(engine_for(url)).get_table_names())
