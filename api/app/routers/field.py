"""The field: what workers pressed on their phones, and the day as it really went
(issue 30; docs/field.md).

- `POST /field/actions` (a worker, for themself): a batch of presses, each stored exactly
  once by its key; each answered `accepted` or `rejected` with the reason in the worker's
  words. 200 when any of the batch is accepted, 409 when every one is rejected (the
  answer lists them all either way); a repeated key answers what it answered first.
- `GET /field/actuals?day=` (coordinators; planners pseudonymised, no names or notes):
  each task of the day's published plan, planned against actual, and the rejected presses.
- `POST /field/corrections` (coordinators): a task's actual corrected, with the reason
  (audited); `POST /field/days/{day}/close`: no more presses for the day (audited);
  `PUT /field/odometer/{vehicle_id}/{day}` (coordinators or that bus's driver): the bus's
  kilometres of the day (audited)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Response

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, FieldError, responses
from api.app.privacy import (
    audited,
    field_words_out,
    for_reader,
    is_planner,
    reads_everyones,
)
from api.render.field_words import REJECTIONS
from api.schemas.field import ActionResult, Batch, BatchResult, CorrectionIn, OdometerIn
from api.services import field_day as days
from api.services.field_actions import Judged, Press, receive
from api.settings import Settings
from api.store import actuals as store
from api.store.tables import User, Vehicle, Worker
from api.store.users import Role
from optimiser.actuals import Outcome

router = APIRouter(prefix="/field", tags=["field"])
workers = Depends(require(Role.WORKER))
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
odometer_writers = Depends(require(Role.COORDINATOR, Role.WORKER))
SettingsDep = Annotated[Settings, Depends(get_settings)]
Day = Annotated[date, Path(description="YYYY-MM-DD")]


def _result(judged: Judged) -> ActionResult:
    row = judged.row
    why = row.rejected_why
    return ActionResult(key=row.key, task_id=row.task_id, status="rejected" if why
                        else "accepted", rejected_why=why,
                        message=REJECTIONS.get(why or "", ""),
                        repeated=judged.repeated,
                        server_at=store.utc(row.server_at).isoformat())


@router.post("/actions", response_model=BatchResult,
             responses=responses(401, 403, 409, 422, body=True),
             summary="A worker's presses on the phone, each stored exactly once",
             operation_id="send_field_actions")
def send_actions(batch: Annotated[Batch, Body()], session: SessionDep,
                 user: Annotated[User, workers]) -> BatchResult:
    if not user.worker_id:
        raise ApiError(403, f"users/{user.username}: this worker account names no worker")
    judged = receive(session, user.worker_id, [
        Press(a.key, a.task_id, a.kind, a.phone_at, a.note, a.reason) for a in batch])
    results = [_result(j) for j in judged]
    if all(r.status == "rejected" for r in results):
        raise ApiError(409, results[0].message, extra={
            "results": [r.model_dump() for r in results]})
    return BatchResult(results=results)


@router.get("/actuals", dependencies=[readers], responses=responses(401, 403, 404, 422),
            summary="A day planned against actual, with the rejected presses",
            operation_id="read_field_actuals")
def read_actuals(day: date, session: SessionDep, settings: SettingsDep,
                 user: Annotated[User, readers]) -> dict[str, Any]:
    try:
        made = days.field_day(session, day)
    except days.NoPublishedPlan as exc:
        raise ApiError(404, str(exc)) from None
    answer: dict[str, Any] = {"day": day.isoformat(), "plan_id": made.plan_id,
              "closed_by": made.closed_by,
              "closed_at": made.closed_at.isoformat() if made.closed_at else None,
              "counts": days.counts(made), "tasks": days.rows(made),
              "rejected": days.rejected_rows(made)}
    if is_planner(user):
        return dict(for_reader(field_words_out(answer), user, session, settings,
                               plan_id=made.plan_id))
    audited(session, user, made.clients)
    return answer


@router.post("/corrections", status_code=201, dependencies=[coordinators],
             responses=responses(401, 403, 404, 422, body=True),
             summary="Correct a task's actual (with the reason; audited)",
             operation_id="correct_actual")
def correct_actual(body: CorrectionIn, session: SessionDep,
                   user: Annotated[User, coordinators]) -> dict[str, Any]:
    if not days.on_published_plan(session, body.day, body.task_id):
        raise ApiError(404, f"days/{body.day}: task {body.task_id} is on no route of the "
                            "day's published plan, so it has no actual to correct",
                       errors=[FieldError(field="body.task_id", value=body.task_id,
                                          message="not on the day's published plan")])
    row = store.correct(session, body.task_id, Outcome(body.outcome), body.start, body.end,
                        body.reason, user.username)
    return {"id": row.id, "day": body.day.isoformat(), "task_id": row.task_id,
            "outcome": row.outcome, "start": body.start.isoformat() if body.start else None,
            "end": body.end.isoformat() if body.end else None, "reason": row.reason,
            "by": row.by, "at": store.utc(row.at).isoformat()}


@router.post("/days/{day}/close", dependencies=[coordinators],
             responses={201: {"description": "Closed now (200: closed already)"},
                        **responses(401, 403, 422)},
             summary="Close a day: no more presses from phones (corrections still allowed)",
             operation_id="close_field_day")
def close_day(day: Day, session: SessionDep, response: Response,
              user: Annotated[User, coordinators]) -> dict[str, Any]:
    row, closed_now = store.close_day(session, day, user.username)
    response.status_code = 201 if closed_now else 200
    return {"day": row.day.isoformat(), "closed_by": row.closed_by,
            "closed_at": store.utc(row.at).isoformat(), "closed_now": closed_now}


@router.put("/odometer/{vehicle_id}/{day}", dependencies=[odometer_writers],
            responses=responses(401, 403, 404, 422, body=True),
            summary="A bus's odometer at the start and end of a day (km; audited)",
            operation_id="set_odometer")
def set_odometer(vehicle_id: str, day: Day, body: OdometerIn, session: SessionDep,
                 user: Annotated[User, odometer_writers]) -> dict[str, Any]:
    if session.get(Vehicle, vehicle_id) is None:
        raise ApiError(404, f"vehicles/{vehicle_id}: no such vehicle")
    if not reads_everyones(user) and not _drives(session, user, vehicle_id):
        raise ApiError(403, f"vehicles/{vehicle_id}: only its driver or a coordinator "
                            "records its odometer", errors=[FieldError(
                                field="path.vehicle_id", value=vehicle_id,
                                message="not your bus")])
    row = store.set_odometer(session, vehicle_id, day, body.start_km, body.end_km,
                             user.username)
    return {"vehicle_id": row.vehicle_id, "day": row.day.isoformat(),
            "start_km": row.start_km, "end_km": row.end_km,
            "km": row.end_km - row.start_km if row.end_km is not None else None,
            "by": row.by, "at": store.utc(row.at).isoformat()}


def _drives(session: SessionDep, user: User, vehicle_id: str) -> bool:
    """Whether the worker of `user` is the driver of bus `vehicle_id` (their stored
    worker record names it)."""
    worker = session.get(Worker, user.worker_id) if user.worker_id else None
    return worker is not None and worker.body.get("vehicle") == vehicle_id
