"""Planning jobs: `POST /plans/jobs` (202 + `Location`), `GET` status, progress and plan,
`DELETE` to stop (the best plan found so far is kept).

A job plans either a whole scenario document (stateless use, as `trasa plan` does) or
days of the stored records (`records`). Either way the job row keeps a snapshot of
the scenario, written before the 202 leaves.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from api.app.caps import refuse_too_many_tasks, tasks_in, tasks_in_document
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, ApiError, FieldError, responses
from api.app.privacy import audited, client_values, for_reader, is_planner
from api.app.schemas import UtcDatetime
from api.formats.resources import PlanningRequest, RecordsError, scenario_from_records
from api.formats.scenario import InputRefused, ScenarioError, parse_scenario
from api.formats.scenario_schema import MAX_SOLUTIONS, ScenarioIn, Seed
from api.jobs import REPLAN, job_request
from api.service import refuse_wrong_input
from api.services.parameters import MAX_SEARCHES, Kind, default, solve_params
from api.settings import Settings
from api.store import jobs as store
from api.store import records, tables
from api.store.users import Role
from geo.graph import GraphLoadError

router = APIRouter(prefix="/plans/jobs", tags=["planning jobs"])
RETRY_AFTER_S = 30
MAX_TIME_LIMIT_S = 24 * 3600  # what any body may ask; the server's own limit is checked after
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


def planners_scenario_of(body: "JobIn | Any", session: Any, settings: Settings,
                         user: tables.User) -> ScenarioIn:
    """`scenario_of`, its refusals in the planner's view for a planner: a refusal of
    stored records may quote a client's home or name."""
    try:
        return scenario_of(body, session, settings)
    except (ApiError, ScenarioError) as exc:
        if not is_planner(user) or body.records is None:
            raise
        refusals = exc.refusals if isinstance(exc, InputRefused) else ()
        errors = (exc.errors or []) if isinstance(exc, ApiError) else [
            FieldError(field=r.field, value=r.value, message=r.message) for r in refusals]
        seen = for_reader({"detail": exc.detail if isinstance(exc, ApiError) else str(exc),
                           "errors": [e.model_dump() for e in errors]},
                          user, session, settings)
        status = exc.status if isinstance(exc, ApiError) else 422
        raise ApiError(status, seen["detail"], errors=[FieldError(**e) for e in seen["errors"]],
                       headers=exc.headers if isinstance(exc, ApiError) else None) from None


def scenario_of(body: "JobIn | Any", session: Any, settings: Settings) -> ScenarioIn:
    """The scenario a job body names, refused (422) before any job exists when it is wrong
    input (`api.service.refuse_wrong_input`: a skill no worker has, more passengers than
    any vehicle carries, a home far from every road of the server's network...)."""
    scenario = _scenario_of(body, session, settings)
    try:
        refuse_wrong_input(scenario, base_dir=Path.cwd(), graph=settings.graph)
    except GraphLoadError as exc:
        raise ApiError(503, f"the server's road network cannot be loaded: {exc}") from None
    return scenario


