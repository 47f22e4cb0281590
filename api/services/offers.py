"""Offers of times that will be kept: a request's windows found in the stored records
(`find`), signed as tokens, and an accepted one stored with its promise (`accept`).

`find` works against the days' basis (`api.services.offer_problem`) and asks the offer
engine (`optimiser.offers.find_offers`) for the best few windows: no promise broken, no
served work dropped. Each offer carries a token signed with the server's key: what was
asked, the ids the new records will have, and the windows offered. `accept` checks the
token, then under the publishing lock (`api.store.plans.lock_plans`: one accept or
publish at a time) stores the records with their promise and asks the engine again with
the current promises and plan: when the slot is gone (another coordinator accepted it
first), nothing is stored and the caller gets fresh offers (`SlotTaken`)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import jwt
from sqlalchemy.orm import Session

from api.convert.offer_request import (
    accepted_records,
    new_ids,
    stored_id,
    with_request,
)
from api.render.overview import REASON_PL
from api.schemas.offers import (
    Accepted,
    OfferedWindow,
    OfferOut,
    OfferRequest,
    OffersAnswer,
)
from api.schemas.records import ClientResource, Place, PromiseRecord, TaskResource, TripResource
from api.security import secret_key
from api.services.offer_packings import carry_over, last_plan, remember
from api.services.offer_problem import (
    basis_of,
    basis_plan,
    day_search,
    horizon_scenario,
    prepared_problem,
    stored_homes,
)
from api.settings import Settings
from api.store import audit, plans, records
from api.store.promises import ACTION_MADE, ACTION_MOVED, promise_of
from api.store.records import RecordError, RecordNotFound
from optimiser.model import Plan, Problem
from optimiser.offers import Offer, OfferSettings, find_offers, why_no_offer

TOKEN_AUDIENCE = "trasa-offer"
TOKEN_MINUTES = 30
STEP_S = 900


class BadOffer(RecordError):
    """A request or token that cannot be offered or accepted: `field` names what."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SlotTaken(RecordError):
    """The offered slot is no longer possible; `fresh` holds new offers."""

    def __init__(self, message: str, fresh: OffersAnswer) -> None:
        super().__init__(message)
        self.fresh = fresh


@dataclass(frozen=True)
class Query:
    """A request read against the records: who it is for and the task it moves."""

    request: OfferRequest
    client_id: str
    base: str
    home: Place | None  # a new client's home


def read_query(session: Session, request: OfferRequest, base: str | None = None) -> Query:
    """The request with its client and its new ids (`base`: kept from a token)."""
    if request.moves is not None:
        request = _as_move(session, request)
        return Query(request, str(request.client), request.moves or "", None)
    base = base or f"offer-{secrets.token_hex(4)}"
    if request.new_client is not None:
        c = request.new_client
        return Query(request, f"client-{base.removeprefix('offer-')}", base,
                     Place(name=c.address, lat=c.lat, lon=c.lon))
    try:
        records.get_record(session, records.KINDS["clients"], str(request.client))
    except RecordNotFound:
        raise BadOffer("client", f"client: {request.client!r} is not a stored client") from None
    return Query(request, str(request.client), base, None)


def _as_move(session: Session, request: OfferRequest) -> OfferRequest:
    """A move's request: the stored task's own kind, client, length and places, with
    the caller's new wishes."""
    row = None
    for kind in ("tasks", "trips"):
        try:
            row = records.get_record(session, records.KINDS[kind], str(request.moves))
            break
        except RecordNotFound:
            continue
    if row is None or row.status != "open":
        raise BadOffer("moves", f"moves: {request.moves!r} is not an open task or trip")
    body = row.body
    if row.kind == "trip":
        trip = TripResource.model_validate(body)
        return request.model_copy(update={
            "kind": "trip", "client": trip.client, "new_client": None, "dropoff": trip.dropoff,
            "pickup": trip.pickup, "arrive_by": request.arrive_by or trip.arrive_by,
            "passengers": trip.passengers, "with_return": False, "days": 1})
    task = TaskResource.model_validate(body)
    if task.series is not None:
        raise BadOffer("moves", f"moves: {task.id!r} is a series; move its visits one by one")
    return request.model_copy(update={
        "kind": task.kind, "client": task.client, "new_client": None,
        "duration_min": task.duration_min, "skills": task.skills})


def find(session: Session, settings: Settings, request: OfferRequest, *,
         names: bool) -> OffersAnswer:
    """The best few offers for `request` (see the module's note); `names`: with the
    workers' names (coordinators)."""
    query = read_query(session, request)
    return _offers(session, settings, query, names=names)


