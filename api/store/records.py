"""Master data and tasks in the database: create, read, list, replace, delete.

One `Kind` per resource says which table holds it, which schema validates it, which
columns the API filters on, and which fields point at other records. Writes check
those references and the version the caller last saw; a stale version is refused
(`VersionMismatch`), so two coordinators never overwrite each other silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from api.schemas.folding import matches
from api.schemas.records import (
    ClientResource,
    ProviderResource,
    TaskResource,
    TripResource,
    VehicleResource,
    WorkerResource,
)
from api.store import tables


class RecordError(Exception):
    """A write the store refuses; the message names the record and the field."""


class RecordNotFound(RecordError):
    pass


class RecordExists(RecordError):
    pass


class RecordInUse(RecordError):
    pass


class BadReference(RecordError):
    def __init__(self, field_name: str, value: object, message: str) -> None:
        super().__init__(message)
        self.field, self.value = field_name, value


class BadFilter(RecordError):
    def __init__(self, name: str, value: object, message: str) -> None:
        super().__init__(message)
        self.name, self.value = name, value


class VersionMismatch(RecordError):
    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Kind:
    name: str  # the API path segment: "clients"
    table: type[Any]
    schema: type[BaseModel]
    columns: Callable[[Any], dict[str, Any]] = lambda _r: {}
    # field of the resource -> the kind its value names
    references: dict[str, str] = field(default_factory=dict)
    filters: tuple[str, ...] = ()  # the `Filters` fields that apply to this kind
    kinds_in_table: tuple[str, ...] = ()  # several kinds share one table (tasks, trips)

    @property
    def singular(self) -> str:
        return self.name.removesuffix("s")


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("providers", tables.Provider, ProviderResource, lambda r: {"kind": r.kind}),
    Kind("clients", tables.Client, ClientResource),
    Kind("vehicles", tables.Vehicle, VehicleResource),
    Kind("workers", tables.Worker, WorkerResource, lambda r: {"provider_id": r.provider},
         references={"provider": "providers", "vehicle": "vehicles"}, filters=("provider",)),
    Kind("tasks", tables.Task, TaskResource,
         lambda r: {"kind": r.kind, "day": r.day, "client_id": r.client, "status": r.status,
                    "promised": r.promise is not None},
         references={"client": "clients"}, kinds_in_table=("visit", "job"),
         filters=("day_from", "day_to", "status", "client", "kind")),
    Kind("trips", tables.Task, TripResource,
         lambda r: {"kind": "trip", "day": r.day, "client_id": r.client, "status": r.status,
                    "promised": r.promise is not None},
         references={"client": "clients", "return_of": "trips"}, kinds_in_table=("trip",),
         filters=("day_from", "day_to", "status", "client")),
)}

# Who refers to whom: a record named here cannot be deleted while such rows exist.
DEPENDENTS: dict[str, list[tuple[str, Any, Callable[[str], Any]]]] = {
    "providers": [("workers", tables.Worker, lambda i: tables.Worker.provider_id == i)],
    "clients": [("tasks or trips", tables.Task, lambda i: tables.Task.client_id == i)],
    "workers": [("accounts", tables.User, lambda i: tables.User.worker_id == i)],
}


@dataclass(frozen=True)
class Filters:
    day_from: date | None = None
    day_to: date | None = None
    provider: str | None = None
    status: str | None = None
    client: str | None = None
    kind: str | None = None
    q: str | None = None  # every kind: see `searched_texts`


def _place_name(place: Any) -> str:
    return str(place.get("name", "")) if isinstance(place, dict) else ""


def searched_texts(kind_name: str, body: dict[str, Any], *, ids_only: bool = False
                   ) -> tuple[list[str], list[str]]:
    """The texts of a record `?q=` looks in, and its phone numbers (matched by digits):
    a client's name, address and phone; a worker's name, base and skills; a task's
    client, kind and note; a trip's client and places. `ids_only`: the record's id and
    nothing else (a planner's search of tasks and trips names no one)."""
    ident = [str(body.get("id", ""))]
    if ids_only:
        return ident, []
    texts = {
        "clients": [body.get("name", ""), body.get("address", "")],
        "workers": [body.get("name", ""), body.get("base_name", ""),
                    *body.get("skills", []), body.get("provider", "")],
        "tasks": [body.get("client", ""), body.get("kind", ""), body.get("note", "")],
        "trips": [body.get("client", ""), _place_name(body.get("pickup")),
                  _place_name(body.get("dropoff")), body.get("note", "")],
    }.get(kind_name, [body.get("name", "")])
    phones = [body.get("phone", "")] if kind_name == "clients" else []
    return ident + [str(t) for t in texts], phones


def _select(kind: Kind) -> Any:
    query = select(kind.table)
    if kind.kinds_in_table:
        query = query.where(kind.table.kind.in_(kind.kinds_in_table))
    return query


def list_records(session: Session, kind: Kind, filters: Filters, *, limit: int, offset: int,
                 ids_only: bool = False) -> tuple[Sequence[Any], int]:
    """One page of `kind`'s records in id order, and how many match in all. A search
    (`filters.q`) reads the kind's matching rows and keeps those `searched_texts`
    (`ids_only`: their ids) match: a town's records are thousands, not millions."""
    for name, value in dataclasses.asdict(filters).items():
        if value is not None and name != "q" and name not in kind.filters:
            raise BadFilter(name, value, f"{name}: {kind.name} cannot be filtered by {name} "
                                         f"(they can by: {', '.join(kind.filters) or 'nothing'})")
    query = _select(kind)
    table = kind.table
    if filters.day_from is not None:
        query = query.where(table.day >= filters.day_from)
    if filters.day_to is not None:
        query = query.where(table.day <= filters.day_to)
    if filters.provider is not None:
        query = query.where(table.provider_id == filters.provider)
    if filters.status is not None:
        query = query.where(table.status == filters.status)
    if filters.client is not None:
        query = query.where(table.client_id == filters.client)
    if filters.kind is not None:
        query = query.where(table.kind == filters.kind)
    if filters.q is not None and filters.q.strip():
        found = [row for row in session.scalars(query.order_by(table.id))
                 if matches(filters.q, *searched_texts(kind.name, row.body,
                                                       ids_only=ids_only))]
        return found[offset:offset + limit], len(found)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(table.id).limit(limit).offset(offset)).all()
    return rows, total


