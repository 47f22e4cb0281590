"""Migration 0004 fills the pickup of trips stored before trips had one: a return is
picked up where its outbound dropped off, an outbound at the client's home; on SQLite and
on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, column, insert, select, table

from api.convert.records_scenario import scenario_from_records
from api.schemas.records import PlanningRequest
from api.store import records
from api.store.database import engine_for, session_scope
from api.store.tables import Client, Provider, Task, Worker
from tests.api.live.conftest import fresh_postgres
from tests.api.store.revisions import migrate_to

KIELCE = {"name": "Szpital Kielce", "lat": 50.8661, "lon": 20.6286}
HOME = {"name": "ul. Leśna 3", "lat": 51.05, "lon": 21.07}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
    else:
        with fresh_postgres() as url:
            yield url



def _trip(trip_id: str, dropoff: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"id": trip_id, "kind": "trip", "day": date(2026, 11, 24), "client_id": "c-1",
            "status": "open", "version": 1,
            "body": {"id": trip_id, "client": "c-1", "day": "2026-11-24", "dropoff": dropoff,
                     "passengers": {"seated": 1, "wheelchair": 0, "escort": 0},
                     "appointment_min": 0, "priority": "normal", "mandatory": False,
                     "note": "", "status": "open", "pickup_window": None, "arrive_by": None,
                     "max_ride_min": None, "return_of": None, **more}}


# The tasks table as it was before 0004 (the model's has columns added since).
OLD_TASKS = table("tasks", *(column(name) for name in (
    "id", "kind", "day", "client_id", "status", "version")), column("body", JSON))


def _old_records(url: str) -> None:
    """Records as the code before 0004 wrote them (no pickup anywhere)."""
    with engine_for(url).begin() as connection:
        connection.execute(insert(Provider), [{"id": "cus", "kind": "cus", "version": 1, "body": {
            "id": "cus", "name": "CUS", "kind": "cus"}}])
        connection.execute(insert(Client), [{"id": "c-1", "version": 1, "body": {
            "id": "c-1", "name": "Zofia", "address": HOME["name"], "lat": HOME["lat"],
            "lon": HOME["lon"]}}])
        connection.execute(insert(Worker), [{"id": "driver", "provider_id": "cus",
                                             "version": 1, "body": {
            "id": "driver", "name": "Andrzej", "provider": "cus", "skills": ["driving"],
            "availability": [{"start": "07:00", "end": "15:00"}], "base_lat": 51.04,
            "base_lon": 21.08, "vehicle": None}}])
        # the return sorts before its outbound, so the migration cannot rely on id order
        connection.execute(insert(OLD_TASKS), [
            _trip("a-back", HOME, return_of="z-kielce", appointment_min=90),
            _trip("z-kielce", KIELCE, arrive_by="09:30"),
            _trip("pharmacy", {"name": "Apteka", "lat": 51.06, "lon": 21.06})])


def test_a_return_is_picked_up_where_its_outbound_dropped_off(database: str) -> None:
    migrate_to(database, "0003")
    _old_records(database)
    migrate_to(database, "head")
    with session_scope(database) as session:
        trips = {t.id: t for t in records.all_resources(session, records.KINDS["trips"])}
        versions = {r.id: r.version for r in session.scalars(select(Task))}
        scenario = scenario_from_records(
            PlanningRequest(first_day=date(2026, 11, 24)), network={},
            **{kind: records.all_resources(session, records.KINDS[kind])
               for kind in ("providers", "clients", "vehicles", "workers", "tasks", "trips")})
    outbound, back = trips["z-kielce"], trips["a-back"]
    assert outbound.pickup is None and trips["pharmacy"].pickup is None  # the client's home
    assert outbound.dropoff.id == "destination:z-kielce"
    assert back.pickup == outbound.dropoff
    assert (back.pickup.lat, back.pickup.lon) == (KIELCE["lat"], KIELCE["lon"])
    assert versions == {"a-back": 2, "z-kielce": 2, "pharmacy": 2}  # old ETags are stale
    rides = {r.id: r for r in scenario.trips}
    assert rides["a-back"].pickup == rides["z-kielce"].dropoff == "destination:z-kielce"
    assert rides["z-kielce"].pickup is None


def test_the_downgrade_leaves_records_the_older_code_reads(database: str) -> None:
    migrate_to(database, "0003")
    _old_records(database)
    migrate_to(database, "head")
    migrate_to(database, "0003", down=True)
    with engine_for(database).connect() as connection:
        bodies = {r.id: r.body for r in connection.execute(select(Task.id, Task.body))}
    assert all("pickup" not in b and "id" not in b["dropoff"] for b in bodies.values())
