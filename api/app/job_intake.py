"""Taking a job in, for every kind of job (planning, re-planning, sweeps): the scenario a
body names (refused with 422 before any job exists when it is wrong input), the server's
limits (time, queue: 429 with Retry-After) and the job row committed before the 202
leaves."""

from pathlib import Path
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from api.app.caps import refuse_too_many_tasks, tasks_in, tasks_in_document
from api.app.errors import ApiError, FieldError
from api.app.job_views import JobPublic, job_public
from api.app.privacy import for_reader, is_planner
from api.convert.records_scenario import scenario_from_records
from api.convert.scenario import InputRefused, ScenarioError, parse_scenario
from api.schemas.records import RecordsError
from api.schemas.scenario import ScenarioIn
from api.services.familiar import familiar_workers
from api.services.planning import refuse_wrong_input
from api.settings import Settings
from api.store import jobs as store
from api.store import packings, records, tables
from geo.graph import GraphLoadError

RETRY_AFTER_S = 30
MAX_TIME_LIMIT_S = 24 * 3600  # what any body may ask; the server's own limit is checked after


def planners_scenario_of(body: Any, session: Any, settings: Settings,
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


def scenario_of(body: Any, session: Any, settings: Settings) -> ScenarioIn:
    """The scenario a job body names, refused (422) before any job exists when it is wrong
    input (`api.services.planning.refuse_wrong_input`: a skill no worker has, more passengers than
    any vehicle carries, a home far from every road of the server's network...)."""
    scenario = _scenario_of(body, session, settings)
    try:
        refuse_wrong_input(scenario, base_dir=Path.cwd(), graph=settings.graph)
    except GraphLoadError as exc:
        raise ApiError(503, f"the server's road network cannot be loaded: {exc}") from None
    return scenario


def _scenario_of(body: Any, session: Any, settings: Settings) -> ScenarioIn:
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
                network={"fallback_grid": settings.graph is None},
                familiar=familiar_workers(session, body.records.first_day)
                if body.records.goals.familiar else None)
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


def admitted(body: Any, session: Any, settings: Settings, user: tables.User) -> ScenarioIn:
    """The scenario of a job that may start (a plan or a sweep): within the server's time
    limit (422), with room in the queue (429), as `planners_scenario_of` reads it."""
    refuse_over_limit(body.time_limit_s, settings)
    refuse_when_full(session, settings)
    return planners_scenario_of(body, session, settings, user)


def packing_of(body: Any, session: Any) -> dict[str, Any] | None:
    """The stored packing of the promises of the days a records plan picks (None for a
    scenario, or when there is none): the job falls back on it should its search leave
    a promise out (`api.services.planning.plan_prepared`)."""
    if body.records is None:
        return None
    row = packings.packing(session, body.records.first_day, body.records.days)
    return None if row is None else row.document


def refuse_over_limit(time_limit_s: float, settings: Settings) -> None:
    """422 for a job asking more time than the server gives one."""
    if time_limit_s > settings.job_time_limit_s:
        raise ApiError(422, f"time_limit_s: {time_limit_s} is over the server's limit "
                            f"of {settings.job_time_limit_s} s")


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
