"""The CUS's monthly report over HTTP, from the plans published for the month's days.

`GET /reports/{month}?format=pdf|xlsx|csv|json` (coordinators and planners: the report
names no client). Each day counts from the plan published for it; a day without one
is listed as not planned."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import dataclasses
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Response

from api.app.deps import SessionDep, require
from api.app.errors import ApiError, responses
from api.render.report import ReportError, month_days, monthly_report
from api.render.report_files import write_csv, write_pdf, write_xlsx
from api.store import plans as store
from api.store.users import Role

router = APIRouter(tags=["reports"])
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITERS = {"pdf": (write_pdf, "application/pdf"), "xlsx": (write_xlsx, XLSX),
           "csv": (write_csv, "text/csv; charset=utf-8")}


@router.get("/reports/{month}", dependencies=[readers], response_class=Response,
            responses={**responses(401, 403, 404, 409, 422),
                       200: {"content": {"application/pdf": {}, XLSX: {}, "text/csv": {},
                                         "application/json": {}}}},
            summary="The monthly report of the published plans", operation_id="read_report")
def report(month: str, session: SessionDep,
           format: Literal["pdf", "xlsx", "csv", "json"] = "pdf") -> Response:  # noqa: A002
    try:
        first, last = month_days(month)
    except ReportError as exc:
        raise ApiError(422, str(exc)) from None
    plan_ids: list[str] = []
    for k in range((last - first).days + 1):  # no day after the last: 9999-12 has none
        plan_id = store.published_on(session, first + timedelta(days=k))
        if plan_id is not None and plan_id not in plan_ids:
            plan_ids.append(plan_id)
    if not plan_ids:
        raise ApiError(404, f"reports/{month}: no plan is published for any day of the month")
    try:
        result = monthly_report([(f"plans/{p}", store.document_of(session, p))
                                 for p in plan_ids], month)
    except ReportError as exc:  # e.g. a plan published before plans named provider kinds
        raise ApiError(409, f"reports/{month}: a published plan cannot be reported: {exc}"
                       ) from None
    if format == "json":
        return Response(_json(result), media_type="application/json")
    write, media = WRITERS[format]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report-{month}.{format}"
        write(result, path)
        return Response(path.read_bytes(), media_type=media, headers={
            "Content-Disposition":
                f'attachment; filename="report-{first:%Y-%m}.{format}"'})


def _json(result: Any) -> str:
    body = dataclasses.asdict(result)
    body.update(service_s=result.service_s, pes_service_s=result.pes_service_s,
                pes_share=result.pes_share, pes_share_met=result.pes_share_met,
                unassigned=result.unassigned)
    return json.dumps(body, default=str, ensure_ascii=False)
