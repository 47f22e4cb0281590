"""The CUS's monthly report over HTTP, from the plans published for the month's days.

`GET /reports/{month}?format=pdf|xlsx|csv|json` (coordinators and planners: the report
names no client). Each day counts from the plan published for it; a day without one
is listed as not planned. `POST /reports/{month}` counts the service delivered, planned
beside it (its CSV is then `report-YYYY-MM-delivered.csv`'s columns): from the stored
actuals (the phones' actions, the corrections; `api.services.month_actuals`) and the
buses' odometer kilometres, or from `{"actuals": [...]}` when the body gives them (rows
of `task_id, outcome, start, end, reason`, `api.convert.actuals_file`). The GET counts
the delivered too once any task of the month has a stored action or correction. The
JSON gives figures only, never the tasks."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from api.app.deps import SessionDep, require
from api.app.errors import ApiError, responses
from api.app.month_plans import MAX_ACTUALS, given_actuals, published_documents
from api.render.report import ReportError
from api.render.report_files import write_csv, write_delivered_csv, write_pdf, write_xlsx
from api.services.month_actuals import anything_stored, report_of
from api.store.users import Role
from optimiser.actuals import Actual

router = APIRouter(tags=["reports"])
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITERS = {"pdf": (write_pdf, "application/pdf"), "xlsx": (write_xlsx, XLSX),
           "csv": (write_csv, "text/csv; charset=utf-8")}


CONTENT = {**responses(401, 403, 404, 409, 422),
           200: {"content": {"application/pdf": {}, XLSX: {}, "text/csv": {},
                             "application/json": {}}}}
Format = Literal["pdf", "xlsx", "csv", "json"]


class DeliveredIn(BaseModel):
    """What was delivered: one row a task (`task_id`, `outcome`, `start`, `end`, `reason`);
    left out (or null), the stored actuals (the phones' actions and the corrections)."""

    model_config = ConfigDict(extra="forbid")
    actuals: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_ACTUALS)


@router.get("/reports/{month}", dependencies=[readers], response_class=Response,
            responses=CONTENT,
            summary="The monthly report of the published plans", operation_id="read_report")
def report(month: str, session: SessionDep, format: Format = "pdf") -> Response:  # noqa: A002
    return _answer(month, session, format, None, from_store=None)


@router.post("/reports/{month}", dependencies=[readers], response_class=Response,
             responses={**CONTENT, **responses(body=True)},
             summary="The monthly report, planned and delivered",
             operation_id="read_delivered_report")
def delivered_report(month: str, session: SessionDep, body: DeliveredIn | None = None,
                     format: Format = "pdf") -> Response:  # noqa: A002
    given = body.actuals if body is not None else None
    return _answer(month, session, format,
                   given_actuals(given) if given is not None else None, from_store=True)


def _answer(month: str, session: SessionDep, format: Format,  # noqa: A002
            actuals: dict[str, Actual] | None, *, from_store: bool | None) -> Response:
    """`from_store`: read the stored actuals (None: when any task has one)."""
    documents = published_documents(session, month, f"reports/{month}")
    if from_store is None:
        from_store = anything_stored(session, documents)
    try:
        result = report_of(session, documents, month, actuals, from_store=from_store)
    except ReportError as exc:  # e.g. a plan published before plans named provider kinds
        raise ApiError(409, f"reports/{month}: a published plan cannot be reported: {exc}"
                       ) from None
    if format == "json":
        return Response(_json(result), media_type="application/json")
    write, media = WRITERS[format]
    if format == "csv" and result.delivered is not None:
        write = write_delivered_csv  # planned beside delivered
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report-{month}.{format}"
        write(result, path)
        return Response(path.read_bytes(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="report-{month}.{format}"'})


def _json(result: Any) -> str:
    body = dataclasses.asdict(result)
    if result.delivered is not None:  # figures only: the tasks name clients
        body["delivered"].pop("tasks")
        for by_day in ("day_s", "day_pes_s"):
            body["delivered"][by_day] = {d.isoformat(): s for d, s
                                         in body["delivered"][by_day].items()}
        body["delivered"].update(service_s=result.delivered.service_s,
                                 visits=result.delivered.visits, rides=result.delivered.rides,
                                 residents=result.delivered.residents)
    body.update(service_s=result.service_s, pes_service_s=result.pes_service_s,
                pes_share=result.pes_share, pes_share_met=result.pes_share_met,
                unassigned=result.unassigned)
    return json.dumps(body, default=str, ensure_ascii=False)
