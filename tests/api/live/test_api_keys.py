"""API keys over HTTP: made by a coordinator, shown once, act as their account, revoked."""

from __future__ import annotations

import httpx

from api.security import api_key_digest
from api.store.database import session_scope
from api.store.tables import ApiKey
from tests.api.live.conftest import Server


def test_a_key_acts_as_its_account_until_it_is_revoked(server: Server,
                                                        coordinator: httpx.Client) -> None:
    made = coordinator.post("/auth/keys", json={"name": "gmina-reporting",
                                                "username": "planner"})
    assert made.status_code == 201, made.text
    key, key_id = made.json()["key"], made.json()["id"]
    assert made.headers["Location"] == f"/auth/keys/{key_id}"

    with httpx.Client(base_url=server.url, headers={"X-API-Key": key}) as integration:
        me = integration.get("/auth/me")
        assert me.status_code == 200, me.text
        assert (me.json()["username"], me.json()["role"]) == ("planner", "planner")
        assert integration.get("/clients").status_code == 403  # a planner's rights, no more
        assert integration.get("/plans").status_code == 200

        listed = {k["id"]: k for k in coordinator.get("/auth/keys").json()}
        assert listed[key_id]["name"] == "gmina-reporting"
        assert key not in str(listed)  # the secret is shown once, never listed
        with session_scope(server.database_url) as session:
            stored = session.get(ApiKey, key_id)
            assert stored is not None
            assert stored.secret_hash == api_key_digest(key) and key not in stored.secret_hash

        assert coordinator.delete(f"/auth/keys/{key_id}").status_code == 204
        assert integration.get("/auth/me").status_code == 401
        assert coordinator.delete(f"/auth/keys/{key_id}").status_code == 404


def test_a_wrong_key_is_refused_and_only_a_coordinator_makes_keys(
        server: Server, coordinator: httpx.Client, planner: httpx.Client) -> None:
    key = coordinator.post("/auth/keys", json={"name": "wrong-secret-check"}).json()["key"]
    for bad in (key[:-2] + ("aa" if not key.endswith("aa") else "bb"), "trasa_nothing",
                "not-a-key"):
        answer = httpx.get(f"{server.url}/auth/me", headers={"X-API-Key": bad})
        assert answer.status_code == 401, bad
        assert "X-API-Key" in answer.json()["detail"]
    assert planner.post("/auth/keys", json={"name": "mine"}).status_code == 403
    unknown = coordinator.post("/auth/keys", json={"name": "x", "username": "nobody-here"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.username"
