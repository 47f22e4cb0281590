"""Issue 27, row 9: calendar links are stored records (a digest of the secret, the
worker, who made it, when it expires, when it was revoked): minted only for stored
workers, listed, revoked; a feed read with an unknown, revoked or expired link is 401.
The URL a calendar app subscribes to keeps its shape: `/calendars/{id}.ics?token=…`."""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from sqlalchemy import update

from api.store.database import engine_for
from api.store.tables import CalendarLink
from tests.api.live.conftest import Server
from tests.security.command_line import trasa


def test_a_link_for_a_worker_not_stored_is_refused(coordinator: httpx.Client) -> None:
    assert coordinator.get("/workers/no-such/calendar-link").status_code == 404
    answer = coordinator.post("/calendar-links", json={"worker_id": "no-such"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "body.worker_id"
    assert not [x for x in coordinator.get("/calendar-links").json()
                if x["worker_id"] == "no-such"]


def test_a_link_is_listed_and_once_revoked_its_feed_answers_401(
        server: Server, coordinator: httpx.Client, worker: httpx.Client) -> None:
    made = worker.post("/calendar-links", json={"worker_id": "w-anna"})
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["url"].split("?")[0].endswith("/calendars/w-anna.ics")
    assert httpx.get(link["url"]).status_code == 200
    mine = worker.get("/calendar-links").json()
    assert link["id"] in {x["id"] for x in mine}
    assert {x["worker_id"] for x in mine} == {"w-anna"}  # a worker sees their own only
    assert all("url" not in x and "token" not in x for x in mine)  # the secret never again
    with closing(server.client("other-worker")) as other:
        assert link["id"] not in {x["id"] for x in other.get("/calendar-links").json()}
        assert other.post("/calendar-links", json={"worker_id": "w-anna"}).status_code == 403
        assert other.delete(f"/calendar-links/{link['id']}").status_code == 404

    assert coordinator.delete(f"/calendar-links/{link['id']}").status_code == 204
    assert httpx.get(link["url"]).status_code == 401
    listed = {x["id"]: x for x in coordinator.get("/calendar-links").json()}
    assert listed[link["id"]]["revoked_at"] is not None
    assert coordinator.delete(f"/calendar-links/{link['id']}").status_code == 204  # again
    log = coordinator.get("/audit", params={"resource": f"calendar-links/{link['id']}"}).json()
    assert {e["action"] for e in log["items"]} >= {"link add", "link revoke"}


def test_an_expired_link_answers_401(server: Server, coordinator: httpx.Client) -> None:
    link = coordinator.get("/workers/w-anna/calendar-link").json()  # the old route mints
    created, expires = (datetime.fromisoformat(link[k]) for k in ("created_at", "expires_at"))
    assert timedelta(days=89) < expires - created <= timedelta(days=90)  # the default
    assert httpx.get(link["url"]).status_code == 200
    with engine_for(server.database_url).begin() as db:  # the clock moves past its expiry
        db.execute(update(CalendarLink).where(CalendarLink.id == link["id"]).values(
            expires_at=datetime(2020, 1, 1, tzinfo=UTC)))  # long past on any clock
    assert httpx.get(link["url"]).status_code == 401


def test_unknown_forged_and_borrowed_tokens_answer_401(
        server: Server, worker: httpx.Client) -> None:
    url = worker.post("/calendar-links", json={"worker_id": "w-anna", "days": 1}).json()["url"]
    base, token = url.split("?token=")
    assert httpx.get(url.replace("w-anna.ics", "w-piotr.ics")).status_code == 401
    assert httpx.get(f"{base}?token={token[:-2]}xx").status_code == 401
    assert httpx.get(f"{base}?token=cal_0000000000000000_nothing").status_code == 401
    old_style = jwt.encode({"sub": "w-anna", "scope": "calendar"},
                           server.env["TRASA_SECRET_KEY"], algorithm="HS256")
    assert httpx.get(f"{base}?token={old_style}").status_code == 401  # never expired: gone
    assert worker.post("/calendar-links", json={"worker_id": "w-anna", "days": 0}
                       ).status_code == 422


def test_the_command_line_mints_lists_and_revokes_links(server: Server) -> None:
    made = trasa(server, "links", "add", "w-piotr", "--days", "5", "--base-url", server.url)
    assert made.returncode == 0, made.stderr
    url = next(w for w in made.stdout.split() if w.startswith("http"))
    assert httpx.get(url).status_code == 200
    listed = trasa(server, "links", "list", "--worker", "w-piotr")
    link_id = url.split("?token=cal_")[1].split("_")[0]
    assert link_id in listed.stdout
    refused = trasa(server, "links", "add", "no-such")
    assert refused.returncode == 2 and "no-such" in refused.stderr
    assert trasa(server, "links", "revoke", link_id).returncode == 0
    assert httpx.get(url).status_code == 401
