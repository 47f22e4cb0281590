"""Taking a re-planning job in: a plan version and its events (`POST /plans/{id}/events`;
a request cancelled or moved by phone, `api.app.routers.promises` and `offers`): the
events checked against the plan's scenario at once (422 naming the event), then the job
queued (202). The plan must have a job (its scenario snapshot)."""

from typing import Any

import numpy as np
from fastapi import Request, Response

from api.app.errors import ApiError
from api.app.job_intake import enqueue, refuse_over_limit, refuse_when_full
from api.app.job_views import JobPublic
from api.convert.events import EventsIn
from api.convert.plan_document import PlanDocumentError
from api.convert.scenario import ScenarioError, parse_scenario, to_problem
from api.jobs.run import REPLAN
from api.services.parameters import params_json
from api.services.replanning import check_events_of
from api.settings import Settings
from api.store import tables
from optimiser.model import TravelMatrix
from optimiser.params import SolveParams
from optimiser.replan import ReplanError


def start_replan(session: Any, request: Request, response: Response, user: tables.User,
                 plan: tables.PlanVersion, events: dict[str, Any], solve: SolveParams,
                 settings: Settings) -> JobPublic:
    """A re-planning job of `plan` after `events` (the events file's JSON), queued."""
    job = session.get(tables.Job, plan.job_id) if plan.job_id else None
    if job is None:
        raise ApiError(409, f"plans/{plan.id}: the plan has no job, so no scenario to "
                            "re-plan with")
    refuse_over_limit(solve.time_limit_s, settings)
    refuse_when_full(session, settings)
    snapshot = job.request["scenario"]
    scenario = parse_scenario(snapshot, source="the plan's scenario")
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    try:  # what can be refused without the road network, at once
        check_events_of(scenario, to_problem(scenario, TravelMatrix(zero, zero)),
                        plan.document, EventsIn.model_validate(events))
    except (ReplanError, ScenarioError) as exc:
        raise ApiError(422, str(exc)) from None
    except PlanDocumentError as exc:
        raise ApiError(409, f"plans/{plan.id}: its document does not read back: {exc}") from None
    return enqueue(session, request, response, user, {
        "kind": REPLAN, "scenario": snapshot, "plan_id": plan.id, "document": plan.document,
        "events": events, "params": params_json(solve)}, "plans/jobs")
