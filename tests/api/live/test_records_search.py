"""Finding records as one types (`?q=`), street names and the town's map from the road
network (`/places/streets`, `/places/map`) and retiring a worker, over HTTP against a
live server on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import httpx

from tests.api.live.records_data import DAY, client, provider, put, visit, worker


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def test_a_client_is_found_by_name_address_or_phone_without_diacritics(
        coordinator: httpx.Client) -> None:
    tag, number = _tag(), uuid.uuid4().int % 1_000_000
    put(coordinator, "/clients", {**client(f"c-{tag}"), "name": f"Łucja Ząbek {tag}",
                                  "address": f"ul. Ząbkowska 12/{tag}",
                                  "phone": f"+48 512-{number // 1000:03d}-{number % 1000:03d}"})
    put(coordinator, "/clients", {**client(f"d-{tag}"), "name": f"Other {tag}"})

    def found(q: str) -> list[str]:
        answer = coordinator.get("/clients", params={"q": q, "limit": 500})
        assert answer.status_code == 200, answer.text
        return [c["id"] for c in answer.json()["items"] if tag in c["id"]]

    assert found(f"zabkowska 12/{tag}") == [f"c-{tag}"]
    assert found(f"LUCJA {tag}") == [f"c-{tag}"]  # ł folds to l, case ignored
    assert found(f"ząbek {tag}") == [f"c-{tag}"]
    digits = f"{number // 1000:03d} {number % 1000:03d}"  # as the caller reads them out
    assert f"c-{tag}" in found(digits) and f"c-{tag}" in found(digits.replace(" ", ""))
    assert found(f"{tag} zabkowska") == [f"c-{tag}"]  # words in any order
    assert found("nowhere") == []
    assert found(f"nowhere {digits}") == []  # digits among words are words, not a phone
    page = coordinator.get("/clients", params={"q": tag, "limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1  # a page of the matches


def test_a_planners_search_of_tasks_looks_at_ids_only(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    tag = _tag()
    put(coordinator, "/clients", client(f"c-{tag}"))
    put(coordinator, "/tasks", {**visit(f"t-{tag}", f"c-{tag}"), "note": f"klucz u sąsiadki {tag}"})
    assert [t["id"] for t in coordinator.get("/tasks", params={"q": f"sasiadki {tag}"}
                                             ).json()["items"]] == [f"t-{tag}"]
    assert planner.get("/tasks", params={"q": f"sasiadki {tag}"}).json()["total"] == 0
    assert planner.get("/tasks", params={"q": f"c-{tag}"}).json()["total"] == 0
    assert [t["id"] for t in planner.get("/tasks", params={"q": f"t-{tag}"}
                                         ).json()["items"]] == [f"t-{tag}"]
    assert planner.get("/clients", params={"q": "a"}).status_code == 403


def test_street_names_come_from_the_road_network_as_one_types(
        coordinator: httpx.Client, planner: httpx.Client) -> None:
    answer = coordinator.get("/places/streets", params={"q": "ul. lwows"})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert items[0]["name"] == "Lwowska", items
    assert 51.1 < items[0]["lat"] < 51.2 and 23.4 < items[0]["lon"] < 23.6
    dabka = coordinator.get("/places/streets", params={"q": "dabka"}).json()["items"]
    assert [s["name"] for s in dabka] == ["Pułkownika Stanisława Dąbka"]
    assert coordinator.get("/places/streets", params={"q": "qqqq"}).json()["items"] == []
    assert coordinator.get("/places/streets", params={"q": ""}).status_code == 422
    assert planner.get("/places/streets", params={"q": "lub"}).status_code == 403


def test_the_towns_map_is_drawn_from_the_road_network(coordinator: httpx.Client,
                                                      planner: httpx.Client) -> None:
    tag = _tag()
    put(coordinator, "/providers", provider(f"p-{tag}"))
    put(coordinator, "/workers", worker(f"w-{tag}", provider_id=f"p-{tag}"))
    for reader in (coordinator, planner):
        answer = reader.get("/places/map")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/geo+json"
        feature = answer.json()["features"][0]
        assert feature["geometry"]["type"] == "MultiLineString"
        assert feature["properties"]["lines"] > 100


def test_a_retired_worker_is_kept_but_planned_no_more(coordinator: httpx.Client) -> None:
    tag = _tag()
    put(coordinator, "/providers", provider(f"p-{tag}"))
    created = put(coordinator, "/workers", worker(f"w-{tag}", provider_id=f"p-{tag}"))
    body = {**worker(f"w-{tag}", provider_id=f"p-{tag}"), "retired": True}
    answer = coordinator.put(f"/workers/w-{tag}", json=body,
                             headers={"If-Match": created.headers["ETag"]})
    assert answer.status_code == 200, answer.text
    assert coordinator.get(f"/workers/w-{tag}").json()["retired"] is True
    put(coordinator, "/clients", client(f"c-{tag}"))
    put(coordinator, "/tasks", visit(f"t-{tag}", f"c-{tag}"))
    job = coordinator.post("/plans/jobs", json={"records": {
        "first_day": DAY, "task_ids": [f"t-{tag}"], "worker_ids": [f"w-{tag}"]}})
    assert job.status_code == 422, job.text
    assert "retired" in job.json()["detail"]
