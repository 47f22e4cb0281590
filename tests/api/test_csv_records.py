"""CSV that the csv module cannot read is a clear CsvError (a 422), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.convert.csv_records import CsvError, read_csv, write_csv
from api.convert.scenario import read_scenario
from api.schemas.records import records_from_scenario


def test_a_carriage_return_in_a_cell_ends_the_row_instead_of_crashing() -> None:
    # found by the contract test: a lone CR inside an unquoted field
    with pytest.raises(CsvError, match="unknown column"):
        read_csv("workers", b"\xc2\x87\xf1\xa8\xa6\x9d\r\xc2\x8b")


def test_a_cell_over_the_csv_modules_limit_is_a_bad_table() -> None:
    data = ("id,name\nw1," + "x" * 200_000 + "\n").encode()
    with pytest.raises(CsvError, match="not readable as CSV: field larger than field limit"):
        read_csv("workers", data)


def test_trips_go_out_and_come_back_with_their_pickup_and_drop_off_places() -> None:
    path = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "starachowice_day.json"
    trips = records_from_scenario(read_scenario(path))["trips"]
    text = write_csv("trips", trips)
    assert text.splitlines()[0].startswith("\ufeffid;client;day;pickup_id;pickup_name;pickup_lat")
    assert read_csv("trips", text.encode("utf-8")) == trips
    back = next(t for t in read_csv("trips", text.encode("utf-8")) if t.id == "ride-kielce-back")
    assert back.pickup is not None and back.pickup.id == "hospital-kielce"  # type: ignore[attr-defined]


def test_a_bad_pickup_coordinate_names_its_column() -> None:
    data = (b"id;client;day;pickup_lat;pickup_lon;dropoff_lat;dropoff_lon\n"
            b"r1;c1;2026-11-24;951.0;21.0;51.0;21.1\n")
    with pytest.raises(CsvError) as error:
        read_csv("trips", data)
    assert [(p.row, p.column, p.value) for p in error.value.problems] == [
        (2, "pickup_lat", "951.0")]
