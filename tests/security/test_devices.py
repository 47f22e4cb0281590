"""Issue 30, deliverable 1: a worker's phone keeps a device credential instead of a
password. A coordinator pairs it (the secret shown once), lists and revokes it; the
phone trades the secret for a short worker token (`POST /auth/device`) that reads that
worker's own days and nothing more; a revoked phone, or one of a disabled account, gets
401 there; "log out everywhere" revokes the account's phones; unknown secrets are
throttled per device id and per address. Every issue, use and revocation is audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import closing

import httpx
import jwt
import pytest

from api.store.devices import MAX_DEVICES
from tests.api.live.conftest import PASSWORD, Server


def _pair(coordinator: httpx.Client, username: str = "worker", label: str = "telefon"
          ) -> dict[str, str]:
    made = coordinator.post(f"/users/{username}/devices", json={"label": label})
    assert made.status_code == 201, made.text
    return dict(made.json())


def _trade(server: Server, secret: str, address: str | None = None) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address) if address else None
    with httpx.Client(base_url=server.url, timeout=30, transport=transport) as client:
        return client.post("/auth/device", json={"secret": secret})


@pytest.fixture
def phone(server: Server) -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=server.url, timeout=30)
    yield client
    client.close()


def _as(phone: httpx.Client, token: str) -> httpx.Client:
    phone.headers["Authorization"] = f"Bearer {token}"
    return phone


def test_a_paired_phone_reads_its_worker_s_own_days_with_a_short_token(
        server: Server, coordinator: httpx.Client, phone: httpx.Client) -> None:
    made = _pair(coordinator, label="Samsung Anny")
    secret = made["secret"]
    assert secret.startswith(f"dev_{made['id']}_") and len(secret) > 40
    assert made["pair_url"] == f"{server.url}/app/sparuj#{secret}"  # in the fragment only
    listed = {d["id"]: d for d in coordinator.get("/users/worker/devices").json()}
    assert listed[made["id"]]["label"] == "Samsung Anny"
    assert listed[made["id"]]["last_used_at"] is None and listed[made["id"]]["revoked_at"] is None
    assert secret not in coordinator.get("/users/worker/devices").text  # never shown again

    traded = _trade(server, secret)
    assert traded.status_code == 200, traded.text
    answer = traded.json()
    assert (answer["role"], answer["username"], answer["worker_id"]) == ("worker", "worker",
                                                                        "w-anna")
    assert answer["expires_in"] == 15 * 60
    claims = jwt.decode(answer["access_token"], server.env["TRASA_SECRET_KEY"],
                        algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 15 * 60 and claims["dev"] == made["id"]

    _as(phone, answer["access_token"])
    assert phone.get("/auth/me").json()["worker_id"] == "w-anna"
    assert phone.get("/days/2027-06-02/workers/w-piotr").status_code == 403  # another's day
    assert phone.get("/days/2027-06-02/workers/w-piotr/sheet").status_code == 403
    for path in ("/users", "/users/worker/devices", "/clients", "/audit", "/auth/keys"):
        assert phone.get(path).status_code == 403, path
    assert phone.post("/users/worker/devices", json={"label": "x"}).status_code == 403
    assert coordinator.get("/users/worker/devices").json()[-1]["last_used_at"] is not None

    assert coordinator.delete(f"/users/worker/devices/{made['id']}").status_code == 204
    refused = _trade(server, secret)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    # The token given before the revocation lasts out its 15 minutes (no check per request).
    assert phone.get("/auth/me").status_code == 200
    assert coordinator.delete(f"/users/worker/devices/{made['id']}").status_code == 204  # again
    log = coordinator.get("/audit", params={"resource": f"users/worker/devices/{made['id']}"})
    actions = [(e["username"], e["action"]) for e in log.json()["items"]]
    assert {("coordinator", "device issue"), ("worker", "device use"),
            ("coordinator", "device revoke")} <= set(actions)


def test_a_disabled_account_s_phone_gets_no_token_and_log_out_everywhere_unpairs_it(
        server: Server, coordinator: httpx.Client, phone: httpx.Client) -> None:
    secret = _pair(coordinator, "other-worker")["secret"]
    token = _trade(server, secret).json()["access_token"]
    _as(phone, token)
    assert coordinator.post("/users/other-worker/disable").status_code == 200
    try:
        refused = _trade(server, secret)
        assert refused.status_code == 401 and "disabled" in refused.json()["detail"]
        assert phone.get("/auth/me").status_code == 401  # its token stops at once
    finally:
        assert coordinator.post("/users/other-worker/enable").status_code == 200
    assert _trade(server, secret).status_code == 200  # enabled again: the phone is back

    assert coordinator.post("/users/other-worker/revoke-tokens").status_code == 204
    assert phone.get("/auth/me").status_code == 401
    assert _trade(server, secret).status_code == 401
    devices = coordinator.get("/users/other-worker/devices").json()
    assert devices and all(d["revoked_at"] is not None for d in devices)


def test_pairing_refuses_what_it_should(server: Server, coordinator: httpx.Client) -> None:
    for username in ("coordinator", "planner"):  # a phone is a worker's only
        answer = coordinator.post(f"/users/{username}/devices", json={"label": "x"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "path.username"
    assert coordinator.post("/users/nobody/devices", json={"label": "x"}).status_code == 404
    assert coordinator.get("/users/nobody/devices").status_code == 404
    for label in ("", "x" * 101):
        answer = coordinator.post("/users/worker/devices", json={"label": label})
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "body.label"
    made = _pair(coordinator)
    assert coordinator.delete(f"/users/other-worker/devices/{made['id']}").status_code == 404
    assert coordinator.delete("/users/worker/devices/nothing").status_code == 404
    too_long = _trade(server, "dev_" + "x" * 300)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body.secret"
    forged = made["secret"][:-3] + ("aaa" if not made["secret"].endswith("aaa") else "bbb")
    for wrong in (forged, "dev_0000000000000000_x", "trasa_x_y", "nonsense"):
        assert _trade(server, wrong, "127.0.0.31").status_code == 401, wrong

    name = f"anna-{uuid.uuid4().hex[:6]}"  # a second account of w-anna, for the cap
    assert coordinator.post("/users", json={"username": name, "password": PASSWORD,
                                            "role": "worker", "worker_id": "w-anna"}
                            ).status_code == 201
    made = [_pair(coordinator, name, f"phone {k}") for k in range(MAX_DEVICES)]
    over = coordinator.post(f"/users/{name}/devices", json={"label": "one more"})
    assert over.status_code == 409 and str(MAX_DEVICES) in over.json()["detail"]
    assert coordinator.delete(f"/users/{name}/devices/{made[0]['id']}").status_code == 204
    _pair(coordinator, name, "in its place")  # a revoked phone frees its place
    assert coordinator.delete(f"/users/{name}").status_code == 204
    assert _trade(server, made[1]["secret"]).status_code == 401  # deleted: all revoked


def test_unknown_secrets_are_throttled_per_device_and_per_address(
        server: Server, coordinator: httpx.Client) -> None:
    """The server's defaults: 5 failures per device id, 20 per address, in 900 s."""
    secret = _pair(coordinator)["secret"]
    device_id = secret.split("_")[1]
    for _ in range(5):  # someone guessing this device's secret
        assert _trade(server, f"dev_{device_id}_guess", "127.0.0.32").status_code == 401
    throttled = _trade(server, secret, "127.0.0.33")  # the right one, elsewhere: refused
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1

    other = _pair(coordinator)["secret"]
    for k in range(20):  # one address trying many devices
        assert _trade(server, f"dev_{k:016x}_guess", "127.0.0.34").status_code == 401
    assert _trade(server, other, "127.0.0.34").status_code == 429
    assert _trade(server, other, "127.0.0.35").status_code == 200  # another address
    with closing(httpx.Client(base_url=server.url, timeout=30, transport=httpx.HTTPTransport(
            local_address="127.0.0.34"))) as same_address:  # password log-ins count apart
        assert same_address.post("/auth/token", data={"username": "worker",
                                                      "password": PASSWORD}
                                 ).status_code == 200


def test_a_user_chooses_their_language(server: Server, worker: httpx.Client) -> None:
    assert worker.get("/auth/me").json()["language"] in (None, "pl")
    wrong = worker.patch("/auth/me", json={"language": "de"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body.language"
    try:
        chosen = worker.patch("/auth/me", json={"language": "uk"})
        assert chosen.status_code == 200 and chosen.json()["language"] == "uk"
        assert worker.get("/auth/me").json()["language"] == "uk"
        secret_holder = server.client("coordinator")
        secret = _pair(secret_holder)["secret"]
        assert _trade(server, secret).json()["language"] == "uk"  # the phone learns it
        accounts = {u["username"]: u for u in secret_holder.get("/users").json()}
        assert accounts["worker"]["language"] == "uk"  # coordinators see it
        secret_holder.close()
    finally:
        assert worker.patch("/auth/me", json={"language": "pl"}).status_code == 200
