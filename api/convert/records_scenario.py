"""Stored records gathered into one scenario for a planning job (`scenario_from_records`):
the records of some days become a scenario document (`ScenarioIn`), so a stored plan and
a posted scenario go through the same pipeline. The scenario's location ids are the ids
the records remember, else derived from the record ids (`home:client-03`, `base:driver`,
`destination:ride-1`, `pickup:ride-1-back`); one id is one place, and two records giving
it different coordinates are refused (`RecordsError`). The records themselves are in
`api.schemas.records`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from api.schemas.records import (
    ClientResource,
    PlanningRequest,
    PromiseRecord,
    ProviderResource,
    RecordsError,
    TaskResource,
    TripResource,
    VehicleResource,
    WorkerResource,
)
from api.schemas.scenario import (
    ScenarioIn,
)


def home_id(client_id: str) -> str:
    return f"home:{client_id}"


def base_id(worker_id: str) -> str:
    return f"base:{worker_id}"


def destination_id(trip_id: str) -> str:
    return f"destination:{trip_id}"


def pickup_id(trip_id: str) -> str:
    return f"pickup:{trip_id}"


def _promised_first(item: TaskResource | TripResource) -> tuple[bool, str]:
    """Promised work first, in the order it was promised; the rest stays in stored order
    (the sort is stable)."""
    made = item.promise.at.isoformat() if item.promise and item.promise.at else ""
    return item.promise is None, made


def scenario_from_records(
        request: PlanningRequest, *, providers: Sequence[ProviderResource],
        clients: Sequence[ClientResource], vehicles: Sequence[VehicleResource],
        workers: Sequence[WorkerResource], tasks: Iterable[TaskResource],
        trips: Iterable[TripResource], network: dict[str, Any],
        familiar: dict[str, set[str]] | None = None) -> ScenarioIn:
    """The scenario of `request`'s days from the stored records (validated as any scenario).
    `familiar`: who served each client before (`api.services.familiar`), for
    `goals.familiar`.

    Tasks and trips are those of the days that are open (and listed, when the request
    lists some); clients appear only when a chosen task needs them."""
    last_day = request.first_day + timedelta(days=request.days - 1)
    chosen_ids = None if request.task_ids is None else set(request.task_ids)

    def wanted(item: TaskResource | TripResource) -> bool:
        job = isinstance(item, TaskResource) and item.kind == "job"
        until = (item.due_date or item.day) if job else item.day  # type: ignore[union-attr]
        return (item.status == "open" and item.day <= last_day and until >= request.first_day
                and (chosen_ids is None or item.id in chosen_ids))

    # Promised work in the order it was promised: packing promises in that order
    # repeats how the offers fitted them (`optimiser.offers.basis_plan`).
    visits = sorted((t for t in tasks if wanted(t)), key=_promised_first)
    rides = sorted((t for t in trips if wanted(t)), key=_promised_first)
    if chosen_ids is not None:
        missing = chosen_ids - {t.id for t in visits} - {t.id for t in rides}
        if missing:
            raise RecordsError(f"task_ids: {sorted(missing)} are not open tasks of "
                               f"{request.first_day}..{last_day}")
    staff = [w for w in workers if not w.retired
             and (request.worker_ids is None or w.id in set(request.worker_ids))]
    if request.worker_ids is not None:
        missing = set(request.worker_ids) - {w.id for w in staff}
        if missing:
            raise RecordsError(f"worker_ids: {sorted(missing)} are not stored workers "
                               "(or are retired)")
    by_client = {c.id: c for c in clients}
    needed = sorted({t.client for t in visits} | {t.client for t in rides})
    places = _Places()
    homes: dict[str, str] = {}
    for client_id in needed:
        client = by_client.get(client_id)
        if client is None:
            raise RecordsError(f"client: {client_id!r} is not a stored client")
        if client.lat is None or client.lon is None:
            raise RecordsError(f"clients/{client_id}: no coordinates for the home "
                               f"(address {client.address!r}); give lat and lon")
        homes[client_id] = places.add(client.home_location or home_id(client_id),
                                      client.address, client.lat, client.lon,
                                      f"clients/{client_id}")
    bases = {w.id: places.add(w.base_location or base_id(w.id), w.base_name, w.base_lat,
                              w.base_lon, f"workers/{w.id}") for w in staff}
    drops = {r.id: places.add(r.dropoff.id or destination_id(r.id), r.dropoff.name,
                              r.dropoff.lat, r.dropoff.lon, f"trips/{r.id}.dropoff")
             for r in rides}
    pickups = {r.id: _pickup(r, rides, drops, places) for r in rides}
    raw: dict[str, Any] = {
        "name": f"plan {request.first_day} +{request.days}d", "date": request.first_day,
        "days": request.days, "timezone": request.timezone, "network": network,
        "goals": request.goals, "rules": request.rules, "trip_rules": request.trip_rules,
        "locations": places.locations(),
        "providers": [p.model_dump() for p in providers],
        "clients": [{"id": c, "name": by_client[c].name, "location": homes[c],
                     "phone": by_client[c].phone, "mobility": by_client[c].mobility,
                     "escort": by_client[c].escort,
                     "refuses_workers": by_client[c].refuses_workers,
                     "requires": by_client[c].requires,
                     "prefers_workers": by_client[c].prefers_workers,
                     "familiar_workers": sorted((familiar or {}).get(c, ()))}
                    for c in needed],
        "vehicles": [v.model_dump() for v in vehicles],
        "workers": [_worker(w, bases[w.id]) for w in staff],
        "tasks": [_task(t, request) for t in visits],
        "trips": [_trip(r, pickups[r.id], drops[r.id]) for r in rides],
    }
    return ScenarioIn.model_validate(raw)


class _Places:
    """The scenario's locations gathered from records: one id, one place."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[dict[str, Any], str]] = {}

    def add(self, location_id: str, name: str, lat: float, lon: float, who: str) -> str:
        seen = self._by_id.get(location_id)
        if seen is None:
            self._by_id[location_id] = ({"id": location_id, "name": name, "lat": lat,
                                         "lon": lon}, who)
        elif (seen[0]["lat"], seen[0]["lon"]) != (lat, lon):
            raise RecordsError(f"{who}: location {location_id!r} at {lat},{lon} is not where "
                               f"{seen[1]} puts it ({seen[0]['lat']},{seen[0]['lon']}); one "
                               "id is one place")
        return location_id

    def locations(self) -> list[dict[str, Any]]:
        return [self._by_id[x][0] for x in sorted(self._by_id)]


