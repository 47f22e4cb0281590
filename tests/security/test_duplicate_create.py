"""Issue 27, row 3: the same new id POSTed at once by several clients is stored once: one
201, every other answer a 409 problem naming the id, never a 5xx (the database's unique
key decides; the loser's error is a conflict, not a crash), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.api.live.conftest import Server
from tests.api.live.records_data import client, provider, visit, worker

AT_ONCE = 6
ROUNDS = 3


def _post_at_once(server: Server, token: str, path: str, bodies: list[Any],
                  *, csv: bool = False) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))

    def post(body: Any) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60,
                          headers={"Authorization": token}) as api:
            api.get("/health")
            barrier.wait()
            if csv:
                return api.post(path, content=body.encode(),
                                headers={"Content-Type": "text/csv"})
            return api.post(path, json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def _one_stored(answers: list[httpx.Response], record_id: str) -> None:
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (len(answers) - 1), [a.text for a in answers]
    for lost in (a for a in answers if a.status_code == 409):
        assert lost.headers["content-type"].startswith("application/problem+json")
        assert record_id in lost.json()["detail"], lost.text


KINDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "providers": lambda i: provider(i),
    "clients": lambda i: client(i, 2),
    "workers": lambda i: worker(i, provider_id="cus-dup"),
    "tasks": lambda i: visit(i, "c-dup"),
    "vehicles": lambda i: {"id": i, "name": "Bus", "seats": 8},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_same_new_id_posted_at_once_is_stored_once(
        server: Server, coordinator: httpx.Client, kind: str) -> None:
    coordinator.post("/providers", json=provider("cus-dup"))
    coordinator.post("/clients", json=client("c-dup", 1))
    token = coordinator.headers["Authorization"]
    for _ in range(ROUNDS):
        record_id = f"dup-{uuid.uuid4().hex[:8]}"
        answers = _post_at_once(server, token, f"/{kind}",
                                [KINDS[kind](record_id)] * AT_ONCE)
        _one_stored(answers, record_id)
        assert coordinator.get(f"/{kind}/{record_id}").status_code == 200


def test_the_same_csv_imported_at_once_is_stored_once(
        server: Server, coordinator: httpx.Client) -> None:
    token = coordinator.headers["Authorization"]
    for _ in range(ROUNDS):
        record_id = f"dup-{uuid.uuid4().hex[:8]}"
        text = ("id;name;address;phone;lat;lon\n"
                f"{record_id};Zofia Wąsowska;ul. Lubelska 1;+48 600 100 200;51.1402;23.4801\n")
        answers = _post_at_once(server, token, "/import/clients", [text] * AT_ONCE, csv=True)
        statuses = sorted(a.status_code for a in answers)
        assert statuses[0] == 201 and all(s in (409, 422) for s in statuses[1:]), \
            [a.text for a in answers]
        assert all(record_id in a.text for a in answers[1:] if a.status_code != 201)
        assert coordinator.get(f"/clients/{record_id}").status_code == 200
