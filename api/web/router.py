"""The coordinator's web page: the pages (server-rendered, in Polish) and the JSON they
need beyond the API.

Pages (not in the OpenAPI document): `/app/` log-in, `/app/dzien` the day view
(coordinators), `/app/moj-dzien` a worker's own published day, `/app/analizy` plans'
KPIs and sweeps (planners and coordinators), `/app/konto` one's account (password;
a worker's calendar links; coordinators: the accounts); `/` leads to `/app/`. A page is the same
for everyone: its script logs in at `POST /auth/token`, keeps the token in the tab's
`sessionStorage`, asks `GET /auth/me` and shows only what that role may use (the API
refuses the rest anyway). Pages allow scripts, styles and requests from Trasa only.

JSON:
- `GET /plans/{plan_id}/streets`: the streets of the plan's town from the road network
  (the map's base layer; no tile server needed);
- `GET /plans/{plan_id}/days/{day}/view`: a day's KPIs, timeline rows, bases and the
  tasks left out with reasons and what would let them in (coordinators);
- `GET /sweeps/jobs`: the sweep jobs (a planner's own; a coordinator's: everyone's).
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as leaflet
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, ApiError, responses
from api.app.routers.jobs import JobPage, shown_job
from api.app.routers.sheets import read_back
from api.deliver import Rebuilt
from api.jobs import SWEEP
from api.services.parameters import PAGE_TIME_LIMIT_S, Kind, default
from api.settings import Settings
from api.store import audit
from api.store import jobs as job_store
from api.store import plans as store
from api.store.tables import User
from api.store.users import Role
from api.web.day_view import day_view
from api.web.streets import streets_geojson, town_box

HERE = Path(__file__).parent
router = APIRouter(tags=["web page"])
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
SettingsDep = Annotated[Settings, Depends(get_settings)]
templates = Jinja2Templates(directory=HERE / "templates")
PAGES = {"dzien": ("day.html.j2", "Plan dnia"), "moj-dzien": ("my_day.html.j2", "Mój dzień"),
         "analizy": ("analyses.html.j2", "Analizy"), "konto": ("account.html.j2", "Konto")}
# The fixed words of the pages' paths, kept in an access log line (api/log_privacy.py).
PAGE_WORDS = frozenset({"app", "static", *PAGES})
SWEEPS_LISTED = 200  # the newest jobs looked through for sweeps


def mount_static(app: FastAPI) -> None:
    """The page's own files at /static/web, Leaflet's (xstatic-leaflet) at /static/leaflet."""
    app.mount("/static/web", StaticFiles(directory=HERE / "static"), name="web-static")
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")


def page_policy(settings: Settings) -> str:
    """The pages' Content-Security-Policy: everything from Trasa, tiles from their host."""
    images = "'self' data: blob:"
    if settings.tile_url:  # its host; `{s}.tiles.org` (subdomains a, b, c) as `*.tiles.org`
        parts = urlsplit(settings.tile_url.replace("{s}", "*"))
        images += f" {parts.scheme}://{parts.netloc}"
    return (f"default-src 'self'; img-src {images}; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def plan_time_limit_s(settings: Settings) -> int:
    """The planning form's time limit: 30 s, or, where the server sets a solution budget
    (which then ends the search), the server's longest so that the clock does not."""
    limit = settings.job_time_limit_s if settings.job_max_solutions else min(
        PAGE_TIME_LIMIT_S, settings.job_time_limit_s)
    return max(1, int(limit))


def _page(request: Request, settings: Settings, name: str, template: str,
          title: str) -> HTMLResponse:
    page = templates.TemplateResponse(request, template, {
        "page": name, "title": title, "leaflet_version": leaflet.VERSION,
        "tile_url": settings.tile_url or "", "tile_attribution": settings.tile_attribution,
        "job_max_solutions": settings.job_max_solutions,
        "time_limit_s": plan_time_limit_s(settings),
        "replan_time_limit_s": f"{default(Kind.REPLAN, 'time_limit_s'):g}",
        "job_time_limit_s": max(1, int(settings.job_time_limit_s))})
    page.headers["Content-Security-Policy"] = page_policy(settings)
    page.headers["X-Content-Type-Options"] = "nosniff"
    return page


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/app/")


@router.get("/app/", include_in_schema=False, response_class=HTMLResponse)
def log_in_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, settings, "logowanie", "login.html.j2", "Logowanie")


@router.get("/app/{name}", include_in_schema=False, response_class=HTMLResponse)
def page(name: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    if name not in PAGES:
        raise ApiError(404, f"app/{name}: no such page (pages: {', '.join(PAGES)})")
    template, title = PAGES[name]
    return _page(request, settings, name, template, title)


@lru_cache(maxsize=16)
def _streets(found: Rebuilt) -> str:
    problem = found.problem
    paths = found.matrices.paths
    if paths is None:
        return json.dumps({"type": "FeatureCollection", "features": []})
    bases = [(b.lat, b.lon) for b in (problem.locations[problem.location_index(w.start_location_id)]
                                      for w in problem.workers)]
    box = town_box([(p.lat, p.lon) for p in problem.locations], bases)
    return json.dumps(streets_geojson(paths.network, box), separators=(",", ":"))


@router.get("/plans/{plan_id}/streets", dependencies=[readers], response_class=Response,
            responses={**responses(401, 403, 404, 409, 422),
                       200: {"content": {"application/geo+json": {}}}},
            summary="The streets of a plan's town from the road network (a map's base)",
            operation_id="read_plan_streets")
def streets(plan_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    found = read_back(session, settings, plan_id)
    return Response(_streets(found), media_type="application/geo+json",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.get("/plans/{plan_id}/days/{day}/view", dependencies=[coordinators],
            responses=responses(401, 403, 404, 409, 422),
            summary="A day of a plan for the day view: KPIs, timeline, bases, left out",
            operation_id="read_day_view")
def read_day_view(plan_id: str, day: date, session: SessionDep, settings: SettingsDep,
                  user: Annotated[User, coordinators]) -> dict[str, Any]:
    found = read_back(session, settings, plan_id)
    dates = found.problem.calendar.dates
    if day not in dates:
        raise ApiError(422, f"day: {day} is not a day of plans/{plan_id} ({dates[0]} to "
                            f"{dates[-1]})")
    replanning = store.document_of(session, plan_id).get("replanning")
    view = day_view(found.problem, found.plan, day, replanning)
    clients = sorted(c["id"] for c in view["choices"]["clients"])  # every name it shows
    audit.record_reads(session, user.username, [f"clients/{c}" for c in clients])
    session.commit()
    return {"plan_id": plan_id, "name": found.problem.name, "warning": found.warning,
            "first_day": dates[0].isoformat(), "last_day": dates[-1].isoformat(), **view}


@router.get("/sweeps/jobs", response_model=JobPage, dependencies=[readers],
            responses=responses(401, 403, 422), summary="List sweep jobs",
            operation_id="list_sweeps", tags=["sweeps"])
def list_sweeps(session: SessionDep, user: Annotated[User, readers], settings: SettingsDep,
                limit: Annotated[int, Query(ge=1, le=100)] = 20,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> JobPage:
    owner = None if user.role == Role.COORDINATOR else user.username
    rows, _ = job_store.list_jobs(session, owner, limit=SWEEPS_LISTED, offset=0)
    sweeps = [j for j in rows if j.request.get("kind") == SWEEP]
    return JobPage(items=[shown_job(j, user, session, settings, with_plan=False)
                          for j in sweeps[offset:offset + limit]],
                   total=len(sweeps), limit=limit, offset=offset)
