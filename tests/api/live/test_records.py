"""Master data over HTTP against a live server, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import httpx

from tests.api.live.records_data import client, provider, put, visit, worker


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_a_record_reads_back_as_written_with_its_etag(coordinator: httpx.Client) -> None:
    cid = _id("c")
    created = put(coordinator, "/clients", client(cid))
    assert created.headers["Location"] == f"/clients/{cid}"
    answer = coordinator.get(f"/clients/{cid}")
    assert answer.status_code == 200
    assert answer.json()["name"] == f"Zofia Wąsowska {cid}"  # Polish letters survive
    assert answer.headers["ETag"] == created.headers["ETag"]


def test_a_stale_update_gets_412_and_changes_nothing(coordinator: httpx.Client) -> None:
    cid = _id("c")
    etag = put(coordinator, "/clients", client(cid)).headers["ETag"]
    first = coordinator.put(f"/clients/{cid}", json={**client(cid), "phone": "+48 1"},
                            headers={"If-Match": etag})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] != etag
    stale = coordinator.put(f"/clients/{cid}", json={**client(cid), "phone": "+48 2"},
                            headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert stale.headers["ETag"] == first.headers["ETag"]
    assert coordinator.get(f"/clients/{cid}").json()["phone"] == "+48 1"


def test_an_update_without_if_match_gets_428(coordinator: httpx.Client) -> None:
    cid = _id("c")
    put(coordinator, "/clients", client(cid))
    answer = coordinator.put(f"/clients/{cid}", json=client(cid))
    assert answer.status_code == 428
    assert "If-Match" in answer.json()["detail"]


def test_bad_input_names_the_field_and_the_value(coordinator: httpx.Client) -> None:
    answer = coordinator.post("/clients", json={**client(_id("c")), "lat": 200})
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["status"] == 422
    assert [(e["field"], e["value"]) for e in problem["errors"]] == [("body.lat", 200)]


def test_a_reference_to_an_unknown_record_is_refused(coordinator: httpx.Client) -> None:
    answer = coordinator.post("/workers", json=worker(_id("w"), provider_id="no-such-pes"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.provider"
    assert "no-such-pes" in answer.json()["detail"]


def test_unknown_ids_get_404_and_duplicates_409(coordinator: httpx.Client) -> None:
    assert coordinator.get("/clients/nobody").status_code == 404
    cid = _id("c")
    put(coordinator, "/clients", client(cid))
    assert coordinator.post("/clients", json=client(cid)).status_code == 409


def test_a_client_with_tasks_cannot_be_deleted(coordinator: httpx.Client) -> None:
    cid, tid = _id("c"), _id("t")
    etag = put(coordinator, "/clients", client(cid)).headers["ETag"]
    task_etag = put(coordinator, "/tasks", visit(tid, cid)).headers["ETag"]
    assert coordinator.delete(f"/clients/{cid}", headers={"If-Match": etag}).status_code == 409
    assert coordinator.delete(f"/tasks/{tid}", headers={"If-Match": task_etag}
                              ).status_code == 204
    assert coordinator.delete(f"/clients/{cid}", headers={"If-Match": etag}).status_code == 204
    assert coordinator.get(f"/clients/{cid}").status_code == 404


def test_tasks_filter_by_day_and_page(coordinator: httpx.Client) -> None:
    cid = _id("c")
    put(coordinator, "/clients", client(cid))
    day = "2027-03-0"
    for k in range(5):
        put(coordinator, "/tasks", visit(_id("t"), cid, day=f"{day}{k % 2 + 1}"))
    first = coordinator.get("/tasks", params={"client": cid, "day_from": "2027-03-02",
                                              "day_to": "2027-03-02", "limit": 1})
    assert first.status_code == 200
    page = first.json()
    assert (page["total"], len(page["items"])) == (2, 1)
    second = coordinator.get("/tasks", params={"client": cid, "day_from": "2027-03-02",
                                               "day_to": "2027-03-02", "limit": 1,
                                               "offset": 1}).json()
    assert second["items"][0]["id"] != page["items"][0]["id"]
    assert coordinator.get("/tasks", params={"client": cid}).json()["total"] == 5


def test_providers_and_workers_round_trip(coordinator: httpx.Client) -> None:
    pid = _id("pes")
    put(coordinator, "/providers", provider(pid, "pes"))
    wid = _id("w")
    put(coordinator, "/workers", worker(wid, provider_id=pid))
    listed = coordinator.get("/workers", params={"provider": pid}).json()
    assert [w["id"] for w in listed["items"]] == [wid]
