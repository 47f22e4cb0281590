"""A job as the API shows it (planning, re-planning and sweep jobs alike): its public
shape, a page of them, and a job found for its reader (coordinators see everyone's,
others their own), in the planner's view for a planner."""
# No `from __future__ import annotations`: FastAPI reads the models' annotations.

from typing import Any

from pydantic import BaseModel, Field

from api.app.errors import ApiError
from api.app.privacy import audited, client_values, for_reader, is_planner, reads_everyones
from api.jobs.run import REPLAN
from api.schemas.responses import UtcDatetime
from api.settings import Settings
from api.store import jobs as store
from api.store import tables


class JobPublic(BaseModel):
    id: str
    status: str
    created_at: UtcDatetime | None
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    attempts: int
    cancel_requested: bool
    progress: dict[str, Any] | None
    error: str | None
    plan: dict[str, Any] | None = Field(
        description="the plan document (docs/plan.md) when the job is done or cancelled")


class JobPage(BaseModel):
    items: list[JobPublic]
    total: int
    limit: int
    offset: int


def job_public(job: tables.Job, *, with_plan: bool = True) -> JobPublic:
    return JobPublic(id=job.id, status=job.status, created_at=job.created_at,
                     started_at=job.started_at, finished_at=job.finished_at,
                     attempts=job.attempts, cancel_requested=job.cancel_requested,
                     progress=job.progress, error=job.error,
                     plan=job.plan if with_plan else None)


def shown_job(job: tables.Job, user: tables.User, session: Any, settings: Settings, *,
              with_plan: bool = True) -> JobPublic:
    """A job as `user` may see it: a planner's view of its plan and error; a
    coordinator's read of the plan's clients audited."""
    public = job_public(job, with_plan=with_plan)
    if not is_planner(user):
        audited(session, user, client_values(public.plan))
        return public
    seen = for_reader({"plan": public.plan, "error": public.error}, user, session, settings,
                      scenario=job.request.get("scenario") if with_plan else None)
    return public.model_copy(update=seen)


def job_of(session: Any, job_id: str, user: tables.User, *, kind: str | None = None,
           path: str = "plans/jobs") -> tables.Job:
    """The job `job_id` of `user` (coordinators: anyone's) of `kind` (None: planning,
    re-planning included)."""
    job = session.get(tables.Job, job_id)
    kinds = (None, REPLAN) if kind is None else (kind,)
    if job is None or (not reads_everyones(user) and job.owner != user.username) \
            or job.request.get("kind") not in kinds:
        raise ApiError(404, f"{path}/{job_id}: no such job of yours")
    return job


def stopped(job: tables.Job, user: tables.User, session: Any, settings: Settings) -> JobPublic:
    """Ask `job` (a plan or a sweep) to stop, committed: it keeps the best plan or the rows
    it has; as `user` sees it."""
    store.request_cancel(session, job)
    session.commit()
    return shown_job(job, user, session, settings)