def _pickup(r: TripResource, rides: list[TripResource], drops: dict[str, str],
            places: _Places) -> str | None:
    """The location id of `r`'s pickup (None: the client's home). A return's pickup
    without an id at its outbound's drop-off coordinates is that drop-off location."""
    if r.pickup is None:
        return None
    if r.pickup.id is None and r.return_of in drops:
        outbound = next(x for x in rides if x.id == r.return_of)
        if (outbound.dropoff.lat, outbound.dropoff.lon) == (r.pickup.lat, r.pickup.lon):
            return drops[outbound.id]
    return places.add(r.pickup.id or pickup_id(r.id), r.pickup.name, r.pickup.lat,
                      r.pickup.lon, f"trips/{r.id}.pickup")


def _worker(w: WorkerResource, base: str) -> dict[str, Any]:
    # A window without a day is part of the weekly pattern: every day.
    shifts = [x if x.day is not None else x.model_copy(update={"day": "daily"})
              for x in w.availability]
    return {"id": w.id, "name": w.name, "provider": w.provider, "skills": w.skills,
            "shifts": shifts, "absences": w.absences,
            "start_location": base, "max_work_min": w.max_work_min,
            "max_week_min": w.max_week_min, "vehicle": w.vehicle,
            "attributes": w.attributes}


def _task(t: TaskResource, request: PlanningRequest) -> dict[str, Any]:
    windows = [w if w.day is not None else w.model_copy(update={"day": t.day})
               for w in t.windows]
    out: dict[str, Any] = {"id": t.id, "kind": t.kind, "client": t.client,
                           "duration_min": t.duration_min, "windows": windows,
                           "skills": t.skills, "priority": t.priority,
                           "mandatory": t.mandatory, "series": t.series, "note": t.note,
                           "promise": _promise(t.promise, t.day)}
    if t.kind == "job":
        out["release_date"] = t.day
        last_day = request.first_day + timedelta(days=request.days - 1)
        out["due_date"] = min(t.due_date or t.day, last_day)
    return out


def _trip(r: TripResource, pickup: str | None, dropoff: str) -> dict[str, Any]:
    return {"id": r.id, "client": r.client, "pickup": pickup, "dropoff": dropoff, "day": r.day,
            "pickup_window": r.pickup_window, "arrive_by": r.arrive_by,
            "passengers": r.passengers, "max_ride_min": r.max_ride_min,
            "return_of": r.return_of, "appointment_min": r.appointment_min,
            "priority": r.priority, "mandatory": r.mandatory, "note": r.note,
            "promise": _promise(r.promise, None)}


def _promise(promise: PromiseRecord | None, day: date | None) -> dict[str, Any] | None:
    """A stored promise as the scenario's window on the task's day (a trip's: on the
    trip's own day, so None): the scenario's
    `to_problem` makes the task promised (`optimiser.promises.promised`), so every plan,
    re-plan and week plan from records keeps it."""
    if promise is None:
        return None
    return {"start": promise.start, "end": promise.end, "day": day}
