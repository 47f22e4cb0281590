"""CSV import and export over HTTP: every row or none, Polish letters, `;` or `,`."""

from __future__ import annotations

import csv
import io
import uuid

import httpx

from tests.api.live.records_data import place


def _clients_csv(tag: str, rows: int, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "name", "address", "phone", "lat", "lon", "escort"])
    for k in range(rows):
        lat, lon = place(k)
        writer.writerow([f"{tag}-{k}", f"Łucja Śliwińska {k}", f"ul. Żeromskiego {k}",
                         "+48 600 000 000", lat, lon, "nie"])
    return out.getvalue()


def test_one_bad_row_among_200_imports_nothing_and_names_the_row(
        coordinator: httpx.Client) -> None:
    tag = f"csv-{uuid.uuid4().hex[:6]}"
    lines = _clients_csv(tag, 200).splitlines()
    lines[118] = lines[118].replace("+48 600 000 000;51", "+48 600 000 000;north of 51")
    answer = coordinator.post("/import/clients", content="\n".join(lines).encode(),
                              headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [(e["field"], e["value"]) for e in errors] == [("row 119.lat", "north of 51.1291")]
    assert coordinator.get(f"/clients/{tag}-0").status_code == 404  # nothing imported


def test_a_good_file_imports_every_row_and_exports_back(coordinator: httpx.Client) -> None:
    tag = f"csv-{uuid.uuid4().hex[:6]}"
    answer = coordinator.post("/import/clients", content=_clients_csv(tag, 3, ",").encode(),
                              headers={"Content-Type": "text/csv"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["imported"] == 3
    assert coordinator.get(f"/clients/{tag}-2").json()["name"] == "Łucja Śliwińska 2"
    exported = coordinator.get("/export/clients")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")),
                               delimiter=";"))
    mine = [r for r in rows if r["id"].startswith(tag)]
    assert [r["address"] for r in mine] == [f"ul. Żeromskiego {k}" for k in range(3)]
    again = coordinator.post("/import/clients", content=exported.content,
                             headers={"Content-Type": "text/csv"})
    assert again.status_code == 422  # every id is stored already: named, nothing doubled
    assert any(e["value"] == f"{tag}-0" for e in again.json()["errors"])


def test_a_client_by_address_only_is_geocoded_or_refused_naming_the_address(
        coordinator: httpx.Client) -> None:
    answer = coordinator.post("/clients", json={"id": f"geo-{uuid.uuid4().hex[:6]}",
                                                "name": "Jan Kowalski",
                                                "address": "ul. Lubelska 1, Chełm"})
    if answer.status_code == 201:  # online: coordinates from the geocoder
        assert answer.json()["lat"] is not None
    else:  # offline (as in CI): a 422 that says so and names the address
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "body.address"
        assert "give lat and lon" in answer.json()["detail"]
