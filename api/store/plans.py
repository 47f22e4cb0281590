"""Plan versions: a draft from a job's checked plan, published (immutable), superseded.

Publishing a plan supersedes every published plan whose days overlap it, so each day
has at most one published plan: the one workers read. Publishes take a lock, one at a
time, so two drafts of one day published at once cannot both stay published. The one
change a kept plan sees is the erasure of a client's personal data (`redactions`
counts them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, defer

from api.convert.plan_document import document_route_day
from api.store.records import RecordError, RecordNotFound
from api.store.tables import Job, PlanVersion


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class PlanConflict(RecordError):
    pass


PUBLISH_LOCK = 0x7472617361  # "trasa": the PostgreSQL advisory lock key of publishing


def plan_from_job(session: Session, job: Job, username: str) -> PlanVersion:
    """A draft of `job`'s plan; only a finished job's plan that passed the check."""
    if job.request.get("kind") not in (None, "replan"):
        raise PlanConflict(f"plans/jobs/{job.id}: a {job.request['kind']} job has no plan to "
                           "keep")
    if job.plan is None:
        raise PlanConflict(f"plans/jobs/{job.id}: the job has no plan yet ({job.status})")
    if not job.plan["check"]["passed"]:
        raise PlanConflict(f"plans/jobs/{job.id}: its plan failed the independent check")
    first = date.fromisoformat(job.plan["date"])
    plan = PlanVersion(id=str(uuid.uuid4()), first_day=first, created_at=datetime.now(UTC),
                       last_day=first + timedelta(days=int(job.plan["days"]) - 1),
                       status=PlanStatus.DRAFT.value, job_id=job.id, document=job.plan,
                       created_by=username)
    session.add(plan)
    session.flush()
    return plan


def get_plan(session: Session, plan_id: str, *, with_document: bool = True) -> PlanVersion:
    """Plan version `plan_id`; without its document (`document_of` keeps one read per
    process) unless `with_document` or already loaded."""
    plan = session.get(PlanVersion, plan_id,
                       options=() if with_document else (defer(PlanVersion.document),))
    if plan is None:
        raise RecordNotFound(f"plans/{plan_id}: no such plan")
    return plan


def publish(session: Session, plan: PlanVersion, username: str, *, force: bool = False
            ) -> list[str]:
    """Publish `plan`; the ids of the plans it superseded.

    Publishes are serialised (`_lock_publishing`), so at most one plan is published for
    a day. A plan published for these days after this draft was made (another publish
    won a race, or the draft is stale) is not superseded unknowingly: `PlanConflict`
    names it, unless `force` (the coordinator has read it and means to replace it)."""
    _lock_publishing(session, plan)
    session.refresh(plan)  # as the last publish left it
    if plan.status != PlanStatus.DRAFT.value:
        raise PlanConflict(f"plans/{plan.id}: is {plan.status}; only a draft can be published")
    older = _published_over(session, plan)
    since = _published_since(session, plan, [old.id for old in older])
    newer = [old for old in older if old.id in since]
    if newer and not force:
        won = newer[0]
        raise PlanConflict(
            f"plans/{plan.id}: plan {won.id} was published for {won.first_day}.."
            f"{won.last_day} by {won.published_by} after this draft was made; read it, then "
            "publish with force=true to supersede it (or plan again)")
    for old in older:
        old.status, old.superseded_by = PlanStatus.SUPERSEDED.value, plan.id
    session.flush()  # the old ones leave first: PostgreSQL checks each row (migration 0006)
    plan.status, plan.published_by = PlanStatus.PUBLISHED.value, username
    plan.published_at = datetime.now(UTC)
    session.flush()
    return [old.id for old in older]


def _published_over(session: Session, plan: PlanVersion) -> Sequence[PlanVersion]:
    """The published plans whose days overlap `plan`'s, read afresh."""
    return session.scalars(select(PlanVersion).where(
        PlanVersion.status == PlanStatus.PUBLISHED.value,
        PlanVersion.first_day <= plan.last_day, PlanVersion.last_day >= plan.first_day,
        PlanVersion.id != plan.id).order_by(PlanVersion.published_at.desc())
        .execution_options(populate_existing=True).with_for_update()).all()


