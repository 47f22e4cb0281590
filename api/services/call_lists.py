"""A day's call list (who to ring the day before, with what to tell them), drawn from the
day's published plan as every output reads it (`api.services.published_plan`), marked
against the last list issued for that day, and issued (stored, `api.store.call_lists`)
when it is printed, downloaded or sent. The page, the API and `trasa call-list` all come
here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from api.render.call_list import CallRow, call_rows, mark
from api.services import published_plan
from api.settings import Settings
from api.store import call_lists
from api.store import plans as plan_store
from api.store.tables import Client


class NoPublishedPlan(LookupError):
    """No published plan covers the day."""


@dataclass(frozen=True)
class CallList:
    day: date
    plan_id: str
    rows: list[CallRow]
    last_issued_at: datetime | None  # of the list the rows are marked against
    last_issued_by: str | None
    issued_at: datetime | None = None  # this list's, once issued

    @property
    def clients(self) -> list[str]:
        return [r.client_id for r in self.rows]


def call_list(session: Session, settings: Settings, day: date) -> CallList:
    """The call list of `day` from its published plan (`NoPublishedPlan`; a plan that
    cannot be drawn: `published_plan.PlanNotReadable`), marked against the last issued."""
    plan_id = plan_store.published_on(session, day)
    if plan_id is None:
        raise NoPublishedPlan(f"days/{day}: no published plan covers this day")
    reading = published_plan.read(session, plan_id, graph=settings.graph)
    problem = reading.problem
    rows = call_rows(problem, reading.plan, reading.document, day,
                     today=settings.day_today(), window_min=settings.call_window_min)
    last = call_lists.last_issued(session, day)

    def person(client_id: str) -> tuple[str, str]:
        """A cancelled client's name and phone: from the plan's scenario, else the records."""
        known = {c.id: c for c in problem.clients}
        if client_id in known:
            return known[client_id].name, known[client_id].contact.phone
        record = session.get(Client, client_id)
        body = record.body if record is not None else {}
        return str(body.get("name", client_id)), str(body.get("phone", "") or "")

    marked = mark(rows, last.rows if last is not None else None, day,
                  settings.day_today(), person)
    return CallList(day, plan_id, marked, last.issued_at if last else None,
                    last.issued_by if last else None)


def issue(session: Session, made: CallList, username: str) -> CallList:
    """Store `made` as issued by `username`: the next list of its day is marked against it
    (a cancelled row is not carried on: its client was told)."""
    told = {r.client_id: r.issued() for r in made.rows if r.mark != "cancelled"}
    row = call_lists.issue(session, made.day, made.plan_id, username, told)
    return CallList(made.day, made.plan_id, made.rows, made.last_issued_at,
                    made.last_issued_by, row.issued_at)
