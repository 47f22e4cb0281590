"""A stored plan read back against its job's scenario and checked, as the routes need it:
409 when it cannot be (its job is gone, or it no longer fits its scenario or the road
network). The route sheets, calendars, maps and the page's day view read plans so."""

from sqlalchemy.orm import Session

from api.app.errors import ApiError
from api.deliver import Rebuilt, UncheckedPlan, rebuilt
from api.formats.plan_document import PlanDocumentError
from api.formats.scenario import ScenarioError
from api.settings import Settings
from api.store import plans as store
from api.store.tables import Job
from geo.graph import GraphLoadError


def read_back(session: Session, settings: Settings, plan_id: str) -> Rebuilt:
    """The stored plan `plan_id` read back against its job's scenario and checked (409 when
    it cannot be); also the web page's map and day view read plans through it."""
    plan = store.get_plan(session, plan_id, with_document=False)
    job = session.get(Job, plan.job_id) if plan.job_id else None
    if job is None:
        raise ApiError(409, f"plans/{plan_id}: its job (and scenario) is gone")
    try:
        found = rebuilt(plan_id, job.request["scenario"], store.document_of(session, plan_id),
                        graph=settings.graph, redactions=plan.redactions)
        found.sheets  # noqa: B018 (checks the plan once: nothing unchecked leaves)
        return found
    except (UncheckedPlan, PlanDocumentError, ScenarioError, GraphLoadError) as exc:
        raise ApiError(409, f"plans/{plan_id}: cannot be read back against its scenario: "
                            f"{exc}") from None
