"""The plan documents published for a month's days, as the monthly report and the PES
settlement read them (each day from the plan published for it), and actuals given in a
request body (the stored ones otherwise: `api.services.month_actuals`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.app.errors import ApiError
from api.convert.actuals_file import ActualsError, actuals_from_rows
from api.render.report import ReportError
from api.services.month_actuals import published_in
from optimiser.actuals import Actual

MAX_ACTUALS = 200_000  # rows a body may give: a big centre's month, far below the body cap


def published_documents(session: Session, month: str, route: str) -> list[tuple[str, Any]]:
    """(`plans/<id>`, document) of the plans published for the days of `month`; 422 for a
    month that is not YYYY-MM, 404 when no day has a plan (`route` names the resource)."""
    try:
        documents = published_in(session, month)
    except ReportError as exc:
        raise ApiError(422, str(exc)) from None
    if not documents:
        raise ApiError(404, f"{route}: no plan is published for any day of the month")
    return documents


def given_actuals(rows: list[dict[str, Any]]) -> dict[str, Actual]:
    """Actuals of a request body's `actuals` rows; 422 naming the row and field."""
    try:
        return actuals_from_rows(rows, "body")
    except ActualsError as exc:
        raise ApiError(422, str(exc)) from None
