"""`trasa actuals DAY [--close]` on a real database: the day's planned and actual times
and outcomes in the terminal's language, the rejected presses with their reasons, and
`--close` closing the day (audited) so that a later press is refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from api.services.field_actions import Press, receive
from api.store.database import migrate, sessions
from api.store.tables import AuditEntry
from optimiser.actuals import ActionKind
from tests.api.cli_run import trasa
from tests.api.field_data import publish, route, utc

DAY = date(2027, 10, 20)


def test_the_day_planned_against_actual_and_closed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    migrate(url)
    with sessions(url)() as session:
        publish(session, DAY, utc(DAY, 5), route("w-anna", DAY, ("t-1", "visit"),
                                                 ("t-2", "visit"), ("t-3", "visit")))
        receive(session, "w-anna", [
            Press("key-0001", "t-1", ActionKind.DONE, utc(DAY, 8, 5)),
            Press("key-0002", "t-1", ActionKind.ARRIVED, utc(DAY, 7, 10)),
            Press("key-0003", "t-2", ActionKind.ABSENT, utc(DAY, 9)),
            Press("key-0004", "t-9", ActionKind.DONE, utc(DAY, 10))])
    for name, value in {"DATABASE_URL": url, "TRASA_DATA_DIR": str(tmp_path),
                        "LANG": "pl_PL.UTF-8", "LC_ALL": "", "LANGUAGE": "",
                        "LC_MESSAGES": ""}.items():
        monkeypatch.setenv(name, value)
    done = trasa(tmp_path, "actuals", DAY.isoformat(), "--close")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "zadanie" in out and "faktycznie" in out
    assert "09:10–10:05" in out  # Warsaw time, folded in the phone's order
    assert "wykonane (potwierdzone)" in out and "klient nieobecny" in out
    assert "niepotwierdzone: 1" in out
    assert "t-9" in out and "Tego punktu nie ma na Twojej trasie" in out
    with sessions(url)() as session:
        (late,) = receive(session, "w-anna", [Press("key-0005", "t-3", ActionKind.ARRIVED,
                                                    utc(DAY, 12))])
        assert late.row.rejected_why == "day_closed"
        closed = session.scalars(select(AuditEntry.action).where(
            AuditEntry.resource == f"days/{DAY}")).all()
        assert closed == ["day close"]
