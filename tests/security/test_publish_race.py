"""Issue 27, row 3: drafts of one day published at once leave exactly one published plan
for that day, on SQLite and PostgreSQL. The publish that wins supersedes the older plan;
every other one gets 409 naming the winner (a plan published after its draft was made,
which its coordinator has not seen); `force=true` then supersedes it knowingly. A draft
made after the last publish still supersedes it, as before."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.store.database import session_scope
from api.store.tables import Job
from tests.api.live.conftest import Server

PUBLISHERS = 6
ROUNDS = 4


@pytest.fixture(scope="module")
def done_job(server: Server) -> tuple[str, str]:
    """A finished job whose checked plan covers one day: (job id, day). Written straight
    into the server's database (a solve would only make the test slower: the race is in
    publishing its drafts, which goes through the API)."""
    day = "2026-12-14"
    with session_scope(server.database_url) as session:
        job = Job(id=str(uuid.uuid4()), status="done", owner="coordinator", request={},
                  attempts=1, cancel_requested=False,
                  plan={"date": day, "days": 1, "routes": [], "check": {"passed": True}})
        session.add(job)
    return job.id, day


def _drafts(api: httpx.Client, job_id: str, n: int) -> list[str]:
    made = [api.post("/plans", json={"job_id": job_id}) for _ in range(n)]
    assert all(m.status_code == 201 for m in made), [m.text for m in made]
    return [str(m.json()["id"]) for m in made]


def _publish_at_once(server: Server, token: str, drafts: list[str]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(drafts))

    def publish(plan_id: str) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60,
                          headers={"Authorization": token}) as api:
            api.get("/health")  # connected before the start line
            barrier.wait()
            return api.post(f"/plans/{plan_id}/publish")

    with ThreadPoolExecutor(len(drafts)) as pool:
        return list(pool.map(publish, drafts))


def _published(api: httpx.Client, day: str) -> list[str]:
    page = api.get("/plans", params={"day": day, "status": "published", "limit": 100})
    assert page.status_code == 200, page.text
    return [p["id"] for p in page.json()["items"]]


def test_drafts_of_one_day_published_at_once_leave_one_published_plan(
        server: Server, coordinator: httpx.Client, done_job: tuple[str, str]) -> None:
    job_id, day = done_job
    token = coordinator.headers["Authorization"]
    before: list[str] = []
    for _ in range(ROUNDS):
        drafts = _drafts(coordinator, job_id, PUBLISHERS)
        answers = _publish_at_once(server, token, drafts)
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] + [409] * (PUBLISHERS - 1), [a.text for a in answers]
        winner = next(a.json()["id"] for a in answers if a.status_code == 200)
        for lost in (a for a in answers if a.status_code == 409):
            assert lost.headers["content-type"].startswith("application/problem+json")
            assert winner in lost.json()["detail"], lost.text
        assert _published(coordinator, day) == [winner]
        for old in before:  # the plan published before this round was superseded
            plan = coordinator.get(f"/plans/{old}").json()
            assert (plan["status"], plan["superseded_by"]) == ("superseded", winner)
        losers = [d for d in drafts if d != winner]
        assert {coordinator.get(f"/plans/{d}").json()["status"] for d in losers} == {"draft"}
        before = [winner]


def test_a_loser_publishing_with_force_supersedes_the_winner(
        server: Server, coordinator: httpx.Client, done_job: tuple[str, str]) -> None:
    job_id, day = done_job
    drafts = _drafts(coordinator, job_id, 2)
    answers = _publish_at_once(server, coordinator.headers["Authorization"], drafts)
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    winner = next(a.json()["id"] for a in answers if a.status_code == 200)
    loser = next(d for d in drafts if d != winner)
    again = coordinator.post(f"/plans/{loser}/publish")
    assert again.status_code == 409 and winner in again.json()["detail"], again.text
    again = coordinator.post(f"/plans/{loser}/publish", params={"force": "true"})
    assert again.status_code == 200, again.text
    assert _published(coordinator, day) == [loser]
    assert coordinator.get(f"/plans/{winner}").json()["superseded_by"] == loser


def test_one_draft_published_twice_at_once_is_published_once(
        server: Server, coordinator: httpx.Client, done_job: tuple[str, str]) -> None:
    job_id, day = done_job
    (draft,) = _drafts(coordinator, job_id, 1)
    answers = _publish_at_once(server, coordinator.headers["Authorization"], [draft] * 4)
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409], \
        [a.text for a in answers]
    assert _published(coordinator, day) == [draft]


def test_a_draft_made_after_the_last_publish_supersedes_it_without_force(
        coordinator: httpx.Client, done_job: tuple[str, str]) -> None:
    job_id, day = done_job
    (first,) = _drafts(coordinator, job_id, 1)
    assert coordinator.post(f"/plans/{first}/publish").status_code == 200
    (second,) = _drafts(coordinator, job_id, 1)
    assert coordinator.post(f"/plans/{second}/publish").status_code == 200
    assert _published(coordinator, day) == [second]