def _published_since(session: Session, plan: PlanVersion, ids: list[str]) -> set[str]:
    """Those of `ids` published after `plan` was made (compared in the database, where
    both times are stored alike)."""
    made = select(PlanVersion.created_at).where(PlanVersion.id == plan.id).scalar_subquery()
    return set(session.scalars(select(PlanVersion.id).where(
        PlanVersion.id.in_(ids), PlanVersion.published_at > made)))


def _lock_publishing(session: Session, plan: PlanVersion) -> None:
    """Take the publishing lock for the rest of the transaction: one publish at a time.

    PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback).
    SQLite: a write (an update that changes nothing), which takes the database's write
    lock; the transaction's reads that follow see every publish committed before it."""
    lock_plans(session, plan.id)


def lock_plans(session: Session, plan_id: str = "") -> None:
    """The publishing lock, for the rest of the transaction: publishing a plan and
    accepting an offer (which re-checks against the promises and the plan) take turns.
    PostgreSQL: the advisory lock; SQLite: an update of `plan_id`'s row (none: of no
    row) that changes nothing, which takes the database's write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLISH_LOCK})
    else:
        session.execute(update(PlanVersion).where(PlanVersion.id == plan_id)
                        .values(status=PlanVersion.status)
                        .execution_options(synchronize_session=False))


def basis_of(session: Session, first_day: date, last_day: date
             ) -> tuple[str, PlanVersion | None]:
    """The plan an offer for these days works against: the published one that covers
    exactly them, else their latest draft; ("promises", None) when there is neither."""
    published = session.scalar(select(PlanVersion).where(
        PlanVersion.status == PlanStatus.PUBLISHED.value, PlanVersion.first_day == first_day,
        PlanVersion.last_day == last_day))
    if published is not None:
        return "published", published
    draft = session.scalar(select(PlanVersion).where(
        PlanVersion.status == PlanStatus.DRAFT.value, PlanVersion.first_day == first_day,
        PlanVersion.last_day == last_day).order_by(PlanVersion.created_at.desc()).limit(1))
    return ("draft", draft) if draft is not None else ("promises", None)


def list_plans(session: Session, *, day: date | None, status: str | None, limit: int,
               offset: int) -> tuple[Sequence[PlanVersion], int]:
    query = select(PlanVersion)
    if day is not None:
        query = query.where(PlanVersion.first_day <= day, PlanVersion.last_day >= day)
    if status is not None:
        query = query.where(PlanVersion.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(PlanVersion.created_at.desc(), PlanVersion.id)
                           .limit(limit).offset(offset)).all()
    return rows, total


def published_on(session: Session, day: date) -> str | None:
    """The id of the plan published for `day`, if any."""
    return session.scalar(select(PlanVersion.id).where(
        PlanVersion.status == PlanStatus.PUBLISHED.value, PlanVersion.first_day <= day,
        PlanVersion.last_day >= day))


_DOCUMENTS: dict[tuple[str, int], dict[str, Any]] = {}  # (plan id, redactions) -> document
_DOCUMENTS_KEPT = 32


def redactions_of(session: Session, plan_id: str) -> int:
    """How many times a client's data was erased from the plan: a plan's document changes
    only then, so (id, redactions) names one document (one small query, not the JSON)."""
    redactions = session.scalar(select(PlanVersion.redactions).where(PlanVersion.id == plan_id))
    if redactions is None:
        raise RecordNotFound(f"plans/{plan_id}: no such plan")
    return redactions


def document_of(session: Session, plan_id: str) -> dict[str, Any]:
    """A plan's document, read from the database once per process and erasure: documents
    change only when a client's data is erased (`redactions`, which this process may not
    have done: the command line erases too), and every worker of the day reads the same
    one."""
    key = (plan_id, redactions_of(session, plan_id))
    document = _DOCUMENTS.get(key)
    if document is None:
        document = get_plan(session, plan_id).document
        if len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.clear()
        _DOCUMENTS[key] = document
    return document


def routes_of(document: dict[str, Any], worker_id: str, day: date) -> list[dict[str, Any]]:
    """The routes of `worker_id` that belong to `day` in a plan document (a night shift:
    the day it starts)."""
    return [r for r in document["routes"] if r["worker"] == worker_id
            and document_route_day(r) == day]
