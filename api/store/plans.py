"""Plan versions: a draft from a job's checked plan, published (immutable), superseded.

Publishing a plan supersedes every published plan whose days overlap it, so each day
has at most one published plan: the one workers read."""

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


_DOCUMENTS: dict[str, dict[str, Any]] = {}  # plan id -> document (documents never change)
_DOCUMENTS_KEPT = 32


def document_of(session: Session, plan_id: str) -> dict[str, Any]:
    """A plan's document, read from the database once per process: documents never change
    (a new plan is a new version), and every worker of the day reads the same one."""
    document = _DOCUMENTS.get(plan_id)
    if document is None:
        document = get_plan(session, plan_id).document
        if len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.clear()
        _DOCUMENTS[plan_id] = document
    return document


def routes_of(document: dict[str, Any], worker_id: str, day: date) -> list[dict[str, Any]]:
    """The routes of `worker_id` that start on `day` in a plan document."""
    return [r for r in document["routes"] if r["worker"] == worker_id
            and date.fromisoformat(r["start"][:10]) == day]
