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

import numpy as np
from fastapi import APIRouter, Depends, Request, Response
from pydantic import ConfigDict, Field

from api.app.caps import refuse_over_cap
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.job_intake import enqueue, refuse_over_limit, refuse_when_full
from api.app.job_views import JobPublic
from api.convert.events import EventsIn
from api.convert.plan_document import PlanDocumentError
from api.convert.scenario import ScenarioError, parse_scenario, to_problem
from api.jobs.run import REPLAN
from api.services.parameters import Kind, default, params_json, solve_params
from api.services.replanning import check_events_of
from api.settings import Settings
from api.store import plans as store
from api.store import tables
from api.store.users import Role
from optimiser.model import TravelMatrix
from optimiser.replan import ReplanError

router = APIRouter(tags=["re-planning"])
coordinators = Depends(require(Role.COORDINATOR))
EXAMPLE: dict[str, Any] = {"now": "10:05", "events": [
    {"kind": "worker_unavailable", "worker": "physio-cus-1", "from": "11:00"},
    {"kind": "late", "task": "physio-03", "minutes": 40}]}


class EventsBody(EventsIn):
    """The events (docs/replanning.md) and the search budget: a solution count, and at
    most `time_limit_s` (default 4 s, as `trasa replan`; at most the server's limit for
    jobs). The search is the re-planning one of every path (`api.services.parameters`)."""

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
    job = session.get(tables.Job, plan.job_id) if plan.job_id else None
    if job is None:
        raise ApiError(409, f"plans/{plan_id}: the plan has no job, so no scenario to "
                            "re-plan with")
    solve = solve_params(Kind.REPLAN, time_limit_s=body.time_limit_s,
                         max_solutions=body.max_solutions)
    refuse_over_limit(solve.time_limit_s, settings)
    refuse_when_full(session, settings)
    snapshot = job.request["scenario"]
    events = body.model_dump(mode="json", by_alias=True, exclude={"max_solutions", "time_limit_s"},
                             exclude_none=True)
    scenario = parse_scenario(snapshot, source="the plan's scenario")
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    try:  # what can be refused without the road network, at once
        check_events_of(scenario, to_problem(scenario, TravelMatrix(zero, zero)),
                        plan.document, EventsIn.model_validate(events))
    except (ReplanError, ScenarioError) as exc:
        raise ApiError(422, str(exc)) from None
    except PlanDocumentError as exc:
        raise ApiError(409, f"plans/{plan_id}: its document does not read back: {exc}") from None
    return enqueue(session, request, response, user, {
        "kind": REPLAN, "scenario": snapshot, "plan_id": plan_id, "document": plan.document,
        "events": events, "params": params_json(solve)}, "plans/jobs")
