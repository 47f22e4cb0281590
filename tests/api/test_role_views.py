"""Roles' views of personal data have one home, `api.app.privacy`: who reads a worker's
day, who sees names, whose jobs one lists, and every read of clients' data audited there.
No router or page decides a role on its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.app import privacy
from api.app.errors import ApiError
from api.store.tables import User
from api.store.users import Role

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "api" / "app" / "privacy.py"


def _user(role: Role, worker_id: str | None = None) -> User:
    return User(username=f"{role.value}-1", role=role, worker_id=worker_id)


COORDINATOR, PLANNER = _user(Role.COORDINATOR), _user(Role.PLANNER)
ANNA = _user(Role.WORKER, "w-anna")


@pytest.mark.parametrize(("user", "worker", "reads"), [
    (COORDINATOR, "w-anna", True), (ANNA, "w-anna", True), (ANNA, "w-bob", False),
    (PLANNER, "w-anna", False)])
def test_who_reads_a_workers_day(user: User, worker: str, reads: bool) -> None:
    assert privacy.reads_worker(user, worker) is reads
    if reads:
        privacy.check_reads_worker(user, worker, "day")
    else:
        with pytest.raises(ApiError) as refused:
            privacy.check_reads_worker(user, worker, "day")
        assert refused.value.status == 403


def test_names_and_everyones_jobs_by_role() -> None:
    assert [privacy.sees_names(u) for u in (COORDINATOR, PLANNER, ANNA)] == [True, False, True]
    assert [privacy.reads_everyones(u) for u in (COORDINATOR, PLANNER, ANNA)] == [
        True, False, False]


def test_no_router_or_page_decides_a_role_or_audits_a_read_on_its_own() -> None:
    scattered = re.compile(r"\.role\s*[!=]=|record_reads\(")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "api").rglob("*.py"))
             if p != HOME and "store" not in p.parts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if scattered.search(line)]
    assert found == []
