"""What-if sweeps as jobs: `POST /sweeps/jobs` → 202 and `Location`; `GET /sweeps/jobs`
lists them (a planner's own; a coordinator's: everyone's); `GET` of one gives status,
progress (variants done) and the rows so far; `DELETE` stops the variant under way
within seconds and keeps the rows of those done. Rows name no client: planners read
them as they are. The sweep runs on the server's road network, one variant after
another in the job's process (docs/sweeps.md has the fields of a row).

A sweep's cost is known before it runs: at most `time_limit_s` (per variant, within
TRASA_JOB_TIME_LIMIT_S) times its variants (at most TRASA_SWEEP_MAX_VARIANTS), and
that product may not pass TRASA_SWEEP_MAX_SECONDS; a sweep over any cap is refused
(422, naming the field, the value and the cap) before a job exists."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, ApiError, responses
from api.app.job_intake import (
    MAX_TIME_LIMIT_S,
    admitted,
    enqueue,
)
from api.app.job_views import JobPage, JobPublic, job_of, shown_job, stopped
from api.app.privacy import reads_everyones
from api.jobs.run import SWEEP
from api.schemas.rates import RatesIn
from api.schemas.records import PlanningRequest
from api.schemas.scenario import Seed
from api.services.parameters import SWEEP_JOB_TIME_LIMIT_S, Kind, default
from api.services.sweep import Copies, SweepError, SweepIn, TemplateIn, variants
from api.settings import Settings
from api.store import jobs as store
from api.store import tables
from api.store.users import Role

router = APIRouter(prefix="/sweeps/jobs", tags=["sweeps"])
planners = Depends(require(Role.COORDINATOR, Role.PLANNER))
MAX_SOLUTIONS = 2000
SWEEPS_LISTED = 200  # the newest jobs looked through for sweeps
EXAMPLE: dict[str, Any] = {
    "records": {"first_day": "2026-11-24"}, "seed": 0, "max_solutions": 100,
    "time_limit_s": 60,
    "templates": {"physio": {"worker": "physio-cus-1"}},
    "vary": {"physio": [1, 2, 3]}, "rates": {"per_km": 1.2}}


class SweepJobIn(BaseModel):
    """The sweep (as in a sweep file, without `scenario` and `graph`) of stored `records`
    or of a whole `scenario` document."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})
    scenario: dict[str, Any] | None = None
    records: PlanningRequest | None = None
    seed: Seed = default(Kind.SWEEP, "seed")
    max_solutions: int = Field(default=default(Kind.SWEEP, "max_solutions"), gt=0,
                               le=MAX_SOLUTIONS)
    time_limit_s: float = Field(default=SWEEP_JOB_TIME_LIMIT_S, gt=0, le=MAX_TIME_LIMIT_S,
                                description="solver seconds of each variant")
    templates: dict[str, TemplateIn]
    vary: dict[str, list[Copies]] = Field(min_length=1)
    rates: RatesIn = RatesIn()

    @model_validator(mode="after")
    def _one_source(self) -> "SweepJobIn":
        if (self.scenario is None) == (self.records is None):
            raise ValueError("give either scenario or records")
        return self


@router.post("", status_code=202, response_model=JobPublic, dependencies=[planners],
             responses=responses(401, 403, 422, 429, 503, body=True), summary="Start a sweep",
             operation_id="start_sweep")
def start_sweep(body: SweepJobIn, request: Request, response: Response, session: SessionDep,
                settings: Annotated[Settings, Depends(get_settings)],
                user: Annotated[tables.User, planners]) -> JobPublic:
    scenario = admitted(body, session, settings, user)
    spec = SweepIn(scenario="job snapshot", seed=body.seed, max_solutions=body.max_solutions,
                   time_limit_s=body.time_limit_s, templates=body.templates, vary=body.vary,
                   rates=body.rates)
    try:
        grid = variants(spec, scenario)
    except SweepError as exc:
        raise ApiError(422, str(exc)) from None
    refuse_over_caps(len(grid), body.time_limit_s, settings)
    return enqueue(session, request, response, user, {
        "kind": SWEEP, "scenario": scenario.model_dump(mode="json"),
        "sweep": spec.model_dump(mode="json")}, "sweeps/jobs")


def refuse_over_caps(count: int, time_limit_s: float, settings: Settings) -> None:
    """422 for a sweep with more variants than the server runs in one job, or whose
    variants times time limit passes the server's cap of solver time a sweep."""
    if count > settings.sweep_max_variants:
        raise ApiError(422, f"vary: {count} variants; at most {settings.sweep_max_variants} "
                            "a job (TRASA_SWEEP_MAX_VARIANTS)")
    if count * time_limit_s > settings.sweep_max_seconds:
        raise ApiError(422, f"time_limit_s: {time_limit_s:g} s × {count} variants = "
                            f"{count * time_limit_s:g} s is over the server's cap of "
                            f"{settings.sweep_max_seconds:g} s a sweep "
                            "(TRASA_SWEEP_MAX_SECONDS)")


@router.get("", response_model=JobPage, dependencies=[planners],
            responses=responses(401, 403, 422), summary="List sweep jobs",
            operation_id="list_sweeps")
def list_sweeps(session: SessionDep, user: Annotated[tables.User, planners],
                settings: Annotated[Settings, Depends(get_settings)],
                limit: Annotated[int, Query(ge=1, le=100)] = 20,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> JobPage:
    owner = None if reads_everyones(user) else user.username
    rows, _ = store.list_jobs(session, owner, limit=SWEEPS_LISTED, offset=0)
    sweeps = [j for j in rows if j.request.get("kind") == SWEEP]
    return JobPage(items=[shown_job(j, user, session, settings, with_plan=False)
                          for j in sweeps[offset:offset + limit]],
                   total=len(sweeps), limit=limit, offset=offset)


@router.get("/{job_id}", response_model=JobPublic, dependencies=[planners],
            responses=responses(401, 403, 404, 422),
            summary="A sweep's status and rows (in `plan`: format trasa-sweep/1)",
            operation_id="read_sweep")
def read_sweep_job(job_id: str, session: SessionDep,
                   user: Annotated[tables.User, planners],
                   settings: Annotated[Settings, Depends(get_settings)]) -> JobPublic:
    return shown_job(job_of(session, job_id, user, kind=SWEEP, path="sweeps/jobs"), user,
                     session, settings)


@router.delete("/{job_id}", status_code=202, response_model=JobPublic,
               dependencies=[planners], responses=responses(401, 403, 404, 422),
               summary="Stop a sweep (keeps the rows it has)", operation_id="stop_sweep")
def stop_sweep(job_id: str, session: SessionDep,
               user: Annotated[tables.User, planners],
               settings: Annotated[Settings, Depends(get_settings)]) -> JobPublic:
    return stopped(job_of(session, job_id, user, kind=SWEEP, path="sweeps/jobs"), user,
                   session, settings)
