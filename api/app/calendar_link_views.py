"""A calendar link as the API shows it (never its secret after the answer that made
it), and making one: a worker for their own calendar, a coordinator for anyone's. Both
`POST /calendar-links` and `GET /workers/{id}/calendar-link` make links this way."""
# No `from __future__ import annotations`: FastAPI reads the models' annotations.

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api.app.privacy import check_reads_worker
from api.schemas.responses import UtcDatetime
from api.settings import Settings
from api.store import calendar_links as store
from api.store.tables import CalendarLink, User


class LinkPublic(BaseModel):
    id: str
    worker_id: str
    created_by: str
    created_at: UtcDatetime | None
    expires_at: UtcDatetime
    revoked_at: UtcDatetime | None


class LinkCreated(LinkPublic):
    url: str = Field(description="for the calendar app; the secret in it is shown only "
                                 "this once")


def public(row: CalendarLink) -> LinkPublic:
    return LinkPublic(id=row.id, worker_id=row.worker_id, created_by=row.created_by,
                      created_at=row.created_at, expires_at=row.expires_at,
                      revoked_at=row.revoked_at)


def mint(session: Session, request: Request, settings: Settings, user: User,
         worker_id: str, days: int | None) -> LinkCreated:
    """A new stored link for `worker_id` (a worker: only their own), committed."""
    check_reads_worker(user, worker_id, "calendar")
    row, token = store.add_link(session, worker_id, user.username,
                                days or settings.calendar_link_days)
    session.commit()
    url = request.url_for("subscribed_calendar", worker_id=f"{worker_id}.ics")
    return LinkCreated(**public(row).model_dump(), url=f"{url}?token={token}")