def _offers(session: Session, settings: Settings, query: Query, *, names: bool
            ) -> OffersAnswer:
    request = query.request
    basis = basis_of(session, request.first_day, request.days)
    leave_out = frozenset({query.base}) if request.moves else frozenset()
    scenario = horizon_scenario(session, settings, request.first_day, request.days, basis,
                                leave_out=leave_out)
    client_name = request.new_client.name if request.new_client else ""
    stored = None if request.new_client is not None else ClientResource.model_validate(
        records.get_record(session, records.KINDS["clients"], query.client_id).body)
    home = query.home if stored is None else _home(stored)  # a new caller's, else stored
    # the caller's wish for this request, else the first worker the client prefers
    preferred = request.preferred_worker or next(
        iter(stored.prefers_workers if stored is not None else ()), None)
    try:
        full = with_request(scenario, request, query.base, query.client_id,
                            client_name=client_name, home=home)
    except ValueError as exc:
        raise BadOffer("client", str(exc)) from None
    problem = prepared_problem(full, settings.graph, stored_homes(session))
    ids = tuple(new_ids(request, query.base))
    start = basis_plan(problem, basis, without=frozenset(ids))
    if basis.document is None:
        start = last_plan(session, problem, request.first_day, request.days)
    found = find_offers(problem, start, ids,
                        _settings(request, settings),
                        preferred_worker=preferred,
                        preferred_start_s=_preferred(problem, request),
                        movable=basis.document is None, planner=day_search)
    offers = [offer_out(problem, request, query.base, query.client_id, basis.kind, k + 1, o,
                        names, settings) for k, o in enumerate(keeping(problem, found))]
    return OffersAnswer(basis=basis.kind, basis_plan=basis.plan_id,  # type: ignore[arg-type]
                        client=query.client_id, offers=offers,
                        **({} if offers else why_none(problem, start, ids)))


def why_none(problem: Problem, start: Plan | None, ids: tuple[str, ...]) -> dict[str, str]:
    """An answer's `reason` (code) and `why` (words) when it has no offer."""
    reason = why_no_offer(problem, start, ids)
    return {"reason": reason.value, "why": REASON_PL[reason]}


def keeping(problem: Problem, found: tuple[Offer, ...]) -> tuple[Offer, ...]:
    """The offers whose plan serves every promised task of `problem` (an offer that would
    leave a promise out is no offer: a promise already made comes first)."""
    promised = {t.id for t in problem.tasks if t.promise is not None}
    return tuple(o for o in found
                 if promised <= {s.task_id for r in o.plan.routes for s in r.stops})


def _home(client: ClientResource) -> Place | None:
    if client.lat is None or client.lon is None:
        raise BadOffer("client", f"client: {client.id!r} has no coordinates for the home")
    return Place(id=client.home_location or f"home:{client.id}", name=client.address,
                 lat=client.lat, lon=client.lon)


def _stored_home(session: Session, client_id: str) -> Place | None:
    row = records.get_record(session, records.KINDS["clients"], client_id)
    return _home(ClientResource.model_validate(row.body))


def _settings(request: OfferRequest, settings: Settings) -> OfferSettings:
    return OfferSettings(count=request.count or settings.offer_count,
                         window_s=(request.window_min or settings.offer_window_min) * 60,
                         step_s=STEP_S)


def _preferred(problem: Problem, request: OfferRequest) -> int | None:
    if request.preferred_time is None:
        return None
    h, m = (int(x) for x in request.preferred_time.split(":"))
    return problem.calendar.at(request.first_day, h, m)


def _windows(problem: Problem, offer: Offer) -> list[OfferedWindow]:
    cal = problem.calendar
    return [OfferedWindow(task=task_id, day=cal.date_of(w.start_s), start=cal.hhmm(w.start_s),
                          end=cal.hhmm(w.end_s)) for task_id, w in offer.promises]


def offer_out(problem: Problem, request: OfferRequest, base: str, client_id: str,
              basis: str, rank: int, offer: Offer, names: bool, settings: Settings
              ) -> OfferOut:
    """An engine's offer as the answer shows it, with its signed token."""
    windows = _windows(problem, offer)
    worker = next((w for w in problem.workers if w.id == offer.worker_id), None)
    payload = {"aud": TOKEN_AUDIENCE, "exp": int(time.time()) + TOKEN_MINUTES * 60,
               "request": request.model_dump(mode="json", exclude_none=True),
               "base": base, "client": client_id, "basis": basis,
               "worker": offer.worker_id,
               "windows": [w.model_dump(mode="json") for w in windows]}
    token = jwt.encode(payload, secret_key(settings), algorithm="HS256")
    return OfferOut(rank=rank, day=windows[0].day, windows=windows, worker=offer.worker_id,
                    worker_name=worker.name if names and worker is not None else None,
                    vehicle=offer.vehicle_id, added_travel_min=round(offer.added_travel_s / 60),
                    token=token)


def read_token(token: str, settings: Settings) -> dict[str, Any]:
    try:
        return jwt.decode(token, secret_key(settings), algorithms=["HS256"],
                          audience=TOKEN_AUDIENCE)
    except jwt.ExpiredSignatureError:
        raise BadOffer("token", "token: the offer has expired; ask for offers again") from None
    except jwt.PyJWTError:
        raise BadOffer("token", "token: not an offer this server made") from None


