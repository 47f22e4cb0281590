"""A day's call list, for coordinators only (it holds clients' names and phones; planners
get 403): `GET /days/{day}/call-list` (JSON), `GET /days/{day}/call-list.csv` and
`GET /days/{day}/call-list.pdf` (printable A4). Each marks its rows against the last list
issued for the day; `?issue=true` (or `POST /days/{day}/call-list`) issues it: stores
what each client is told, for the next list to compare with. Every read names its
clients in the audit log (`api.app.privacy.audited`)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.privacy import audited
from api.render.call_list_files import call_list_csv, call_list_html, row_data, stamp
from api.render.sheet_html import html_pdf
from api.services.call_lists import CallList, NoPublishedPlan, call_list, issue
from api.settings import Settings
from api.store.tables import User
from api.store.users import Role

router = APIRouter(tags=["call lists"])
coordinators = Depends(require(Role.COORDINATOR))
SettingsDep = Annotated[Settings, Depends(get_settings)]
UserDep = Annotated[User, coordinators]
ERRORS = responses(401, 403, 404, 409, 422)


def _made(session: SessionDep, settings: Settings, user: User, day: date,
          issued: bool) -> CallList:
    try:
        made = call_list(session, settings, day)
    except NoPublishedPlan as exc:
        raise ApiError(404, str(exc)) from None
    audited(session, user, made.clients)
    return issue(session, made, user.username) if issued else made


def _json(made: CallList) -> dict[str, Any]:
    return {"day": made.day.isoformat(), "plan_id": made.plan_id,
            "issued_at": made.issued_at.isoformat() if made.issued_at else None,
            "last_issued_at": made.last_issued_at.isoformat() if made.last_issued_at
            else None, "last_issued_by": made.last_issued_by,
            "rows": [row_data(r) for r in made.rows]}


@router.get("/days/{day}/call-list", dependencies=[coordinators], responses=ERRORS,
            summary="A day's call list: each client, their window, who comes, a message",
            operation_id="read_call_list")
def read_call_list(day: date, session: SessionDep, settings: SettingsDep, user: UserDep,
                   issue: bool = False) -> dict[str, Any]:  # noqa: FBT001, FBT002
    return _json(_made(session, settings, user, day, issue))


@router.post("/days/{day}/call-list", dependencies=[coordinators], responses=ERRORS,
             summary="Issue a day's call list (the next one marks changes since)",
             operation_id="issue_call_list")
def issue_call_list(day: date, session: SessionDep, settings: SettingsDep,
                    user: UserDep) -> dict[str, Any]:
    return _json(_made(session, settings, user, day, True))


@router.get("/days/{day}/call-list.csv", dependencies=[coordinators], response_class=Response,
            responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
            summary="A day's call list as CSV", operation_id="read_call_list_csv")
def call_list_as_csv(day: date, session: SessionDep, settings: SettingsDep, user: UserDep,
                     issue: bool = False) -> Response:  # noqa: FBT001, FBT002
    made = _made(session, settings, user, day, issue)
    return Response(call_list_csv(made.rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="telefony-{day}.csv"'})


@router.get("/days/{day}/call-list.pdf", dependencies=[coordinators], response_class=Response,
            responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
            summary="A day's call list as a printable PDF (A4)",
            operation_id="read_call_list_pdf")
def call_list_as_pdf(day: date, session: SessionDep, settings: SettingsDep, user: UserDep,
                     issue: bool = False) -> Response:  # noqa: FBT001, FBT002
    made = _made(session, settings, user, day, issue)
    html = call_list_html(made.rows, day, issued=stamp(made.issued_at),
                          last_issued=stamp(made.last_issued_at))
    return Response(html_pdf(html), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="telefony-{day}.pdf"'})
