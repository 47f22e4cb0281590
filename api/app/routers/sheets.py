"""What people receive, over HTTP: route sheets, phone calendars, maps, the day overview.

All are drawn from the *published* plan of a day, as it was read once and stored
(`api.services.published_plan`: checked, with its legs and streets; so what a worker
gets is what was published, and no read loads the road graph).
- `GET /days/{day}/workers/{worker_id}/sheet?format=pdf|html|csv`: the worker's route
  sheet (the worker themself or a coordinator; the clients' reads are audited).
  Sheets and calendars are in the language the worker chose (`PATCH /auth/me`: pl, uk),
  whoever reads them (a coordinator prints the sheet the worker will read); `?lang=`
  asks for another.
- `GET /days/{day}/workers/{worker_id}/calendar`: that day as iCalendar.
- `GET /workers/{worker_id}/calendar-link`: a new subscription URL for a phone's
  calendar app, which cannot log in (a stored calendar link, as `POST /calendar-links`
  makes): `GET /calendars/{worker_id}.ics?token=…` gives the worker's published days
  from a week ago to two weeks ahead, the token standing for the log-in until the link
  expires or is revoked (api/app/routers/calendar_links.py).
- `GET /plans/{plan_id}/geojson`: routes along the streets and stops (planners: no names,
  and the planner's view of `api.app.privacy`: a home only as its area).
- `GET /days/{day}/overview?format=pdf|html`: the coordinator's day at a glance.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import json
import logging
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.app.calendar_link_views import LinkCreated, mint
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.plan_reading import read_back
from api.app.privacy import (
    audit_reads,
    check_reads_worker,
    for_reader,
    sees_names,
)
from api.render.geojson import plan_geojson
from api.render.ics import worker_calendar
from api.render.overview import overview_html
from api.render.route_map import route_map_png
from api.render.route_sheet import RouteSheet
from api.render.sheet_csv import sheet_csv
from api.render.sheet_html import html_pdf, sheet_html
from api.render.words import DEFAULT_LANGUAGE, use_language
from api.services import published_plan
from api.services.deliver import file_name
from api.services.reading import PlanReading
from api.settings import Settings
from api.store import calendar_links
from api.store import plans as store
from api.store.tables import User, Worker
from api.store.users import Role, language_of_worker
from optimiser.calendar import DEFAULT_TIMEZONE

log = logging.getLogger(__name__)
router = APIRouter(tags=["sheets"])
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
people = Depends(require(Role.COORDINATOR, Role.WORKER))
SettingsDep = Annotated[Settings, Depends(get_settings)]
PDF, HTML, ICS = "application/pdf", "text/html; charset=utf-8", "text/calendar; charset=utf-8"
CSV = "text/csv; charset=utf-8"
SUBSCRIPTION_DAYS = (-7, 14)  # the days a subscribed calendar shows, around today


def _content(*types: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {t.split(";")[0]: {} for t in types}}}


def _plan_of_day(session: SessionDep, settings: Settings, day: date) -> PlanReading:
    plan_id = store.published_on(session, day)
    if plan_id is None:
        raise ApiError(404, f"days/{day}: no published plan covers this day")
    return read_back(session, settings, plan_id)


def _sheet(session: SessionDep, settings: Settings, user: User, day: date,
           worker_id: str) -> tuple[PlanReading, RouteSheet | None]:
    check_reads_worker(user, worker_id, "day")
    plan = _plan_of_day(session, settings, day)
    sheet = next((s for s in plan.sheets if s.worker_id == worker_id and s.day == day),
                 None)
    return plan, sheet


def _audit(session: SessionDep, username: str, plan: PlanReading, tasks: set[str]) -> None:
    """The reads of the clients of `tasks` (their names, addresses, phones)."""
    audit_reads(session, username, (plan.problem.task(t).client_id for t in tasks))


def _language(session: SessionDep, worker_id: str, lang: str | None) -> str:
    """`lang` if asked for, else the language of the worker's account, else Polish."""
    return lang or language_of_worker(session, worker_id) or DEFAULT_LANGUAGE


Lang = Annotated[Literal["pl", "uk", "en"] | None,
                 Query(description="the sheet's language (default: the worker's own)")]


def _tasks(sheets: list[RouteSheet]) -> set[str]:
    return {r.task for s in sheets for r in s.stops}


@router.get("/days/{day}/workers/{worker_id}/sheet", dependencies=[people],
            response_class=Response, responses={**responses(401, 403, 404, 409, 422),
                                                **_content(PDF, HTML, CSV)},
            summary="A worker's route sheet (PDF, printable HTML or CSV)",
            operation_id="read_route_sheet")
def route_sheet(day: date, worker_id: str, session: SessionDep, settings: SettingsDep,
                user: Annotated[User, people],
                format: Literal["pdf", "html", "csv"] = "pdf",  # noqa: A002
                lang: Lang = None) -> Response:
    with use_language(_language(session, worker_id, lang)):
        return _route_sheet(day, worker_id, session, settings, user, format)


