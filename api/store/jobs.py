"""Planning jobs in the database: the queue, the claim of a run, its progress and result.

A job is a row before its 202 leaves. A run claims a queued job with a fresh token;
every write of the run (progress, result) names the token, so a run that lost its
claim (the server was killed and the job given to a new run) changes nothing, and
the new run is the only one whose result counts.

The queue is fair (`claim_next`): planning jobs go before sweeps, and among jobs of one
kind the owner with the fewest jobs running goes first, then the oldest job. A sweep
may also give its process back to a waiting plan (`give_back`): it goes back to the
queue with the rows it has (kept in its `plan` as it runs) and resumes after them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, aliased

from api.store.tables import Job


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)
SWEEP_KIND = "sweep"  # `request["kind"]` of a sweep job (`api.jobs.run.SWEEP`)
SWEEP_FORMAT = "trasa-sweep/1"  # a sweep job's `plan`: its rows


def _is_sweep(job: type[Job] | Any) -> Any:
    """1 for a sweep job, 0 for any other (SQL: the request's `kind`)."""
    return case((job.request["kind"].as_string() == SWEEP_KIND, 1), else_=0)


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


def claim_next(session: Session) -> tuple[str, str, bool] | None:
    """The next queued job, claimed for a new run: (job id, run token, is a sweep).

    Next is: a planning job before a sweep (a plan is what a coordinator waits for; a
    sweep is a study that may take an hour), then the job of the owner with the fewest
    jobs running (one user's many jobs cannot hold every process while another's
    waits), then the oldest."""
    other = aliased(Job)
    owner_running = (select(func.count()).select_from(other)
                     .where(other.owner == Job.owner,
                            other.status == JobStatus.RUNNING.value)
                     .scalar_subquery())
    job = session.scalar(select(Job).where(Job.status == JobStatus.QUEUED.value)
                         .order_by(_is_sweep(Job), owner_running, Job.created_at, Job.id)
                         .limit(1).with_for_update(skip_locked=True))
    if job is None:
        return None
    token = str(uuid.uuid4())
    job.status, job.run_token, job.started_at = JobStatus.RUNNING.value, token, _now()
    job.attempts += 1
    session.flush()
    return job.id, token, job.request.get("kind") == SWEEP_KIND


def plans_waiting(session: Session) -> int:
    """Queued jobs that are not sweeps."""
    return session.scalar(select(func.count()).select_from(Job).where(
        Job.status == JobStatus.QUEUED.value, _is_sweep(Job) == 0)) or 0


def give_back(session: Session, job_id: str, token: str) -> bool:
    """A running sweep back to the queue (a plan waits for its process): its run loses
    the claim, stops within seconds and writes nothing more; the rows it wrote stay, and
    the next run goes on after them. False if the run had already ended."""
    result = session.execute(update(Job).where(Job.id == job_id, Job.run_token == token,
                                               Job.status == JobStatus.RUNNING.value)
                             .values(status=JobStatus.QUEUED.value, run_token=None))
    return bool(result.rowcount)  # type: ignore[attr-defined]


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


def record_progress(session: Session, job_id: str, token: str, progress: dict[str, Any],
                    *, partial: dict[str, Any] | None = None) -> bool:
    """The run's progress (and, for a sweep, the rows so far as `partial`: its `plan`)."""
    values: dict[str, Any] = {"progress": progress}
    if partial is not None:
        values["plan"] = partial
    result = session.execute(update(Job).where(Job.id == job_id, Job.run_token == token)
                             .values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(session: Session, job_id: str, token: str, status: JobStatus, *,
           plan: dict[str, Any] | None = None, error: str | None = None,
           reading: dict[str, Any] | None = None) -> bool:
    """The run's result (with `reading`: what the plan's outputs need from the road
    graph); False (nothing written) if the run lost its claim."""
    result = session.execute(
        update(Job).where(Job.id == job_id, Job.run_token == token,
                          Job.status == JobStatus.RUNNING.value)
        .values(status=status.value, plan=plan, error=error, finished_at=_now(),
                reading=reading))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def stops_asked(session: Session, runs: dict[str, str]) -> set[str]:
    """Of the runs `runs` (job id -> run token), the jobs whose run is asked to stop: a
    cancel was asked for, or the run lost its claim (given back, or given to another run)."""
    if not runs:
        return set()
    rows = session.execute(select(Job.id, Job.run_token, Job.cancel_requested, Job.status)
                           .where(Job.id.in_(list(runs)))).all()
    return {job_id for job_id, token, cancel, status in rows
            if token != runs[job_id] or (cancel and status == JobStatus.RUNNING.value)}


def finish_stopped(session: Session, job_id: str, token: str, *, note: str) -> bool:
    """The end of a cancelled run the server had to kill: cancelled, with what the run
    wrote so far (a sweep's rows) or, for a plan, no plan and `note` as its error."""
    job = session.get(Job, job_id)
    if job is None or job.run_token != token or job.status != JobStatus.RUNNING.value:
        return False
    sweep = job.request.get("kind") == SWEEP_KIND
    rows = job.plan or {"format": SWEEP_FORMAT, "rows": [], "flags": []}
    return finish(session, job_id, token, JobStatus.CANCELLED,
                  plan=rows if sweep else None, error=None if sweep else note)
