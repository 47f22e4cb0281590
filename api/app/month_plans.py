"""The plan documents published for a month's days, as the monthly report and the PES
settlement read them (each day from the plan published for it), and actuals given in a
request body (until actuals are stored as records)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from api.app.errors import ApiError
from api.convert.actuals_file import ActualsError, actuals_from_rows
from api.render.report import ReportError, month_days
from api.store import plans as store
from optimiser.actuals import Actual

MAX_ACTUALS = 200_000  # rows a body may give: a big centre's month, far below the body cap


def published_documents(session: Session, month: str, route: str) -> list[tuple[str, Any]]:
    """(`plans/<id>`, document) of the plans published for the days of `month`; 422 for a
    month that is not YYYY-MM, 404 when no day has a plan (`route` names the resource)."""
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
        raise ApiError(404, f"{route}: no plan is published for any day of the month")
    return [(f"plans/{p}", store.document_of(session, p)) for p in plan_ids]


def given_actuals(rows: list[dict[str, Any]]) -> dict[str, Actual]:
    """Actuals of a request body's `actuals` rows; 422 naming the row and field."""
    try:
        return actuals_from_rows(rows, "body")
    except ActualsError as exc:
        raise ApiError(422, str(exc)) from None
