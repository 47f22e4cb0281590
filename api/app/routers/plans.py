"""Plan versions, publishing, a worker's day, and the audit log.

- `POST /plans` makes a draft from a finished job's checked plan; `POST
  /plans/{id}/publish` publishes it (immutable from then on) and supersedes the
  published plans of overlapping days; every version stays readable. A plan published
  for those days after the draft was made (a publish that won a race) is superseded
  only with `force=true`: without it the answer is 409 naming that plan.
- `GET /days/{day}/workers/{worker_id}`: that worker's routes on that day from the
  published plan, each stop with its own `place` (the name of where it happens: a
  clinic for a trip's drop-off there, the client's home for a visit), with what the
  job needs of each client (name, address, phone, mobility), never the health note. A
  worker reads only their own day.
- Planners read plans in the planner's view (`api.app.privacy`: clients pseudonymised,
  no place of a stop); every read of a client's personal data (a coordinator's read of
  a plan document names its clients) is written to the audit log, which coordinators
  query at `GET /audit`.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, ApiError, responses
from api.app.privacy import (
    audit_reads,
    audited,
    check_reads_worker,
    client_values,
    for_reader,
)
from api.convert.plan_document import name_places
from api.schemas.records import ClientResource
from api.schemas.responses import UtcDatetime
from api.services import published_plan
from api.settings import Settings
from api.store import audit, records
from api.store import plans as store
from api.store.tables import Job, PlanVersion, User
from api.store.users import Role

router = APIRouter(tags=["plans"])
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
anyone = Depends(require(Role.COORDINATOR, Role.PLANNER, Role.WORKER))


class PlanIn(BaseModel):
    job_id: str


class PlanPublic(BaseModel):
    id: str
    status: str
    first_day: date
    last_day: date
    job_id: str | None
    created_by: str
    created_at: UtcDatetime | None
    published_by: str | None
    published_at: UtcDatetime | None
    superseded_by: str | None


class PlanWithDocument(PlanPublic):
    document: dict[str, Any]


class PlanPage(BaseModel):
    items: list[PlanPublic]
    total: int
    limit: int
    offset: int


class ClientOnSheet(BaseModel):
    """What a worker may know of a client: enough to do the job, nothing more."""

    id: str
    name: str
    address: str
    phone: str
    mobility: str
    escort: bool


class WorkerDay(BaseModel):
    day: date
    worker: str
    plan_id: str
    routes: list[dict[str, Any]]
    clients: list[ClientOnSheet]


class AuditPublic(BaseModel):
    at: UtcDatetime | None
    username: str
    action: str
    resource: str
    detail: str | None = None


class AuditPage(BaseModel):
    items: list[AuditPublic]
    total: int
    limit: int
    offset: int


def _public(plan: PlanVersion) -> PlanPublic:
    return PlanPublic(id=plan.id, status=plan.status, first_day=plan.first_day,
                      last_day=plan.last_day, job_id=plan.job_id, created_by=plan.created_by,
                      created_at=plan.created_at, published_by=plan.published_by,
                      published_at=plan.published_at, superseded_by=plan.superseded_by)


@router.post("/plans", status_code=201, response_model=PlanPublic,
             dependencies=[coordinators], responses=responses(401, 403, 404, 409, 422, body=True),
             summary="Keep a job's plan as a draft", operation_id="create_plan")
def create_plan(body: PlanIn, session: SessionDep, response: Response,
                user: Annotated[User, coordinators]) -> PlanPublic:
    job = session.get(Job, body.job_id)
    if job is None:
        raise ApiError(404, f"job_id: {body.job_id!r} is not a job")
    plan = store.plan_from_job(session, job, user.username)
    published_plan.keep(session, plan, job)  # checked once, as it will be read
    session.commit()
    response.headers["Location"] = f"/plans/{plan.id}"
    return _public(plan)


@router.get("/plans", response_model=PlanPage, dependencies=[readers],
            responses=responses(401, 403, 422), summary="List plan versions",
            operation_id="list_plans")
def list_plans(session: SessionDep, day: date | None = None, status: str | None = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20,
               offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> PlanPage:
    rows, total = store.list_plans(session, day=day, status=status, limit=limit,
                                   offset=offset)
    return PlanPage(items=[_public(p) for p in rows], total=total, limit=limit,
                    offset=offset)


@router.get("/plans/{plan_id}", response_model=PlanWithDocument, dependencies=[readers],
            responses=responses(401, 403, 404, 422),
            summary="A plan version with its document (clients pseudonymised for planners)",
            operation_id="read_plan")
def read_plan(plan_id: str, session: SessionDep, user: Annotated[User, readers],
              settings: Annotated[Settings, Depends(get_settings)]) -> PlanWithDocument:
    plan = store.get_plan(session, plan_id, with_document=False)
    document = store.document_of(session, plan_id)
    audited(session, user, client_values(document))
    document = for_reader(document, user, session, settings, plan_id=plan_id)
    return PlanWithDocument(**_public(plan).model_dump(), document=document)


@router.post("/plans/{plan_id}/publish", response_model=PlanPublic,
             dependencies=[coordinators], responses=responses(401, 403, 404, 409, 422),
             summary="Publish a draft (supersedes the plans of overlapping days)",
             operation_id="publish_plan")
def publish_plan(plan_id: str, session: SessionDep,
                 user: Annotated[User, coordinators],
                 settings: Annotated[Settings, Depends(get_settings)],
                 force: Annotated[bool, Query(description=(
                     "supersede also a plan published for these days after this draft "
                     "was made (without it: 409 naming that plan)"))] = False) -> PlanPublic:
    plan = store.get_plan(session, plan_id)
    published_plan.make_sure(session, plan, graph=settings.graph)  # an older plan's reading
    store.publish(session, plan, user.username, force=force)
    session.commit()
    return _public(plan)


@router.get("/days/{day}/workers/{worker_id}", response_model=WorkerDay,
            dependencies=[anyone], responses=responses(401, 403, 404, 422),
            summary="A worker's published day", operation_id="read_worker_day")
def worker_day(day: date, worker_id: str, session: SessionDep,
               user: Annotated[User, anyone]) -> WorkerDay:
    check_reads_worker(user, worker_id, "day")
    plan_id = store.published_on(session, day)
    if plan_id is None:
        raise ApiError(404, f"days/{day}: no published plan covers this day")
    routes = store.routes_of(store.document_of(session, plan_id), worker_id, day)
    _name_places(session, plan_id, routes)
    client_ids = sorted({s["client"] for r in routes for s in r["stops"] if s.get("client")})
    clients = []  # a posted scenario's clients are not in the records: left out
    for row in records.get_records(session, records.KINDS["clients"], client_ids):
        client = ClientResource.model_validate(row.body)
        clients.append(ClientOnSheet(id=client.id, name=client.name, address=client.address,
                                     phone=client.phone, mobility=client.mobility,
                                     escort=client.escort))
    audit_reads(session, user.username, [c.id for c in clients])
    return WorkerDay(day=day, worker=worker_id, plan_id=plan_id, routes=routes,
                     clients=clients)


def _name_places(session: SessionDep, plan_id: str, routes: list[dict[str, Any]]) -> None:
    """Every stop's `place`; an older document's from its job's scenario snapshot."""
    if all(s.get("place") for r in routes for s in r["stops"]):
        return
    plan = store.get_plan(session, plan_id)
    job = session.get(Job, plan.job_id) if plan.job_id else None
    name_places(routes, job.request.get("scenario") if job is not None else None)


@router.get("/audit", response_model=AuditPage, dependencies=[coordinators],
            responses=responses(401, 403, 422), summary="Who read personal data, when",
            operation_id="read_audit_log", tags=["audit"])
def audit_log(session: SessionDep, username: str | None = None, resource: str | None = None,
              since: datetime | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> AuditPage:
    rows, total = audit.entries(session, username=username, resource=resource, since=since,
                                limit=limit, offset=offset)
    return AuditPage(items=[AuditPublic(at=r.at, username=r.username, action=r.action,
                                        resource=r.resource, detail=r.detail)
                           for r in rows],
                     total=total, limit=limit, offset=offset)
