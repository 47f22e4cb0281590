"""Master data and tasks: one router per kind, all alike.

`GET /{kind}` (filters, `?q=` search as one types, `limit`/`offset`), `POST /{kind}`
(201, `ETag`, `Location`), `GET /{kind}/{id}` (`ETag`), `PUT /{kind}/{id}` and
`DELETE /{kind}/{id}` (both need `If-Match` with the ETag read: 428 without, 412 when
someone changed it since).
Coordinators read and write; planners read what carries no personal data, and tasks
and trips in the planner's view (`api.app.privacy`: pseudonyms, homes as areas, no
notes; `?client=` takes a pseudonym). Every read of a record tied to a client by a
coordinator goes to the audit log.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime,
# and the resource schema of each router is a local variable.

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import BaseModel, create_model

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import MAX_OFFSET, ApiError, FieldError, etag, parse_if_match, responses
from api.app.geocoded import located
from api.app.privacy import audited, for_reader, is_planner, pseudonym_filter
from api.settings import Settings
from api.store import records
from api.store.promises import PromiseChange, keep_promise
from api.store.records import Filters, Kind
from api.store.tables import User
from api.store.users import Role

MAX_PAGE = 500
# Kinds a planner may read (clients carry names, addresses, phones, health notes).
PLANNER_READS = frozenset({"providers", "vehicles", "workers", "tasks", "trips"})
# Kinds whose every read goes to the audit log (as a read of the clients they name).
PERSONAL = frozenset({"clients", "tasks", "trips"})
# Kinds whose records carry a promise, which a plain write cannot change (api.store.promises).
PROMISING = frozenset({"tasks", "trips"})


def _page_model(kind: Kind) -> type[BaseModel]:
    schema: Any = kind.schema
    return create_model(f"{schema.__name__}Page", items=(list[schema], ...),
                        total=(int, ...), limit=(int, ...), offset=(int, ...))


def _client_of(kind: Kind, body: dict[str, Any]) -> str | None:
    return str(body["id"]) if kind.name == "clients" else body.get("client")


def router_for(kind: Kind) -> APIRouter:
    schema: Any = kind.schema
    page: Any = _page_model(kind)
    router = APIRouter(prefix=f"/{kind.name}", tags=[kind.name])
    readers = (Role.COORDINATOR, Role.PLANNER) if kind.name in PLANNER_READS else (
        Role.COORDINATOR,)
    read = Depends(require(*readers))
    write = Depends(require(Role.COORDINATOR))

    @router.get("", response_model=page, dependencies=[read],
                responses=responses(401, 403, 422),
                summary=f"List {kind.name}", operation_id=f"list_{kind.name}")
    def list_(session: SessionDep, user: Annotated[User, read],
              settings: Annotated[Settings, Depends(get_settings)],
              limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
              day_from: Annotated[date | None, Query(description="tasks, trips")] = None,
              day_to: Annotated[date | None, Query(description="tasks, trips")] = None,
              provider: Annotated[str | None, Query(description="workers")] = None,
              status: Annotated[str | None, Query(description="tasks, trips")] = None,
              client: Annotated[str | None, Query(
                  description="tasks, trips (a planner gives the pseudonym)")] = None,
              kind_: Annotated[str | None, Query(alias="kind",
                                                 description="tasks: visit or job")] = None,
              q: Annotated[str | None, Query(max_length=100, description=(
                  "search as one types: words found in a client's name, address or "
                  "phone (digits), a worker's name, base or skills, a vehicle's name, "
                  "a task's or trip's client, places or note; diacritics ignored; "
                  "a planner's search of tasks and trips looks at their ids"))] = None,
              ) -> Any:
        if client is not None and is_planner(user):
            client = pseudonym_filter(client, session, settings)
        rows, total = records.list_records(
            session, kind, Filters(day_from, day_to, provider, status, client, kind_, q),
            limit=limit, offset=offset, ids_only=is_planner(user) and kind.name in PERSONAL)
        if kind.name in PERSONAL:
            audited(session, user, [_client_of(kind, r.body) for r in rows])
        items = for_reader([r.body for r in rows], user, session, settings)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @router.post("", status_code=201, response_model=schema, dependencies=[write],
                 responses=responses(401, 403, 409, 422, body=True),
                 summary=f"Add a {kind.singular}", operation_id=f"create_{kind.singular}")
    def create(body: schema, session: SessionDep, response: Response,
               settings: Annotated[Settings, Depends(get_settings)]) -> Any:
        if getattr(body, "promise", None) is not None:
            raise ApiError(422, "promise: a promise is made by accepting an offer "
                                "(POST /offers/accept), not by adding a record",
                           errors=[FieldError(field="body.promise", value=None,
                                              message="made by accepting an offer")])
        row = records.create_record(session, kind, located(body, settings))
        session.commit()  # stored before the answer leaves
        response.headers["ETag"] = etag(row.version)
        response.headers["Location"] = f"/{kind.name}/{quote(row.id, safe='')}"
        return row.body

    @router.get("/{record_id}", response_model=schema, dependencies=[read],
                responses=responses(401, 403, 404, 422),
                summary=f"Read a {kind.singular}", operation_id=f"read_{kind.singular}")
    def read_one(record_id: str, session: SessionDep, response: Response,
                 user: Annotated[User, read],
                 settings: Annotated[Settings, Depends(get_settings)]) -> Any:
        row = records.get_record(session, kind, record_id)
        if kind.name in PERSONAL:
            audited(session, user, [_client_of(kind, row.body)])
        response.headers["ETag"] = etag(row.version)
        return for_reader(row.body, user, session, settings)

    @router.put("/{record_id}", response_model=schema, dependencies=[write],
                responses=responses(401, 403, 404, 412, 422, 428, body=True),
                summary=f"Replace a {kind.singular}", operation_id=f"replace_{kind.singular}")
    def replace(record_id: str, body: schema, session: SessionDep, response: Response,
                settings: Annotated[Settings, Depends(get_settings)],
                if_match: Annotated[str | None, Header()] = None) -> Any:
        version = parse_if_match(if_match)
        if body.id != record_id:
            raise ApiError(422, f"id: {body.id!r} differs from the path's {record_id!r} "
                                "(an id cannot change)")
        if kind.name in PROMISING:
            try:
                body = keep_promise(session, kind.name, record_id, body)
            except PromiseChange as exc:
                raise ApiError(422, str(exc), errors=[FieldError(
                    field="body.promise", value=None, message=str(exc))]) from None
        row = records.replace_record(session, kind, record_id, located(body, settings),
                                     version)
        session.commit()
        response.headers["ETag"] = etag(row.version)
        return row.body

    @router.delete("/{record_id}", status_code=204, dependencies=[write],
                   responses=responses(401, 403, 404, 409, 412, 422, 428),
                   summary=f"Delete a {kind.singular}", operation_id=f"delete_{kind.singular}")
    def delete(record_id: str, session: SessionDep,
               if_match: Annotated[str | None, Header()] = None) -> Response:
        records.delete_record(session, kind, record_id, parse_if_match(if_match))
        session.commit()
        return Response(status_code=204)

    return router