def get_record(session: Session, kind: Kind, record_id: str) -> Any:
    row = session.scalar(_select(kind).where(kind.table.id == record_id))
    if row is None:
        raise RecordNotFound(f"{kind.name}/{record_id}: no such {kind.singular}")
    return row


def get_records(session: Session, kind: Kind, record_ids: Sequence[str]) -> list[Any]:
    """The stored records among `record_ids`, in id order, in one query (ids that are not
    stored are left out)."""
    return list(session.scalars(_select(kind).where(kind.table.id.in_(record_ids))
                                .order_by(kind.table.id)))


def all_resources(session: Session, kind: Kind) -> list[Any]:
    return [kind.schema.model_validate(row.body)
            for row in session.scalars(_select(kind).order_by(kind.table.id))]


def _check_references(session: Session, kind: Kind, resource: BaseModel) -> None:
    for name, target in kind.references.items():
        value = getattr(resource, name)
        if value is None:
            continue
        other = KINDS[target]
        if session.scalar(select(func.count()).select_from(
                _select(other).where(other.table.id == value).subquery())) == 0:
            raise BadReference(name, value, f"{name}: {value!r} is not a stored "
                                            f"{other.singular}")


def create_record(session: Session, kind: Kind, resource: BaseModel) -> Any:
    record_id = resource.id  # type: ignore[attr-defined]
    if session.get(kind.table, record_id) is not None:
        raise RecordExists(f"{kind.name}/{record_id}: already exists (replace it with PUT "
                           "and its ETag)")
    _check_references(session, kind, resource)
    row = kind.table(id=record_id, body=resource.model_dump(mode="json"),
                     **kind.columns(resource))
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # stored by another request between our check and our write
        session.rollback()
        if session.get(kind.table, record_id) is None:
            raise  # another conflict (a reference deleted meanwhile): errors.py's 409
        raise RecordExists(f"{kind.name}/{record_id}: already exists (stored by another "
                           "request just now; replace it with PUT and its ETag)") from None
    return row


