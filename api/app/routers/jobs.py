"""Planning jobs: `POST /plans/jobs` (202 + `Location`), `GET` status, progress and plan,
`DELETE` to stop (the best plan found so far is kept).

A job plans either a whole scenario document (stateless use, as `trasa plan` does) or
days of the stored records (`records`). Either way the job row keeps a snapshot of
the scenario, written before the 202 leaves.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, responses
from api.app.job_intake import (
    MAX_TIME_LIMIT_S,
    admitted,
    enqueue,
    packing_of,
)
from api.app.job_views import JobPage, JobPublic, job_of, shown_job, stopped
from api.app.privacy import reads_everyones
from api.jobs.runner import job_request
from api.schemas.records import PlanningRequest
from api.schemas.scenario import MAX_SOLUTIONS, Seed
from api.services.parameters import MAX_SEARCHES, Kind, default, solve_params
from api.settings import Settings
from api.store import jobs as store
from api.store import tables
from api.store.users import Role

router = APIRouter(prefix="/plans/jobs", tags=["planning jobs"])
planners = Depends(require(Role.COORDINATOR, Role.PLANNER))

EXAMPLE: dict[str, Any] = {"records": {"first_day": "2026-11-24", "days": 1},
                           "time_limit_s": 10, "seed": 0}


class JobIn(BaseModel):
    """Give `scenario` (a whole scenario document, see docs/scenario.md) or `records`.
    `max_solutions` and `seed` left out (or null) are the server's (TRASA_JOB_MAX_SOLUTIONS,
    TRASA_JOB_SEED); the rest as `trasa plan` has them (`api.services.parameters`)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})
    scenario: dict[str, Any] | None = None
    records: PlanningRequest | None = None
    time_limit_s: float = Field(default=default(Kind.PLAN, "time_limit_s"), gt=0,
                                le=MAX_TIME_LIMIT_S)
    max_solutions: int | None = Field(default=None, gt=0, le=MAX_SOLUTIONS)
    stall_solutions: int | None = Field(default=default(Kind.PLAN, "stall_solutions"), gt=0,
                                        le=MAX_SOLUTIONS)
    seed: Seed | None = None
    searches: int = Field(default=default(Kind.PLAN, "searches"), ge=1, le=MAX_SEARCHES)

    @model_validator(mode="after")
    def _one_source(self) -> "JobIn":
        if (self.scenario is None) == (self.records is None):
            raise ValueError("give either scenario or records")
        return self


@router.post("", status_code=202, response_model=JobPublic, dependencies=[planners],
             responses=responses(401, 403, 422, 429, 503, body=True),
             summary="Start a planning job",
             operation_id="start_job")
def start_job(body: JobIn, request: Request, response: Response, session: SessionDep,
              settings: Annotated[Settings, Depends(get_settings)],
              user: Annotated[tables.User, planners]) -> JobPublic:
    scenario = admitted(body, session, settings, user)
    params = solve_params(Kind.PLAN, time_limit_s=body.time_limit_s, seed=body.seed,
                          max_solutions=body.max_solutions,
                          stall_solutions=body.stall_solutions, searches=body.searches,
                          server_seed=settings.job_seed,
                          server_max_solutions=settings.job_max_solutions)
    return enqueue(session, request, response, user,
                   job_request(scenario.model_dump(mode="json"), params,
                               packing_of(body, session)), "plans/jobs")


@router.get("", response_model=JobPage, dependencies=[planners],
            responses=responses(401, 403, 422), summary="List planning jobs",
            operation_id="list_jobs")
def list_jobs(session: SessionDep, user: Annotated[tables.User, planners],
              settings: Annotated[Settings, Depends(get_settings)],
              limit: Annotated[int, Query(ge=1, le=100)] = 20,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> JobPage:
    owner = None if reads_everyones(user) else user.username
    rows, total = store.list_jobs(session, owner, limit=limit, offset=offset)
    return JobPage(items=[shown_job(j, user, session, settings, with_plan=False)
                          for j in rows], total=total,
                   limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobPublic, dependencies=[planners],
            responses=responses(401, 403, 404, 422), summary="A job's status and plan",
            operation_id="read_job")
def read_job(job_id: str, session: SessionDep, user: Annotated[tables.User, planners],
             settings: Annotated[Settings, Depends(get_settings)]) -> JobPublic:
    return shown_job(job_of(session, job_id, user), user, session, settings)


@router.delete("/{job_id}", status_code=202, response_model=JobPublic,
               dependencies=[planners], responses=responses(401, 403, 404, 422),
               summary="Stop a job (keeps the best plan found)", operation_id="stop_job")
def stop_job(job_id: str, session: SessionDep,
             user: Annotated[tables.User, planners],
             settings: Annotated[Settings, Depends(get_settings)]) -> JobPublic:
    return stopped(job_of(session, job_id, user), user, session, settings)

