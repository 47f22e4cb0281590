"""`trasa report --month M --from-store` and `trasa settlement M` without `--actuals` on a
real database: the month's published plans and the phones' stored presses; a stop never
pressed is unconfirmed and not paid, and the hours are those the presses span."""

from __future__ import annotations

import csv
import uuid
from datetime import date
from pathlib import Path

import pytest

from api.services.field_actions import Press, receive
from api.store.database import migrate, sessions
from api.store.tables import PlanVersion
from optimiser.actuals import ActionKind
from tests.api.cli_run import trasa
from tests.api.field_data import utc
from tests.api.report_data import plan, route, stop

DAY = date(2027, 10, 21)


def _published(url: str) -> None:
    at = "2027-10-21T{}:00+02:00".format
    document = plan(DAY.isoformat(), 1, [route("pes-rehab", "pes", at("08:00"), at("13:00"),
                                               12_000, [
        stop("t-a", "physiotherapy", at("09:00"), at("10:00"), client="c-1"),
        stop("t-b", "physiotherapy", at("11:00"), at("12:00"), client="c-2")])])
    document["routes"][0]["worker"] = "w-anna"
    with sessions(url)() as session:
        session.add(PlanVersion(id=str(uuid.uuid4()), first_day=DAY, last_day=DAY,
                                status="published", document=document,
                                created_by="coordinator", published_by="coordinator",
                                created_at=utc(DAY, 5), published_at=utc(DAY, 5)))
        session.commit()
        judged = receive(session, "w-anna", [
            Press("key-a-arrived", "t-a", ActionKind.ARRIVED, utc(DAY, 7, 5)),
            Press("key-a-done", "t-a", ActionKind.DONE, utc(DAY, 7, 50))])
        assert [j.row.status for j in judged] == ["accepted", "accepted"]


def test_report_and_settlement_from_the_store(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    migrate(url)
    _published(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRASA_DATA_DIR", str(tmp_path))
    done = trasa(tmp_path, "report", "--month", "2027-10", "--from-store", "--out", "out")
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "out" / "report-2027-10-delivered.csv", encoding="utf-8-sig") as f:
        rows = {r[0]: r for r in csv.reader(f, delimiter=";")}
    assert rows["hours_total"][2:4] == ["2,00", "0,75"]  # 2 h planned, 45 min pressed
    assert rows["tasks_done"][3] == "1" and rows["tasks_unconfirmed"][3] == "1"
    refused = trasa(tmp_path, "report", "--month", "2027-10", "--out", "out")
    assert refused.returncode != 0 and "--from-store" in refused.stderr

    (tmp_path / "rates.toml").write_text(
        "[rates.per_service_hour.pes-rehab.physiotherapy]\nweekday = 80.0\n", "utf-8")
    settled = trasa(tmp_path, "settlement", "2027-10", "--provider", "pes-rehab",
                    "--rates", "rates.toml", "--out", "out")
    assert settled.returncode == 0, settled.stderr
    assert "60.00" in settled.stdout  # 0.75 h x 80 zł; the unconfirmed stop unpaid
    assert (tmp_path / "out" / "settlement-2027-10-pes-rehab.xlsx").exists()
