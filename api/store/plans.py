"""Plan versions: a draft from a job's checked plan, published (immutable), superseded.

Publishing a plan supersedes every published plan whose days overlap it, so each day
has at most one published plan: the one workers read. The one change a kept plan sees
is the erasure of a client's personal data (`redactions` counts them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.store.records import RecordError, RecordNotFound
from api.store.tables import Job, PlanVersion


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class PlanConflict(RecordError):
    pass


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
    plan = PlanVersion(id=str(uuid.uuid4()), first_day=first,
                       last_day=first + timedelta(days=int(job.plan["days"]) - 1),
                       status=PlanStatus.DRAFT.value, job_id=job.id, document=job.plan,
                       created_by=username)
    session.add(plan)
    session.flush()
    return plan


def get_plan(session: Session, plan_id: str) -> PlanVersion:
    plan = session.get(PlanVersion, plan_id)
    if plan is None:
        raise RecordNotFound(f"plans/{plan_id}: no such plan")
    return plan


def publish(session: Session, plan: PlanVersion, username: str) -> list[str]:
    """Publish `plan`; the ids of the plans it superseded."""
    if plan.status != PlanStatus.DRAFT.value:
        raise PlanConflict(f"plans/{plan.id}: is {plan.status}; only a draft can be published")
    older = session.scalars(select(PlanVersion).where(
        PlanVersion.status == PlanStatus.PUBLISHED.value,
        PlanVersion.first_day <= plan.last_day, PlanVersion.last_day >= plan.first_day)
        .with_for_update()).all()
    for old in older:
        old.status, old.superseded_by = PlanStatus.SUPERSEDED.value, plan.id
    plan.status, plan.published_by = PlanStatus.PUBLISHED.value, username
    plan.published_at = datetime.now(UTC)
    session.flush()
    return [old.id for old in older]


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
    """The routes of `worker_id` that start on `day` in a plan document."""
    return [r for r in document["routes"] if r["worker"] == worker_id
            and date.fromisoformat(r["start"][:10]) == day]