def create_records(session: Session, resources: Mapping[str, Sequence[BaseModel]]) -> int:
    """Create every record of `resources` (kind name -> records) or none: ids already
    stored are refused first, all of them named (`RecordExists`); then each record is
    created with its references checked (`BadReference`), an outbound trip before its
    return. The caller's transaction keeps all or nothing. Answers how many were made."""
    clashes = []
    for name, items in resources.items():
        kind = KINDS[name]
        ids = [item.id for item in items]  # type: ignore[attr-defined]
        stored = session.scalars(select(kind.table.id).where(kind.table.id.in_(ids))).all()
        clashes += [f"{name}/{record_id}" for record_id in sorted(stored)]
    if clashes:
        shown = ", ".join(clashes[:10]) + (f" and {len(clashes) - 10} more"
                                           if len(clashes) > 10 else "")
        raise RecordExists(f"{len(clashes)} record(s) already stored: {shown}")
    count = 0
    for name, items in resources.items():
        for item in outbound_first(items) if name == "trips" else items:
            try:
                create_record(session, KINDS[name], item)
            except BadReference as exc:
                raise BadReference(exc.field, exc.value,
                                   f"{name}/{item.id}: {exc}") from None  # type: ignore[attr-defined]
            count += 1
    return count


def outbound_first(trips: Sequence[BaseModel]) -> list[BaseModel]:
    """Trips ordered so that each comes after the trip it is the return of."""
    depth = return_depths(trips)
    return sorted(trips, key=lambda t: depth[t.id])  # type: ignore[attr-defined]


def return_depths(trips: Sequence[BaseModel]) -> dict[str, int]:
    """How many `return_of` steps lead from each trip to an outbound among `trips`."""
    outbound = {t.id: t.return_of for t in trips}  # type: ignore[attr-defined]
    depths = {}
    for trip_id in outbound:
        steps, seen, cursor = 0, {trip_id}, outbound[trip_id]
        while cursor in outbound and cursor not in seen:
            seen.add(cursor)
            steps, cursor = steps + 1, outbound[cursor]
        depths[trip_id] = steps
    return depths


def _expect(kind: Kind, row: Any, version: int) -> None:
    if row.version != version:
        raise VersionMismatch(f"{kind.name}/{row.id}: changed since version {version} "
                              f"(now version {row.version}); read it again", row.version)


def replace_record(session: Session, kind: Kind, record_id: str, resource: BaseModel,
                   version: int) -> Any:
    row = get_record(session, kind, record_id)
    _expect(kind, row, version)
    _check_references(session, kind, resource)
    row.body = resource.model_dump(mode="json")
    for column, value in kind.columns(resource).items():
        setattr(row, column, value)
    try:
        session.flush()
    except StaleDataError:  # changed between our read and our write
        session.rollback()
        raise VersionMismatch(f"{kind.name}/{record_id}: changed by someone else just now; "
                              "read it again", version + 1) from None
    return row


def delete_record(session: Session, kind: Kind, record_id: str, version: int) -> None:
    row = get_record(session, kind, record_id)
    _expect(kind, row, version)
    for what, table, condition in DEPENDENTS.get(kind.name, []):
        count = session.scalar(
            select(func.count()).select_from(table).where(condition(record_id))) or 0
        if count:
            raise RecordInUse(f"{kind.name}/{record_id}: {count} {what} still refer to it")
    session.delete(row)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise VersionMismatch(f"{kind.name}/{record_id}: changed by someone else just now; "
                              "read it again", version + 1) from None