def _route_sheet(day: date, worker_id: str, session: SessionDep, settings: Settings,
                 user: User, format: str) -> Response:  # noqa: A002
    plan, sheet = _sheet(session, settings, user, day, worker_id)
    if sheet is None:
        raise ApiError(404, f"days/{day}/workers/{worker_id}: no route on this day")
    if format == "csv":
        _audit(session, user.username, plan, _tasks([sheet]))
        return Response(sheet_csv(sheet), media_type=CSV, headers={
            "Content-Disposition": f'attachment; filename="{file_name(worker_id)}-{day}.csv"'})
    html = sheet_html(sheet, map_png=route_map_png(sheet, plan.streets),
                      timezone=plan.problem.calendar.timezone)
    _audit(session, user.username, plan, _tasks([sheet]))
    if format == "html":
        return Response(html, media_type=HTML)
    return Response(html_pdf(html), media_type=PDF, headers={
        "Content-Disposition": f'inline; filename="{file_name(worker_id)}-{day}.pdf"'})


@router.get("/days/{day}/workers/{worker_id}/calendar", dependencies=[people],
            response_class=Response, responses={**responses(401, 403, 404, 409, 422),
                                                **_content(ICS)},
            summary="A worker's day as iCalendar", operation_id="read_day_calendar")
def day_calendar(day: date, worker_id: str, session: SessionDep, settings: SettingsDep,
                 user: Annotated[User, people], lang: Lang = None) -> Response:
    with use_language(_language(session, worker_id, lang)):
        plan, sheet = _sheet(session, settings, user, day, worker_id)
        sheets = [sheet] if sheet is not None else []
        _audit(session, user.username, plan, _tasks(sheets))
        return Response(worker_calendar(sheets, timezone=plan.problem.calendar.timezone),
                        media_type=ICS)


@router.get("/workers/{worker_id}/calendar-link", response_model=LinkCreated,
            dependencies=[people], responses=responses(401, 403, 404, 422),
            summary="A new calendar subscription URL of a worker (a stored link)",
            operation_id="read_calendar_link")
def calendar_link(worker_id: str, request: Request, session: SessionDep,
                  settings: SettingsDep, user: Annotated[User, people]) -> LinkCreated:
    check_reads_worker(user, worker_id, "calendar")
    if session.get(Worker, worker_id) is None:
        raise ApiError(404, f"workers/{worker_id}: no such worker")
    return mint(session, request, settings, user, worker_id, None)


@router.get("/calendars/{worker_id}", name="subscribed_calendar", response_class=Response,
            responses={**responses(401, 404, 422), **_content(ICS)},
            summary="A worker's published days for a calendar app (token in the URL)",
            operation_id="read_subscribed_calendar")
def subscribed_calendar(worker_id: str, session: SessionDep, settings: SettingsDep,
                        token: Annotated[str, Query(max_length=500)]) -> Response:
    worker_id = worker_id.removesuffix(".ics")
    try:
        calendar_links.check(session, token, worker_id)
    except calendar_links.BadLink as exc:
        raise ApiError(401, f"token: {exc}") from None
    with use_language(_language(session, worker_id, None)):
        return _subscribed(worker_id, session, settings)


def _subscribed(worker_id: str, session: SessionDep, settings: Settings) -> Response:
    timezone = DEFAULT_TIMEZONE
    today = settings.day_today()
    sheets: list[RouteSheet] = []
    for offset in range(SUBSCRIPTION_DAYS[0], SUBSCRIPTION_DAYS[1] + 1):
        day = today + timedelta(days=offset)
        plan_id = store.published_on(session, day)
        if plan_id is None:
            continue
        try:
            plan = read_back(session, settings, plan_id)
        except published_plan.PlanNotReadable:  # the other days still show
            log.warning("calendar of %s: plans/%s cannot be read back", worker_id, plan_id)
            continue
        timezone = plan.problem.calendar.timezone
        mine = [s for s in plan.sheets if s.worker_id == worker_id and s.day == day]
        sheets += mine
        _audit(session, f"calendar:{worker_id}", plan, _tasks(mine))
    return Response(worker_calendar(sheets, timezone=timezone), media_type=ICS)


@router.get("/plans/{plan_id}/geojson", dependencies=[readers],
            responses={**responses(401, 403, 404, 409, 422),
                       200: {"content": {"application/geo+json": {}}}},
            response_class=Response, summary="A plan's routes and stops as GeoJSON",
            operation_id="read_plan_geojson")
def geojson(plan_id: str, session: SessionDep, settings: SettingsDep,
            user: Annotated[User, readers]) -> Response:
    plan = read_back(session, settings, plan_id)
    names = sees_names(user)
    document = plan_geojson(plan.problem, plan.plan, plan.legs or {}, names=names)
    if names:
        _audit(session, user.username, plan, {s.task_id for r in plan.plan.routes
                                               for s in r.stops})
    document = for_reader(document, user, session, settings, plan_id=plan_id)
    return Response(json.dumps(document, ensure_ascii=False), media_type="application/geo+json")


@router.get("/days/{day}/overview", dependencies=[coordinators], response_class=Response,
            responses={**responses(401, 403, 404, 409, 422), **_content(PDF, HTML)},
            summary="The coordinator's day overview (PDF or HTML)",
            operation_id="read_day_overview")
def day_overview(day: date, session: SessionDep, settings: SettingsDep,
                 user: Annotated[User, coordinators],
                 format: Literal["pdf", "html"] = "pdf") -> Response:  # noqa: A002
    plan = _plan_of_day(session, settings, day)
    html = overview_html(plan.problem, plan.plan, day, warning=plan.warning)
    _audit(session, user.username, plan, _tasks([s for s in plan.sheets if s.day == day]))
    if format == "html":
        return Response(html, media_type=HTML)
    return Response(html_pdf(html), media_type=PDF)
