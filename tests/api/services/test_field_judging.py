"""Whose press is it: judged against the plan in force at the phone's time (a re-plan
published later does not void it), withdrawn stops, the wrong button, a night shift's
day, a closed day; on SQLite and PostgreSQL, with plan versions stored as publishing
leaves them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from api.services.field_actions import Press, judge, receive
from api.store import actuals as store
from api.store.database import engine_for, migrate, sessions
from api.store.tables import Task
from optimiser.actuals import ActionKind
from tests.api.field_data import publish, route, utc
from tests.api.live.conftest import fresh_postgres

DAY = date(2027, 10, 4)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[str]:
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path_factory.mktemp('judging') / 'trasa.db'}"
        migrate(found)
        yield found
    else:
        with fresh_postgres() as found:
            migrate(found)
            yield found
            engine_for(found).dispose()


@pytest.fixture
def session(url: str) -> Iterator[Session]:
    with sessions(url)() as opened:
        yield opened


def _press(task: str, kind: ActionKind, at: datetime) -> Press:
    return Press(str(uuid.uuid4()), task, kind, at)


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def test_a_re_plan_published_later_does_not_void_a_press_made_before(
        session: Session) -> None:
    day, t = DAY, f"t-{_tag()}"
    first = publish(session, day, utc(day, 6), route("w-anna", day, (t, "visit")))
    publish(session, day, utc(day, 10), route("w-piotr", day, (t, "visit")),
             supersede=first)
    assert judge(session, "w-anna", _press(t, ActionKind.ARRIVED, utc(day, 9))) == (day, None)
    assert judge(session, "w-anna", _press(t, ActionKind.DONE, utc(day, 11))) == (
        day, "other_worker")
    assert judge(session, "w-piotr", _press(t, ActionKind.DONE, utc(day, 11))) == (day, None)


def test_a_stop_withdrawn_before_the_press_is_refused_as_withdrawn(session: Session) -> None:
    day, t, kept = DAY + timedelta(days=1), f"t-{_tag()}", f"k-{_tag()}"
    first = publish(session, day, utc(day, 6),
                     route("w-anna", day, (t, "visit"), (kept, "visit")))
    publish(session, day, utc(day, 10), route("w-anna", day, (kept, "visit")),
             supersede=first)
    assert judge(session, "w-anna", _press(t, ActionKind.ARRIVED, utc(day, 9)))[1] is None
    assert judge(session, "w-anna", _press(t, ActionKind.DONE, utc(day, 11)))[1] == \
        "withdrawn"
    cancelled = f"x-{_tag()}"
    publish(session, day + timedelta(days=1), utc(day, 6),
             route("w-anna", day + timedelta(days=1), (cancelled, "visit")))
    session.add(Task(id=cancelled, version=1, body={}, kind="visit",
                     day=day + timedelta(days=1), status="cancelled"))
    session.commit()  # cancelled now, before a press on a later day
    assert judge(session, "w-anna", _press(cancelled, ActionKind.ARRIVED,
                                           utc(day + timedelta(days=1), 9)))[1] == "withdrawn"


def test_the_button_must_fit_the_stop_and_a_night_shift_keeps_its_day(
        session: Session) -> None:
    day, ride, visit = DAY + timedelta(days=5), f"r-{_tag()}", f"v-{_tag()}"
    publish(session, day, utc(day, 6), route("w-anna", day, (ride, "trip"), (ride, "trip"),
                                                (visit, "visit")))
    assert judge(session, "w-anna", _press(ride, ActionKind.PICKED_UP, utc(day, 9)))[1] is None
    assert judge(session, "w-anna", _press(ride, ActionKind.ARRIVED, utc(day, 9)))[1] == \
        "kind_mismatch"
    assert judge(session, "w-anna", _press(visit, ActionKind.PICKED_UP, utc(day, 9)))[1] == \
        "kind_mismatch"
    after_midnight = utc(day, 23, 30)  # 01:30 the next day in Warsaw
    assert judge(session, "w-anna", _press(visit, ActionKind.DONE, after_midnight)) == (
        day, None)
    unknown = judge(session, "w-anna", _press("t-never", ActionKind.DONE, utc(day, 12)))
    assert unknown == (day, "not_on_route")


def test_a_closed_day_refuses_and_a_repeated_key_answers_what_it_answered_first(
        session: Session) -> None:
    day, t = DAY + timedelta(days=7), f"t-{_tag()}"
    publish(session, day, utc(day, 6), route("w-anna", day, (t, "visit")))
    before = _press(t, ActionKind.ARRIVED, utc(day, 7))
    (first,) = receive(session, "w-anna", [before])
    store.close_day(session, day, "coordinator")
    late = _press(t, ActionKind.DONE, utc(day, 8))
    judged = receive(session, "w-anna", [before, late, late])
    assert [(j.row.status, j.row.rejected_why, j.repeated) for j in judged] == [
        ("accepted", None, True), ("rejected", "day_closed", False),
        ("rejected", "day_closed", True)]
    assert judged[0].row.id == first.row.id
    assert store.actuals(session, [t])[t].outcome.value == "started"
