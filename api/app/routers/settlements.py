"""A PES provider's monthly settlement over HTTP, from the plans published for the month's
days, the stored actuals (the phones' actions and the corrections;
`api.services.month_actuals`) or those given in the body, and the price list
(`api.schemas.rates.RatesIn`, the sweep's `[rates]`).

`POST /settlements/{month}?format=pdf|xlsx|json` with `{"provider": …, "rates": {…}}`
and, to settle other actuals than the stored ones, `"actuals": [...]`. A coordinator
gets the lines and the detail (each paid task, its client id and times; the read is
audited); a planner gets the totals only (no task, no client)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from api.app.deps import SessionDep, require
from api.app.errors import ApiError, responses
from api.app.month_plans import MAX_ACTUALS, given_actuals, published_documents
from api.app.privacy import audited, is_planner
from api.render.report import ReportError
from api.render.settlement import SettlementError, settlement
from api.render.settlement_files import (
    file_stem,
    settlement_data,
    write_settlement_pdf,
    write_settlement_xlsx,
)
from api.schemas.rates import RatesIn
from api.services.month_actuals import report_of
from api.store import tables
from api.store.users import Role

router = APIRouter(tags=["settlements"])
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITERS = {"pdf": (write_settlement_pdf, "application/pdf"),
           "xlsx": (write_settlement_xlsx, XLSX)}


class SettlementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider: str = Field(min_length=1, max_length=200)
    rates: RatesIn
    actuals: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_ACTUALS)


@router.post("/settlements/{month}", response_class=Response,
             responses={**responses(401, 403, 404, 409, 422, body=True),
                        200: {"content": {"application/pdf": {}, XLSX: {},
                                          "application/json": {}}}},
             summary="A PES provider's settlement of a month", operation_id="settle_month")
def settle(month: str, body: SettlementIn, session: SessionDep,
           user: Annotated[tables.User, readers],
           format: Literal["pdf", "xlsx", "json"] = "pdf") -> Response:  # noqa: A002
    documents = published_documents(session, month, f"settlements/{month}")
    try:
        given = given_actuals(body.actuals) if body.actuals is not None else None
        report = report_of(session, documents, month, given, from_store=True)
    except ReportError as exc:
        raise ApiError(409, f"settlements/{month}: a published plan cannot be settled: {exc}"
                       ) from None
    try:
        result = settlement(report, body.provider, body.rates)
    except SettlementError as exc:
        raise ApiError(422, str(exc)) from None
    if is_planner(user):
        result = result.totals_only()
    else:
        audited(session, user, (i.task.client for i in result.items))
    if format == "json":
        return Response(json_text(settlement_data(result)), media_type="application/json")
    write, media = WRITERS[format]
    name = f"{file_stem(result)}.{format}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(result, path)
        return Response(path.read_bytes(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{name}"'})


def json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)
