"""Calendar links over HTTP: a worker (for their own calendar) or a coordinator makes a
link (`POST /calendar-links`, the URL with its secret shown once), lists them (never
their secrets) and revokes one (`DELETE /calendar-links/{id}`); a calendar app reads
`GET /calendars/{worker}.ics?token=…` (api/app/routers/sheets.py) until the link
expires (`TRASA_CALENDAR_LINK_DAYS`, default 90 days) or is revoked."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from api.app.calendar_link_views import LinkCreated, LinkPublic, mint, public
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.privacy import reads_everyones, reads_worker
from api.settings import Settings
from api.store import calendar_links as store
from api.store.calendar_links import MAX_DAYS
from api.store.tables import CalendarLink, User
from api.store.users import Role

router = APIRouter(tags=["calendar links"])
people = Depends(require(Role.COORDINATOR, Role.WORKER))


class LinkIn(BaseModel):
    worker_id: str = Field(min_length=1, max_length=100, examples=["w-anna"])
    days: int | None = Field(default=None, ge=1, le=MAX_DAYS,
                             description="how long it lasts (default: the server's "
                                         "TRASA_CALENDAR_LINK_DAYS)")


def _mine(user: User, row: CalendarLink) -> bool:
    return reads_worker(user, row.worker_id)


@router.post("/calendar-links", status_code=201, response_model=LinkCreated,
             responses=responses(401, 403, 422, body=True),
             summary="Make a calendar link (the URL shown once)",
             operation_id="create_calendar_link")
def create_link(body: LinkIn, session: SessionDep, request: Request, response: Response,
                settings: Annotated[Settings, Depends(get_settings)],
                user: Annotated[User, people]) -> LinkCreated:
    made = mint(session, request, settings, user, body.worker_id, body.days)
    response.headers["Location"] = f"/calendar-links/{made.id}"
    return made


@router.get("/calendar-links", response_model=list[LinkPublic], responses=responses(401, 403),
            summary="Calendar links (a worker: their own; never the secrets)",
            operation_id="list_calendar_links")
def list_links(session: SessionDep, user: Annotated[User, people],
               worker_id: str | None = None) -> list[LinkPublic]:
    if not reads_everyones(user):
        worker_id = user.worker_id
    return [public(row) for row in store.list_links(session, worker_id)]


@router.delete("/calendar-links/{link_id}", status_code=204,
               responses=responses(401, 403, 404, 422), summary="Revoke a calendar link",
               operation_id="revoke_calendar_link")
def revoke_link(link_id: str, session: SessionDep, user: Annotated[User, people]) -> Response:
    row = store.get_link(session, link_id)
    if not _mine(user, row):  # another worker's link: as if there were none
        raise ApiError(404, f"calendar-links/{link_id}: no such link")
    store.revoke(session, link_id, user.username)
    session.commit()
    return Response(status_code=204)
