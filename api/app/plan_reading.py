"""A stored plan as the routes need it, read once by `api.services.published_plan` (from
its stored reading and checked verdict): 409 when it cannot be drawn. The route sheets,
calendars, maps and the page's day view read plans so."""

from sqlalchemy.orm import Session

from api.services import published_plan
from api.services.reading import PlanReading
from api.settings import Settings


def read_back(session: Session, settings: Settings, plan_id: str) -> PlanReading:
    """The stored plan `plan_id` as it was read and checked (409 when it cannot be drawn)."""
    return published_plan.read(session, plan_id, graph=settings.graph)
