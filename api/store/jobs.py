"""Planning jobs in the database: the queue, the claim of a run, its progress and result.

A job is a row before its 202 leaves. A run claims a queued job with a fresh token;
every write of the run (progress, result) names the token, so a run that lost its
claim (the server was killed and the job given to a new run) changes nothing, and
the new run is the only one whose result counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.store.tables import Job


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


def _now() -> datetime:
    return datetime.now(UTC)


def add_job(session: Session, owner: str, request: dict[str, Any]) -> Job:
    job = Job(id=str(uuid.uuid4()), status=JobStatus.QUEUED.value, owner=owner,
              request=request, attempts=0, cancel_requested=False)
    session.add(job)
    session.flush()
    return job


def queued_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Job).where(
        Job.status == JobStatus.QUEUED.value)) or 0


def running_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Job).where(
        Job.status == JobStatus.RUNNING.value)) or 0


def list_jobs(session: Session, owner: str | None, *, limit: int, offset: int
              ) -> tuple[Sequence[Job], int]:
    query = select(Job)
    if owner is not None:
        query = query.where(Job.owner == owner)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Job.created_at.desc(), Job.id)
                           .limit(limit).offset(offset)).all()
    return rows, total


def requeue_interrupted(session: Session) -> int:
    """Jobs a stopped server left running go back to the queue (their old runs lose
    their claim). Called once when the server starts."""
    result = session.execute(update(Job).where(Job.status == JobStatus.RUNNING.value)
                             .values(status=JobStatus.QUEUED.value, run_token=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def claim_next(session: Session) -> tuple[str, str] | None:
    """The oldest queued job, claimed for a new run: (job id, run token)."""
    job = session.scalar(select(Job).where(Job.status == JobStatus.QUEUED.value)
                         .order_by(Job.created_at, Job.id).limit(1)
                         .with_for_update(skip_locked=True))
    if job is None:
        return None
    token = str(uuid.uuid4())
    job.status, job.run_token, job.started_at = JobStatus.RUNNING.value, token, _now()
    job.attempts += 1
    session.flush()
    return job.id, token


def request_cancel(session: Session, job: Job) -> None:
    """A queued job is cancelled at once; a running one is asked to stop (its run then
    keeps the best plan found so far)."""
    if job.status == JobStatus.QUEUED.value:
        job.status, job.finished_at = JobStatus.CANCELLED.value, _now()
    elif job.status == JobStatus.RUNNING.value:
        job.cancel_requested = True
    session.flush()


def still_claimed(session: Session, job_id: str, token: str) -> tuple[bool, bool]:
    """(the run still holds its claim, a cancel was asked for)."""
    row = session.execute(select(Job.run_token, Job.cancel_requested)
                          .where(Job.id == job_id)).first()
    if row is None:
        return False, False
    return row[0] == token, bool(row[1])


def record_progress(session: Session, job_id: str, token: str, progress: dict[str, Any]
                    ) -> bool:
    result = session.execute(update(Job).where(Job.id == job_id, Job.run_token == token)
                             .values(progress=progress))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(session: Session, job_id: str, token: str, status: JobStatus, *,
           plan: dict[str, Any] | None = None, error: str | None = None) -> bool:
    """The run's result; False (nothing written) if the run lost its claim."""
    result = session.execute(
        update(Job).where(Job.id == job_id, Job.run_token == token,
                          Job.status == JobStatus.RUNNING.value)
        .values(status=status.value, plan=plan, error=error, finished_at=_now()))
    return bool(result.rowcount)  # type: ignore[attr-defined]