def _scenario_of(body: "JobIn | Any", session: Any, settings: Settings) -> ScenarioIn:
    """The scenario a job body names: built from the stored `records` it picks, or its
    whole `scenario` document (which may not name a road network file)."""
    if body.records is not None:
        kinds = records.KINDS
        try:
            scenario = scenario_from_records(
                body.records,
                providers=records.all_resources(session, kinds["providers"]),
                clients=records.all_resources(session, kinds["clients"]),
                vehicles=records.all_resources(session, kinds["vehicles"]),
                workers=records.all_resources(session, kinds["workers"]),
                tasks=records.all_resources(session, kinds["tasks"]),
                trips=records.all_resources(session, kinds["trips"]),
                network={"fallback_grid": settings.graph is None})
        except ValidationError as exc:
            raise RecordsError("the stored records do not make a valid scenario: " + "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )) from None
        refuse_too_many_tasks(tasks_in(scenario), settings, "body.records")
        return scenario
    refuse_too_many_tasks(tasks_in_document(body.scenario), settings, "body.scenario.tasks")
    scenario = parse_scenario(body.scenario, source="scenario")
    if scenario.network.source is not None:
        raise ApiError(422, "scenario.network.source: a job plans on the server's road "
                            "network (TRASA_GRAPH); leave the source out")
    if settings.graph is None and not scenario.network.fallback_grid:
        raise ApiError(422, "scenario.network.fallback_grid: the server has no road network "
                            "(TRASA_GRAPH is not set); allow the synthetic grid to plan")
    return scenario


def refuse_over_limit(time_limit_s: float, settings: Settings) -> None:
    """422 for a job asking more time than the server gives one."""
    if time_limit_s > settings.job_time_limit_s:
        raise ApiError(422, f"time_limit_s: {time_limit_s} is over the server's limit "
                            f"of {settings.job_time_limit_s} s")


@router.post("", status_code=202, response_model=JobPublic, dependencies=[planners],
             responses=responses(401, 403, 422, 429, 503, body=True),
             summary="Start a planning job",
             operation_id="start_job")
def start_job(body: JobIn, request: Request, response: Response, session: SessionDep,
              settings: Annotated[Settings, Depends(get_settings)],
              user: Annotated[tables.User, planners]) -> JobPublic:
    refuse_over_limit(body.time_limit_s, settings)
    refuse_when_full(session, settings)
    scenario = planners_scenario_of(body, session, settings, user)
    params = solve_params(Kind.PLAN, time_limit_s=body.time_limit_s, seed=body.seed,
                          max_solutions=body.max_solutions,
                          stall_solutions=body.stall_solutions, searches=body.searches,
                          server_seed=settings.job_seed,
                          server_max_solutions=settings.job_max_solutions)
    return enqueue(session, request, response, user,
                   job_request(scenario.model_dump(mode="json"), params), "plans/jobs")


def refuse_when_full(session: Any, settings: Settings) -> None:
    """429 with Retry-After when the queue is full."""
    if store.queued_count(session) >= settings.job_queue:
        raise ApiError(429, f"{settings.job_queue} jobs are already waiting; try again "
                            "later", headers={"Retry-After": str(RETRY_AFTER_S)})


def enqueue(session: Any, request: Request, response: Response, user: tables.User,
            what: dict[str, Any], path: str) -> JobPublic:
    """A job row for `what` (its request), committed before the 202 leaves, the runner woken."""
    job = store.add_job(session, user.username, what)
    session.commit()
    request.app.state.runner.wake()
    response.headers["Location"] = f"/{path}/{job.id}"
    return job_public(job)


def job_of(session: Any, job_id: str, user: tables.User, *, kind: str | None = None,
           path: str = "plans/jobs") -> tables.Job:
    """The job `job_id` of `user` (coordinators: anyone's) of `kind` (None: planning,
    re-planning included)."""
    job = session.get(tables.Job, job_id)
    kinds = (None, REPLAN) if kind is None else (kind,)
    if job is None or (user.role != Role.COORDINATOR and job.owner != user.username) \
            or job.request.get("kind") not in kinds:
        raise ApiError(404, f"{path}/{job_id}: no such job of yours")
    return job


@router.get("", response_model=JobPage, dependencies=[planners],
            responses=responses(401, 403, 422), summary="List planning jobs",
            operation_id="list_jobs")
def list_jobs(session: SessionDep, user: Annotated[tables.User, planners],
              settings: Annotated[Settings, Depends(get_settings)],
              limit: Annotated[int, Query(ge=1, le=100)] = 20,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> JobPage:
    owner = None if user.role == Role.COORDINATOR else user.username
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
    job = job_of(session, job_id, user)
    store.request_cancel(session, job)
    session.commit()
    return shown_job(job, user, session, settings)

