"""An offer request (`api.schemas.offers`) as scenario tasks and trips, and an accepted
offer as stored records.

The request's tasks enter the scenario with the caller's wishes as their windows (a
week's window without a day is every day's); the engine (`optimiser.offers`) then finds
windows inside them. A series is the scenario's series (its sessions `ID#1`...), stored
once accepted as one visit per session (`ID-s1`...), each with its promise. A trip with
its return is two trips: the return (`ID-back`) picked up at the drop-off after the
appointment, back to where the outbound started."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from api.schemas.offers import OfferedWindow, OfferRequest
from api.schemas.records import Place, PromiseRecord, TaskResource, TripResource
from api.schemas.scenario import ScenarioIn, WindowIn

WHOLE_DAY = ("00:00", "23:59")


def new_ids(request: OfferRequest, base: str) -> list[str]:
    """The ids the engine offers windows for (the problem's task ids)."""
    if request.kind == "series":
        return [f"{base}#{k + 1}" for k in range(request.sessions)]
    if request.kind == "trip" and request.with_return:
        return [base, f"{base}-back"]
    return [base]


def stored_id(task_id: str) -> str:
    """A series session's record id: `ID#2` -> `ID-s2` (a record id is a path segment)."""
    base, hash_, k = task_id.rpartition("#")
    return f"{base}-s{k}" if hash_ else task_id


def _wishes(request: OfferRequest) -> list[WindowIn]:
    windows = request.windows or [WindowIn(start=WHOLE_DAY[0], end=WHOLE_DAY[1],
                                           day="daily")]
    if request.days == 1:
        return [w.model_copy(update={"day": request.first_day})
                if w.day in (None, "daily") else w for w in windows]
    return [w.model_copy(update={"day": "daily"}) if w.day is None else w for w in windows]


def with_request(scenario: ScenarioIn, request: OfferRequest, base: str, client_id: str, *,
                 client_name: str = "", home: Place | None = None) -> ScenarioIn:
    """`scenario` with the request's tasks (`base` their id) for `client_id` added; a new
    client (`home`: the place) is added too. Places of a trip are added as locations."""
    raw = scenario.model_dump(mode="json", exclude_none=True)
    places = {x["id"]: x for x in raw["locations"]}
    clients = {c["id"]: c for c in raw["clients"]}

    def place(p: Place, default: str) -> str:
        location_id = p.id or default
        places.setdefault(location_id, {"id": location_id, "name": p.name, "lat": p.lat,
                                        "lon": p.lon})
        return location_id

    if client_id not in clients:
        if home is None:
            raise ValueError(f"client: {client_id!r} has no home to plan from")
        clients[client_id] = {"id": client_id, "name": client_name,
                              "location": place(home, f"home:{client_id}")}
    home_id = clients[client_id]["location"]
    if request.kind == "trip":
        raw["trips"] = [*raw["trips"], *_trips(request, base, client_id, home_id, place)]
    else:
        raw["tasks"] = [*raw["tasks"], _task(request, base, client_id)]
    raw["locations"], raw["clients"] = list(places.values()), list(clients.values())
    return ScenarioIn.model_validate(raw)


def _task(request: OfferRequest, base: str, client_id: str) -> dict[str, Any]:
    last = request.first_day + timedelta(days=request.days - 1)
    out: dict[str, Any] = {
        "id": base, "kind": "job" if request.kind == "job" else "visit", "client": client_id,
        "duration_min": request.duration_min,
        "windows": [w.model_dump(mode="json") for w in _wishes(request)],
        "skills": request.skills, "priority": request.priority, "note": request.note}
    if request.kind == "job":
        out["release_date"], out["due_date"] = request.first_day.isoformat(), last.isoformat()
    if request.kind == "series":
        out["series"] = {"sessions": request.sessions, "min_gap_days": request.min_gap_days}
    return out


def _trips(request: OfferRequest, base: str, client_id: str, home_id: str,
           place: Any) -> list[dict[str, Any]]:
    assert request.dropoff is not None  # the request's validator
    dropoff = place(request.dropoff, f"destination:{base}")
    pickup = None if request.pickup is None else place(request.pickup, f"pickup:{base}")
    wish = next((w for w in request.windows), None)
    out: dict[str, Any] = {
        "id": base, "client": client_id, "pickup": pickup, "dropoff": dropoff,
        "day": request.first_day.isoformat(), "arrive_by": request.arrive_by,
        "passengers": request.passengers.model_dump(), "priority": request.priority,
        "note": request.note,
        "pickup_window": None if wish is None else {"start": wish.start, "end": wish.end}}
    trips = [out]
    if request.with_return:
        trips.append({"id": f"{base}-back", "client": client_id, "pickup": dropoff,
                      "dropoff": pickup or home_id, "day": request.first_day.isoformat(),
                      "return_of": base, "appointment_min": request.appointment_min,
                      "passengers": request.passengers.model_dump(),
                      "priority": request.priority})
    return [{k: v for k, v in t.items() if v is not None} for t in trips]


def accepted_records(request: OfferRequest, base: str, client_id: str,
                     windows: list[OfferedWindow], promise: PromiseRecord, *,
                     home: Place | None = None) -> list[TaskResource | TripResource]:
    """The records an accepted offer stores: each new task on its offered day, its
    windows the promise (and the service after it), with its promise (`promise`'s who
    and when; each its own window). `home`: the client's home, where a return ends
    when the outbound started there."""
    by_task = {w.task: w for w in windows}
    out: list[TaskResource | TripResource] = []
    if request.kind == "trip":
        assert request.dropoff is not None
        for task_id, w in by_task.items():
            back = task_id.endswith("-back") and task_id != base
            mine = promise.model_copy(update={"start": w.start, "end": w.end})
            out.append(TripResource(
                id=task_id, client=client_id, day=w.day,
                pickup=request.dropoff if back else request.pickup,
                dropoff=(request.pickup or home or _home_place(request)) if back
                else request.dropoff,
                arrive_by=None if back else request.arrive_by,
                passengers=request.passengers, return_of=base if back else None,
                appointment_min=request.appointment_min if back else 0,
                priority=request.priority, note=request.note, promise=mine))
        return out
    for task_id, w in by_task.items():
        end = _after(w.end, request.duration_min)
        out.append(TaskResource(
            id=stored_id(task_id), kind="job" if request.kind == "job" else "visit",
            client=client_id, day=w.day, duration_min=request.duration_min,
            windows=[WindowIn(start=w.start, end=end)], skills=request.skills,
            priority=request.priority, due_date=w.day if request.kind == "job" else None,
            note=request.note,
            promise=promise.model_copy(update={"start": w.start, "end": w.end})))
    return out


def _home_place(request: OfferRequest) -> Place:
    """A return's drop-off when the outbound started at home: the new client's home (a
    stored client's is filled by the service, which knows it)."""
    if request.new_client is None:
        raise ValueError("pickup: give the client's home as `pickup` for a return")
    c = request.new_client
    return Place(name=c.address, lat=c.lat, lon=c.lon)


def _after(hhmm: str, minutes: int) -> str:
    """HH:MM `minutes` later, at most 23:59 (a window ends on its day)."""
    h, m = (int(x) for x in hhmm.split(":"))
    total = min(h * 60 + m + minutes, 23 * 60 + 59)
    return f"{total // 60:02d}:{total % 60:02d}"


def days_of(first_day: date, days: int) -> tuple[date, date]:
    return first_day, first_day + timedelta(days=days - 1)
