"""`trasa import SCENARIO`: a scenario file's records into the database `trasa serve`
uses, all or nothing, run for real in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.convert.scenario import read_scenario
from api.schemas.records import records_from_scenario
from api.store import records
from api.store.database import migrate, session_scope
from api.store.tables import Client, Provider, Task, Worker

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"
ROOT = Path(__file__).resolve().parents[2]


def trasa_import(path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TRASA_") and k != "DATABASE_URL"}
    env["TRASA_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "api.cli.main", "import", str(path)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
                for t in (Provider, Client, Worker, Task)}


def test_import_stores_every_record_of_the_file_with_its_trips_places(tmp_path: Path) -> None:
    path = SCENARIOS / "starachowice_saturday.json"
    done = trasa_import(path, tmp_path)
    assert done.returncode == 0, done.stderr
    expected = records_from_scenario(read_scenario(path))
    assert f"imported {sum(len(items) for items in expected.values())} records" in done.stdout
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    with session_scope(url) as session:
        for kind, items in expected.items():
            stored = records.all_resources(session, records.KINDS[kind])
            assert stored == sorted(items, key=lambda r: r.id), kind  # type: ignore[attr-defined]
        trips = {t.id: t for t in records.all_resources(session, records.KINDS["trips"])}
    back = trips["ride-ostrowiec-back"]
    assert back.pickup == trips["ride-ostrowiec"].dropoff
    assert back.pickup is not None and back.pickup.id == "clinic-ostrowiec"


def test_an_id_already_stored_refuses_the_whole_file_and_writes_nothing(
        tmp_path: Path) -> None:
    assert trasa_import(SCENARIOS / "starachowice_saturday.json", tmp_path).returncode == 0
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    before = counts(url)
    # the week shares the providers and the bus with the Saturday, not its clients
    done = trasa_import(SCENARIOS / "starachowice_week.json", tmp_path)
    assert done.returncode == 2
    assert "providers/cus" in done.stderr and "vehicles/bus" in done.stderr
    assert "nothing imported" in done.stderr
    assert counts(url) == before


def test_a_scenario_records_cannot_keep_is_refused_naming_the_field(tmp_path: Path) -> None:
    raw = (SCENARIOS / "starachowice_saturday.json").read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(raw.replace('"id": "job-03",', '"id": "job-03", "demand": 2,', 1),
                   encoding="utf-8")
    done = trasa_import(bad, tmp_path)
    assert done.returncode == 2
    assert "demand: 2 cannot be stored as a record" in done.stderr
    assert not (tmp_path / "trasa.db").exists() or counts(
        f"sqlite:///{tmp_path / 'trasa.db'}")["providers"] == 0


def test_a_record_refused_half_way_takes_the_records_before_it_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trasa.db'}"
    migrate(url)
    resources = records_from_scenario(read_scenario(SCENARIOS / "starachowice_saturday.json"))
    resources["clients"] = [c for c in resources["clients"] if c.id != "client-05"]
    refused = pytest.raises(records.BadReference, match=r"^(tasks|trips)/.*'client-05'")
    with refused, session_scope(url) as session:
        records.create_records(session, resources)
    assert counts(url) == {"providers": 0, "clients": 0, "workers": 0, "tasks": 0}
