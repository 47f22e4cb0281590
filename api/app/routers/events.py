"""The day changes: `POST /plans/{plan_id}/events` re-plans a plan version after events
(a new or cancelled request, a worker or bus off, reported stop times) as a job.

The answer is a planning job (202, `Location: /plans/jobs/{id}`): its plan is the new
version's document, with `replanning.changes` (per worker: added, removed with the
reason, re-timed) and `replanning.changed_workers`; `POST /plans` keeps it as a draft to
publish, like any plan. Events that cannot apply (an unknown id, a report after now, a
cancelled request already begun) are refused at once with 422 naming the event.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ConfigDict, Field

from api.app.caps import refuse_over_cap
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.job_views import JobPublic
from api.app.replan_intake import start_replan
from api.convert.events import EventsIn
from api.services.parameters import Kind, default, solve_params
from api.settings import Settings
from api.store import plans as store
from api.store import tables
from api.store.users import Role

router = APIRouter(tags=["re-planning"])
coordinators = Depends(require(Role.COORDINATOR))
EXAMPLE: dict[str, Any] = {"now": "10:05", "events": [
    {"kind": "worker_unavailable", "worker": "physio-cus-1", "from": "11:00"},
    {"kind": "late", "task": "physio-03", "minutes": 40}]}


class EventsBody(EventsIn):
    """The events (docs/replanning.md) and the search budget: a solution count, and at
    most `time_limit_s` (default: the server's TRASA_REPLAN_TIME_LIMIT_S, 4 s as `trasa
    replan`; at most the server's limit for jobs). The search is the re-planning one of
    every path (`api.services.parameters`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              json_schema_extra={"examples": [EXAMPLE]})
    max_solutions: int = Field(default=default(Kind.REPLAN, "max_solutions"), gt=0, le=5000)
    time_limit_s: float | None = Field(default=None, gt=0)


@router.post("/plans/{plan_id}/events", status_code=202, response_model=JobPublic,
             dependencies=[coordinators], responses=responses(401, 403, 404, 409, 422, 429,
                                                              body=True),
             summary="Re-plan a plan version after events (a job)",
             operation_id="replan_plan")
def post_events(plan_id: str, body: EventsBody, request: Request, response: Response,
                session: SessionDep, settings: Annotated[Settings, Depends(get_settings)],
                user: Annotated[tables.User, coordinators]) -> JobPublic:
    if body.scenario is not None:
        raise ApiError(422, "body.scenario: the plan's own scenario is used; leave it out")
    refuse_over_cap("body.events", len(body.events), settings.max_events, "events",
                    "TRASA_MAX_EVENTS")
    plan = store.get_plan(session, plan_id)
    solve = solve_params(Kind.REPLAN, time_limit_s=body.time_limit_s,
                         max_solutions=body.max_solutions,
                         server_time_limit_s=settings.replan_time_limit_s)
    events = body.model_dump(mode="json", by_alias=True, exclude={"max_solutions", "time_limit_s"},
                             exclude_none=True)
    return start_replan(session, request, response, user, plan, events, solve, settings)