def accept(session: Session, settings: Settings, token: str, username: str, *,
           names: bool, reason: str = "") -> Accepted:
    """Store an offer's task(s) with their promise (see the module's note); the caller
    commits. `SlotTaken` (nothing stored) when the slot is gone; a move replaces the
    stored task's promise (`reason` in the audit log)."""
    return accept_payload(session, settings, read_token(token, settings), username,
                          names=names, reason=reason)


def accept_payload(session: Session, settings: Settings, payload: dict[str, Any],
                   username: str, *, names: bool, reason: str = "") -> Accepted:
    """`accept` of a token's payload (a move by `PUT .../promise` makes its own)."""
    request = OfferRequest.model_validate(payload["request"])
    windows = [OfferedWindow.model_validate(w) for w in payload["windows"]]
    query = read_query(session, request, payload["base"])
    plans.lock_plans(session)
    promise = promise_of("00:00", "00:00", username)
    home = query.home or (None if request.kind != "trip" or request.new_client is not None
                          else _stored_home(session, query.client_id))
    made = accepted_records(request, query.base, query.client_id, windows, promise, home=home)
    try:
        if request.moves is not None:
            _store_move(session, made, username, reason)
        else:
            _store_new(session, query, made, username)
        session.flush()
        basis = basis_of(session, request.first_day, request.days)
        scenario = horizon_scenario(session, settings, request.first_day, request.days, basis)
        problem = prepared_problem(scenario, settings.graph, stored_homes(session))
        ids = [t.id for t in problem.tasks if stored_id(t.id) in {r.id for r in made}
               or t.id in {r.id for r in made}]
        again = OfferSettings(count=1, window_s=_settings(request, settings).window_s,
                              step_s=STEP_S)
        start = basis_plan(problem, basis, without=frozenset(ids))
        if basis.document is None:
            start = last_plan(session, problem, request.first_day, request.days,
                               frozenset(ids))
        found = keeping(problem, find_offers(
            problem, start, tuple(ids), again, movable=basis.document is None,
            planner=day_search)) if ids else ()
    except RecordError as exc:
        session.rollback()
        raise SlotTaken(f"token: {exc}", _fresh(session, settings, query, names)) from None
    if found and basis.document is None:
        remember(session, problem, request.first_day, request.days, found[0].plan)
        carry_over(session, settings, request.first_day, request.days)
    if not found:
        session.rollback()
        raise SlotTaken("token: the offered window is no longer possible (accepted by "
                        "someone else, or the plan changed); here are fresh offers",
                        _fresh(session, settings, query, names))
    return Accepted(tasks=windows, client=query.client_id, worker=found[0].worker_id)


def _fresh(session: Session, settings: Settings, query: Query, names: bool) -> OffersAnswer:
    """Fresh offers after a refused accept, read in a session of their own (the caller's
    transaction is rolled back, and may be a context that cannot begin again)."""
    with Session(bind=session.get_bind()) as fresh:
        return _offers(fresh, settings, query, names=names)


def _store_new(session: Session, query: Query, made: list[TaskResource | TripResource],
               username: str) -> None:
    request = query.request
    if request.new_client is not None:
        c = request.new_client
        records.create_record(session, records.KINDS["clients"], ClientResource(
            id=query.client_id, name=c.name, phone=c.phone, address=c.address, lat=c.lat,
            lon=c.lon, mobility=c.mobility))
    kind = records.KINDS["trips" if request.kind == "trip" else "tasks"]
    for item in made:
        records.create_record(session, kind, item)
        audit.record(session, username, ACTION_MADE, f"{kind.name}/{item.id}",
                     detail=f"{item.promise.start}-{item.promise.end}" if item.promise else None)


def _store_move(session: Session, made: list[TaskResource | TripResource], username: str,
                reason: str) -> None:
    item = made[0]
    kind = records.KINDS["trips" if isinstance(item, TripResource) else "tasks"]
    row = records.get_record(session, kind, item.id)
    old = kind.schema.model_validate(row.body)
    update: dict[str, Any] = {"day": item.day, "promise": item.promise}
    if isinstance(item, TaskResource):
        update["windows"] = item.windows
    records.replace_record(session, kind, item.id, old.model_copy(update=update), row.version)
    was = row.body.get("promise") or {}
    now = item.promise or PromiseRecord(start="00:00", end="00:00")
    audit.record(session, username, ACTION_MOVED, f"{kind.name}/{item.id}",
                 detail=f"{was.get('start')}-{was.get('end')} -> {now.start}-{now.end} on "
                        f"{item.day}" + (f": {reason}" if reason else ""))


def moved_day(payload: dict[str, Any]) -> date:
    return date.fromisoformat(payload["windows"][0]["day"])
