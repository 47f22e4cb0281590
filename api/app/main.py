"""The FastAPI app: `create_app(settings)` migrates the database, starts the job runner,
and mounts the routers. `trasa serve` runs it on uvicorn."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.app import errors, log_privacy
from api.app.body_cap import CapBodies
from api.app.json_body import RefuseOddJson
from api.app.log_privacy import route_words
from api.app.login_throttle import LoginThrottle
from api.app.routers import (
    auth,
    calendar_links,
    call_lists,
    client_rights,
    csv_io,
    devices,
    events,
    field,
    jobs,
    live_day,
    offers,
    page_data,
    places,
    plans,
    promises,
    records,
    reports,
    settlements,
    sheets,
    sweeps,
    users,
)
from api.app.server_timing import ServerTiming
from api.jobs.runner import JobRunner
from api.security import dummy_password_hash
from api.services.reading import warm_up
from api.settings import Settings
from api.store.database import migrate
from api.store.records import KINDS
from api.web import router as web

API_VERSION = "0.1.0"


def create_app(settings: Settings) -> FastAPI:
    url = settings.database()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log_privacy.install(route_words([*app.openapi()["paths"], "/docs", "/redoc",
                                         "/openapi.json"]) | web.PAGE_WORDS)
        migrate(url)
        dummy_password_hash()  # made now, so that the first unknown log-in is not slower
        warm_up()  # ... and the first route sheet
        runner = JobRunner(url, workers=settings.job_workers, graph=settings.graph)
        app.state.runner = runner
        runner.start()
        # What is loaded by now (libraries, settings, the app) lives as long as the
        # process: keep it out of the cyclic collector's full passes, which otherwise
        # stop every request for ~100 ms (measured by benchmarks.load).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            runner.stop()

    app = FastAPI(title="Trasa", version=API_VERSION, lifespan=lifespan,
                  description="Routes and rosters for mobile social services (CUS). "
                              "Errors are RFC 9457 problem details; see docs/api.md.")
    app.state.settings = settings
    app.state.login_throttle = LoginThrottle.from_settings(settings)
    app.state.device_throttle = LoginThrottle.from_settings(settings, prefix="device")
    errors.install(app)
    app.add_middleware(RefuseOddJson)
    app.add_middleware(CapBodies, max_bytes=settings.max_body_bytes)
    app.add_middleware(ServerTiming)  # outermost: first in, last out
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(devices.router)
    app.include_router(calendar_links.router)
    app.include_router(client_rights.router)
    for kind in KINDS.values():
        app.include_router(records.router_for(kind))
    app.include_router(jobs.router)
    app.include_router(plans.router)
    app.include_router(csv_io.router)
    app.include_router(sheets.router)
    app.include_router(call_lists.router)
    app.include_router(reports.router)
    app.include_router(settlements.router)
    app.include_router(sweeps.router)
    app.include_router(events.router)
    app.include_router(offers.router)
    app.include_router(promises.router)
    app.include_router(page_data.router)
    app.include_router(places.router)
    app.include_router(field.router)
    app.include_router(live_day.router)
    app.include_router(web.router)
    web.mount_static(app)

    @app.get("/health", tags=["service"], summary="The server is up",
             operation_id="health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
