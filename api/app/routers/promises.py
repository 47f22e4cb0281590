"""Promises on stored tasks and trips, changed only on purpose, and requests cancelled
by phone (docs/offers.md). Coordinators only; each needs `If-Match` with the record's
ETag, as any write of a record, and each is audited with its reason.

- `PUT /tasks/{id}/promise` (and `/trips/...`): move the promise to `start`-`end` (on
  `day`, default the task's), re-checked against every other promise and the plan as
  an accepted offer is (409 when it cannot be kept);
- `DELETE /tasks/{id}/promise?reason=`: withdraw it (the task stays, open);
- `POST /tasks/{id}/cancel` (`reason`): the request is cancelled, its promise withdrawn
  (a trip's return too); when a published plan holds it, a re-plan job starts with a
  `cancelled` event (202 with the job), else 200."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, etag, parse_if_match, responses
from api.app.job_views import JobPublic
from api.app.moves import replan_moved, was_of
from api.app.offer_errors import offer_errors
from api.app.privacy import sees_names
from api.app.replan_intake import start_replan
from api.schemas.offers import HHMM, Accepted
from api.services.offer_problem import record_of
from api.services.offers import accept_payload
from api.services.parameters import Kind, default, solve_params
from api.settings import Settings
from api.store import plans, records, tables
from api.store.promises import ACTION_WITHDRAWN, cancel, set_promise
from api.store.users import Role

router = APIRouter(tags=["promises"])
coordinators = Depends(require(Role.COORDINATOR))
KindName = Literal["tasks", "trips"]


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: HHMM
    end: HHMM
    day: date | None = None  # default: the task's day
    reason: str = Field(default="", max_length=500)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


class Cancelled(BaseModel):
    cancelled: list[str]
    job: JobPublic | None = None  # the re-plan of the published plan that held them


def _checked(session: Any, kind: KindName, record_id: str, if_match: str | None) -> Any:
    row = records.get_record(session, records.KINDS[kind], record_id)
    version = parse_if_match(if_match)
    if row.version != version:
        raise ApiError(412, f"{kind}/{record_id}: changed since version {version} (now "
                            f"version {row.version}); read it again")
    return row


@router.put("/{kind}/{record_id}/promise", response_model=Accepted,
            dependencies=[coordinators], responses=responses(401, 403, 404, 409, 412, 422,
                                                              428, body=True),
            summary="Move the promise of a task or trip", operation_id="move_promise")
def move(kind: KindName, record_id: str, body: MoveIn, request: Request, session: SessionDep,
         response: Response, user: Annotated[tables.User, coordinators],
         settings: Annotated[Settings, Depends(get_settings)],
         if_match: Annotated[str | None, Header()] = None) -> Accepted:
    row = _checked(session, kind, record_id, if_match)
    was = was_of(row)
    length = _minutes(body.end) - _minutes(body.start)
    if not 30 <= length <= 120:
        raise ApiError(422, f"end: a promised window is 30 to 120 minutes long, not "
                            f"{body.start}-{body.end}")
    day = body.day or row.day
    payload = {"request": {"kind": row.kind, "moves": record_id, "first_day": day.isoformat(),
                           "window_min": length},
               "base": record_id, "client": row.client_id, "worker": "",
               "windows": [{"task": record_id, "day": day.isoformat(), "start": body.start,
                            "end": body.end}]}
    with offer_errors(session, user, settings):
        accepted = accept_payload(session, settings, payload, user.username,
                                  names=sees_names(user), reason=body.reason)
    job = replan_moved(session, request, response, user, settings, was, accepted)
    accepted = accepted.model_copy(update={"replan_job": job})
    response.headers["ETag"] = etag(records.get_record(session, records.KINDS[kind],
                                                       record_id).version)
    return accepted


@router.delete("/{kind}/{record_id}/promise", status_code=204, dependencies=[coordinators],
               responses=responses(401, 403, 404, 412, 422, 428),
               summary="Withdraw the promise of a task or trip",
               operation_id="withdraw_promise")
def withdraw(kind: KindName, record_id: str, session: SessionDep,
             user: Annotated[tables.User, coordinators],
             reason: Annotated[str, Query(max_length=500)] = "",
             if_match: Annotated[str | None, Header()] = None) -> Response:
    row = _checked(session, kind, record_id, if_match)
    if row.body.get("promise") is None:
        raise ApiError(422, f"promise: {kind}/{record_id} has no promise to withdraw")
    set_promise(session, kind, record_id, None, username=user.username, version=row.version,
                action=ACTION_WITHDRAWN, reason=reason)
    session.commit()
    return Response(status_code=204)


@router.post("/{kind}/{record_id}/cancel", response_model=Cancelled,
             dependencies=[coordinators], responses=responses(401, 403, 404, 409, 412, 422,
                                                               428, 429, body=True),
             summary="Cancel a task or trip by phone (re-plans its published plan)",
             operation_id="cancel_request")
def cancel_request(kind: KindName, record_id: str, body: CancelIn, request: Request,
                   response: Response, session: SessionDep,
                   user: Annotated[tables.User, coordinators],
                   settings: Annotated[Settings, Depends(get_settings)],
                   if_match: Annotated[str | None, Header()] = None) -> Cancelled:
    row = _checked(session, kind, record_id, if_match)
    if row.status != "open":
        raise ApiError(409, f"{kind}/{record_id}: is {row.status} already")
    done = cancel(session, kind, record_id, username=user.username, version=row.version,
                  reason=body.reason)
    ids = [i for i, _day in done]
    plan_id = plans.published_on(session, row.day)
    plan = plans.get_plan(session, plan_id) if plan_id else None
    held = [] if plan is None else sorted({
        s["task"] for r in plan.document.get("routes", []) for s in r.get("stops", [])
        if record_of(s["task"]) in ids})
    now = _now(settings, plan) if plan is not None else None
    if plan is None or not held or now is None:
        session.commit()
        response.status_code = 200
        return Cancelled(cancelled=ids)
    events = {"now": now, "events": [{"kind": "cancelled", "task": t} for t in held]}
    solve = solve_params(Kind.REPLAN, max_solutions=default(Kind.REPLAN, "max_solutions"),
                         server_time_limit_s=settings.replan_time_limit_s)
    job = start_replan(session, request, response, user, plan, events, solve, settings)
    response.status_code = 202
    return Cancelled(cancelled=ids, job=job)


def _now(settings: Settings, plan: tables.PlanVersion) -> str | None:
    """The re-plan's `now`: the start of a plan still to come, the moment within one
    running today; None for a plan whose days are over."""
    today = settings.day_today()
    if today < plan.first_day:
        return "00:00"
    if today > plan.last_day:
        return None
    return datetime.now(ZoneInfo(plan.document.get("timezone", "Europe/Warsaw"))).isoformat(
        timespec="seconds")


def _minutes(hhmm: str) -> int:
    h, m = (int(x) for x in hhmm.split(":"))
    return h * 60 + m
