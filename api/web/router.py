"""The coordinator's web page: the pages (server-rendered, in Polish) and their static
files; the JSON they need beyond the rest of the API is served by
api/app/routers/page_data.py (a plan's streets, a day's view) and the sweeps' router.

Pages (not in the OpenAPI document): `/app/` log-in, `/app/dzien` the day view
(coordinators), `/app/moj-dzien` a worker's own published day, `/app/analizy` plans'
KPIs and sweeps (planners and coordinators), `/app/kartoteka` the records and the
intake of a telephone request (coordinators; planners read pseudonymised lists),
`/app/telefony` the call list of a day (coordinators), `/app/na-zywo` the live day
(coordinators; planners pseudonymised), `/app/konto` one's account
(password; a worker's calendar links; coordinators: the accounts and their paired
phones), `/app/sparuj#<secret>` a phone's pairing (it keeps the device credential);
`/app/sw.js` and `/app/manifest.webmanifest` make the phone page an installable app that
opens with no network (docs/field.md, "Offline");
`/` leads to `/app/`. `?lang=uk` gives a page in Ukrainian (a worker's phone page asks
for the worker's language).
A page is the same for everyone: its script logs in at `POST /auth/token`, keeps the
token in the tab's `sessionStorage` (a paired phone keeps its device credential in
`localStorage` and trades it for a token as needed), asks `GET /auth/me` and shows only
what that role may use (the API refuses the rest anyway). Pages allow scripts, styles
and requests from Trasa only.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as leaflet
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.app.deps import get_settings
from api.app.errors import ApiError
from api.render import jinja as render_jinja
from api.render.script_words import script_words
from api.render.words import N_, gettext, language, use_language
from api.services.parameters import PAGE_TIME_LIMIT_S
from api.settings import Settings

HERE = Path(__file__).parent
router = APIRouter(tags=["web page"])
SettingsDep = Annotated[Settings, Depends(get_settings)]
templates = Jinja2Templates(directory=HERE / "templates")
render_jinja.install(templates.env)
PAGES = {"dzien": ("day.html.j2", N_("Day plan")),
         "moj-dzien": ("my_day.html.j2", N_("My day")),
         "analizy": ("analyses.html.j2", N_("Analyses")),
         "kartoteka": ("records.html.j2", N_("Records")),
         "konto": ("account.html.j2", N_("Account")),
         "telefony": ("call_list.html.j2", N_("Call list")),
         "na-zywo": ("live_day.html.j2", N_("Live day")),
         "sparuj": ("pair.html.j2", N_("Pairing the phone"))}
# The fixed words of the pages' paths, kept in an access log line (api/app/log_privacy.py).
PAGE_WORDS = frozenset({"app", "static", *PAGES})


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
    """The page in `?lang=` (a worker's phone page asks for the worker's language), else
    Polish."""
    with use_language(request.query_params.get("lang")):
        return _page_in_language(request, settings, name, template, title)


def _page_in_language(request: Request, settings: Settings, name: str, template: str,
                      title: str) -> HTMLResponse:
    page = templates.TemplateResponse(request, template, {
        "page": name, "title": gettext(title), "today": settings.day_today().isoformat(),
        "leaflet_version": leaflet.VERSION,
        "lang": language(), "script_words": script_words(language()),
        "tile_url": settings.tile_url or "", "tile_attribution": settings.tile_attribution,
        "job_max_solutions": settings.job_max_solutions,
        "time_limit_s": plan_time_limit_s(settings),
        "replan_time_limit_s": f"{settings.replan_time_limit_s:g}",
        "job_time_limit_s": max(1, int(settings.job_time_limit_s))})
    page.headers["Content-Security-Policy"] = page_policy(settings)
    page.headers["X-Content-Type-Options"] = "nosniff"
    return page


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> RedirectResponse:
    """Where browsers look for a tab's icon first: the page's own (the pages link it)."""
    return RedirectResponse("/static/web/favicon.ico", status_code=301)


@router.get("/app/sw.js", include_in_schema=False)
def service_worker() -> FileResponse:
    """The phone page's service worker (static/sw.js), served under /app/ so that it may
    control /app/moj-dzien (a script's scope is its own folder and below); always
    revalidated, so a new version reaches phones at their next load."""
    return FileResponse(HERE / "static" / "sw.js", media_type="text/javascript", headers={
        "Cache-Control": "no-cache", "Service-Worker-Allowed": "/app/",
        "X-Content-Type-Options": "nosniff"})


@router.get("/app/manifest.webmanifest", include_in_schema=False)
def manifest(request: Request) -> JSONResponse:
    """The phone page as an app to install (a home-screen icon, its own window), named
    in `?lang=`."""
    with use_language(request.query_params.get("lang")):
        lang = language()
        name = gettext(N_("Trasa — my day"))
        short = gettext(N_("My day"))
    start = f"/app/moj-dzien?lang={lang}"
    return JSONResponse({
        "name": name, "short_name": short, "lang": lang, "id": "/app/moj-dzien",
        "start_url": start, "scope": "/app/moj-dzien", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1f5fa8",
        "icons": [{"src": "/static/web/icon-192.png", "sizes": "192x192", "type": "image/png"},
                  {"src": "/static/web/icon-512.png", "sizes": "512x512", "type": "image/png"},
                  {"src": "/static/web/favicon.svg", "sizes": "any", "type": "image/svg+xml"}]},
        media_type="application/manifest+json")


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/app/")


@router.get("/app/", include_in_schema=False, response_class=HTMLResponse)
def log_in_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, settings, "logowanie", "login.html.j2", N_("Logging in"))


@router.get("/app/{name}", include_in_schema=False, response_class=HTMLResponse)
def page(name: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    if name not in PAGES:
        raise ApiError(404, f"app/{name}: no such page (pages: {', '.join(PAGES)})")
    template, title = PAGES[name]
    return _page(request, settings, name, template, title)


