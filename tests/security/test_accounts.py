"""Issue 27, row 13 and accounts: an account names a stored worker (command line and API);
a coordinator disables, enables and deletes accounts, resets a password and revokes an
account's tokens at once; a user changes their own password (the old one required).
A disabled or deleted account's tokens and API keys answer 401; every change is audited."""

from __future__ import annotations

import uuid

import httpx

from tests.api.live.conftest import PASSWORD, Server
from tests.security.command_line import trasa


def _name(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}"


def _log_in(server: Server, username: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{server.url}/auth/token",
                      data={"username": username, "password": password})


def _token(server: Server, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = _log_in(server, username, password)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _me(server: Server, headers: dict[str, str]) -> int:
    return httpx.get(f"{server.url}/auth/me", headers=headers).status_code


def _account(coordinator: httpx.Client, role: str = "planner",
             worker_id: str | None = None) -> str:
    name = _name(role)
    answer = coordinator.post("/users", json={"username": name, "password": PASSWORD,
                                              "role": role, "worker_id": worker_id})
    assert answer.status_code == 201, answer.text
    return name


def _actions(coordinator: httpx.Client, username: str) -> set[str]:
    log = coordinator.get("/audit", params={"resource": f"users/{username}"}).json()
    return {e["action"] for e in log["items"]}


def test_an_account_for_a_worker_not_stored_is_refused(
        server: Server, coordinator: httpx.Client) -> None:
    name = _name("ghost")
    made = trasa(server, "users", "add", name, "--role", "worker", "--worker", "no-such",
                 password=PASSWORD)
    assert made.returncode == 2, made.stdout + made.stderr
    assert "no-such" in made.stderr
    assert _log_in(server, name).status_code == 401  # nothing was made
    answer = coordinator.post("/users", json={"username": name, "password": PASSWORD,
                                              "role": "worker", "worker_id": "no-such"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "body.worker_id"
    assert _log_in(server, name).status_code == 401
    real = _account(coordinator, "worker", "w-piotr")  # a stored worker: fine
    assert _me(server, _token(server, real)) == 200
    etag = coordinator.get("/workers/w-piotr").headers["ETag"]
    gone = coordinator.delete("/workers/w-piotr", headers={"If-Match": etag})
    assert gone.status_code == 409 and "accounts" in gone.text  # accounts name it


def test_a_disabled_account_is_refused_with_its_tokens_and_keys_until_enabled(
        server: Server, coordinator: httpx.Client) -> None:
    name = _account(coordinator)
    headers = _token(server, name)
    key = coordinator.post("/auth/keys", json={"name": "reports", "username": name}).json()
    keyed = {"X-API-Key": key["key"]}
    assert _me(server, headers) == 200 and _me(server, keyed) == 200
    assert coordinator.post(f"/users/{name}/disable").status_code == 200
    assert _me(server, headers) == 401 and _me(server, keyed) == 401
    assert _log_in(server, name).status_code == 401
    listed = {u["username"]: u for u in coordinator.get("/users").json()}
    assert listed[name]["disabled"] is True
    assert coordinator.post(f"/users/{name}/enable").status_code == 200
    assert _me(server, _token(server, name)) == 200 and _me(server, keyed) == 200
    assert {"user add", "user disable", "user enable"} <= _actions(coordinator, name)
    me = coordinator.get("/auth/me").json()["username"]
    assert coordinator.post(f"/users/{me}/disable").status_code == 409  # not yourself


def test_revoking_an_accounts_tokens_ends_every_one_at_once(
        server: Server, coordinator: httpx.Client) -> None:
    name = _account(coordinator)
    first, second = _token(server, name), _token(server, name)
    assert coordinator.post(f"/users/{name}/revoke-tokens").status_code == 204
    assert _me(server, first) == 401 and _me(server, second) == 401
    assert _me(server, _token(server, name)) == 200  # a new log-in works
    assert "tokens revoke" in _actions(coordinator, name)


def test_a_user_changes_their_password_with_the_old_one(
        server: Server, coordinator: httpx.Client) -> None:
    name = _account(coordinator)
    headers = _token(server, name)
    new = "a much newer passphrase"
    wrong = httpx.post(f"{server.url}/auth/password", headers=headers,
                       json={"old_password": "not it at all", "new_password": new})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body.old_password"
    short = httpx.post(f"{server.url}/auth/password", headers=headers,
                       json={"old_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422, short.text
    changed = httpx.post(f"{server.url}/auth/password", headers=headers,
                         json={"old_password": PASSWORD, "new_password": new})
    assert changed.status_code == 200, changed.text
    assert _me(server, headers) == 401  # the old token ended with the old password
    assert _me(server, {"Authorization": f"Bearer {changed.json()['access_token']}"}) == 200
    assert _log_in(server, name).status_code == 401
    assert _log_in(server, name, new).status_code == 200
    assert "password change" in _actions(coordinator, name)


def test_a_coordinator_resets_a_password_and_deletes_an_account(
        server: Server, coordinator: httpx.Client) -> None:
    name = _account(coordinator)
    headers = _token(server, name)
    key = coordinator.post("/auth/keys", json={"name": "x", "username": name}).json()["key"]
    reset = coordinator.post(f"/users/{name}/password", json={"password": "reset by them 1"})
    assert reset.status_code == 204, reset.text
    assert _me(server, headers) == 401
    assert _log_in(server, name, "reset by them 1").status_code == 200
    assert coordinator.post(f"/users/{name}/password", json={"password": "x"}
                            ).status_code == 422
    assert coordinator.delete(f"/users/{name}").status_code == 204
    assert _log_in(server, name, "reset by them 1").status_code == 401
    assert _me(server, {"X-API-Key": key}) == 401
    assert name not in {u["username"] for u in coordinator.get("/users").json()}
    again = coordinator.post("/users", json={"username": name, "password": PASSWORD,
                                             "role": "planner"})
    assert again.status_code == 409  # a deleted name is never given to someone else
    assert {"user add", "password reset", "user delete"} <= _actions(coordinator, name)
    assert coordinator.delete("/users/no-such-user").status_code == 404


def test_the_command_line_manages_accounts(server: Server) -> None:
    name = _name("cli")
    assert trasa(server, "users", "add", name, "--role", "planner",
                 password=PASSWORD).returncode == 0
    headers = _token(server, name)
    assert name in trasa(server, "users", "list").stdout
    assert trasa(server, "users", "revoke-tokens", name).returncode == 0
    assert _me(server, headers) == 401
    assert trasa(server, "users", "disable", name).returncode == 0
    assert _log_in(server, name).status_code == 401
    assert trasa(server, "users", "enable", name).returncode == 0
    assert trasa(server, "users", "password", name, password="set on the command line"
                 ).returncode == 0
    assert _log_in(server, name, "set on the command line").status_code == 200
    assert trasa(server, "users", "delete", name).returncode == 0
    assert _log_in(server, name, "set on the command line").status_code == 401
    missing = trasa(server, "users", "disable", "no-such-user")
    assert missing.returncode == 2 and "no-such-user" in missing.stderr
