"""The API's stored resources (pydantic) and how a set of them becomes a scenario.

A coordinator keeps providers, clients, workers, vehicles and tasks (visits, jobs,
trips: the coordinators' requests) as separate records; a planning job for some days
gathers them into one scenario document (`api.formats.scenario_schema.ScenarioIn`),
so a stored plan and a posted scenario go through the same pipeline. Places are
coordinates here (a client's home, a worker's base, a trip's destination); the
scenario's location ids are derived from the record ids.

Nothing here knows HTTP or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.formats.scenario_schema import (
    AbsenceIn,
    GoalsIn,
    Id,
    Minutes,
    PassengersIn,
    RulesIn,
    ScenarioIn,
    SeriesIn,
    TripRulesIn,
    WindowIn,
)
from optimiser.calendar import DEFAULT_TIMEZONE, MAX_DAYS

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Priority = Literal["low", "normal", "high", "urgent"]
TaskStatus = Literal["open", "cancelled"]


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProviderResource(Resource):
    id: Id
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["cus", "pes"]


class ClientResource(Resource):
    """A person served. `health_note` is restricted: coordinators only."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=40)
    lat: Latitude | None = None
    lon: Longitude | None = None
    mobility: Literal["walks", "seated", "wheelchair"] = "walks"
    escort: bool = False
    health_note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _both_or_neither(self) -> ClientResource:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon: give both coordinates or neither")
        return self


class VehicleResource(Resource):
    id: Id
    name: str = ""
    seats: int = Field(ge=0, le=100)
    wheelchair_places: int = Field(default=0, ge=0, le=20)


class WorkerResource(Resource):
    """A worker: `availability` is the weekly pattern (`day`: a weekday, or `daily`, the
    default) plus dated windows (`day`: a date); `absences` take whole days out."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    provider: Id
    skills: list[Id] = []
    availability: list[WindowIn] = []
    absences: list[AbsenceIn] = []
    base_name: str = ""
    base_lat: Latitude
    base_lon: Longitude
    max_work_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    max_week_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    vehicle: Id | None = None


class TaskResource(Resource):
    """A visit or a handyman job at a client's home on `day`; windows are HH:MM that day."""

    id: Id
    kind: Literal["visit", "job"]
    client: Id
    day: date
    duration_min: Minutes
    windows: list[WindowIn] = Field(min_length=1)
    skills: list[Id] = []
    priority: Priority = "normal"
    mandatory: bool = False
    series: SeriesIn | None = None
    due_date: date | None = None  # a job: done by the end of this day (default: `day`)
    note: str = Field(default="", max_length=500)  # for the worker: what to bring
    status: TaskStatus = "open"


class Place(Resource):
    name: str = ""
    lat: Latitude
    lon: Longitude


class TripResource(Resource):
    """A bus ride from the client's home to `dropoff` on `day` (and its return, if any)."""

    id: Id
    client: Id
    day: date
    dropoff: Place
    pickup_window: WindowIn | None = None
    arrive_by: str | None = None
    passengers: PassengersIn = PassengersIn()
    max_ride_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = None
    return_of: Id | None = None
    appointment_min: Minutes = 0
    priority: Priority = "normal"
    mandatory: bool = False
    note: str = Field(default="", max_length=500)
    status: TaskStatus = "open"


class PlanningRequest(Resource):
    """What to plan from the stored records: days, and optionally a subset."""

    first_day: date
    days: int = Field(default=1, ge=1, le=MAX_DAYS)
    task_ids: list[Id] | None = None  # default: every open task of those days
    worker_ids: list[Id] | None = None  # default: every worker
    timezone: str = DEFAULT_TIMEZONE
    goals: GoalsIn = GoalsIn()
    rules: RulesIn = RulesIn()
    trip_rules: TripRulesIn = TripRulesIn()


def home_id(client_id: str) -> str:
    return f"home:{client_id}"


def base_id(worker_id: str) -> str:
    return f"base:{worker_id}"


def destination_id(trip_id: str) -> str:
    return f"destination:{trip_id}"


class RecordsError(ValueError):
    """Stored records that cannot be planned together; the message names record and field."""


def scenario_from_records(
        request: PlanningRequest, *, providers: Sequence[ProviderResource],
        clients: Sequence[ClientResource], vehicles: Sequence[VehicleResource],
        workers: Sequence[WorkerResource], tasks: Iterable[TaskResource],
        trips: Iterable[TripResource], network: dict[str, Any]) -> ScenarioIn:
    """The scenario of `request`'s days from the stored records (validated as any scenario).

    Tasks and trips are those of the days that are open (and listed, when the request
    lists some); clients appear only when a chosen task needs them."""
    last_day = request.first_day + timedelta(days=request.days - 1)
    chosen_ids = None if request.task_ids is None else set(request.task_ids)

    def wanted(item: TaskResource | TripResource) -> bool:
        return (item.status == "open" and request.first_day <= item.day <= last_day
                and (chosen_ids is None or item.id in chosen_ids))

    visits = [t for t in tasks if wanted(t)]
    rides = [t for t in trips if wanted(t)]
    if chosen_ids is not None:
        missing = chosen_ids - {t.id for t in visits} - {t.id for t in rides}
        if missing:
            raise RecordsError(f"task_ids: {sorted(missing)} are not open tasks of "
                               f"{request.first_day}..{last_day}")
    staff = [w for w in workers
             if request.worker_ids is None or w.id in set(request.worker_ids)]
    if request.worker_ids is not None:
        missing = set(request.worker_ids) - {w.id for w in staff}
        if missing:
            raise RecordsError(f"worker_ids: {sorted(missing)} are not stored workers")
    by_client = {c.id: c for c in clients}
    needed = sorted({t.client for t in visits} | {t.client for t in rides})
    locations: list[dict[str, Any]] = []
    for client_id in needed:
        client = by_client.get(client_id)
        if client is None:
            raise RecordsError(f"client: {client_id!r} is not a stored client")
        if client.lat is None or client.lon is None:
            raise RecordsError(f"clients/{client_id}: no coordinates for the home "
                               f"(address {client.address!r}); give lat and lon")
        locations.append({"id": home_id(client_id), "name": client.address,
                          "lat": client.lat, "lon": client.lon})
    locations += [{"id": base_id(w.id), "name": w.base_name, "lat": w.base_lat,
                   "lon": w.base_lon} for w in staff]
    locations += [{"id": destination_id(r.id), "name": r.dropoff.name, "lat": r.dropoff.lat,
                   "lon": r.dropoff.lon} for r in rides]
    raw: dict[str, Any] = {
        "name": f"plan {request.first_day} +{request.days}d", "date": request.first_day,
        "days": request.days, "timezone": request.timezone, "network": network,
        "goals": request.goals, "rules": request.rules, "trip_rules": request.trip_rules,
        "locations": locations,
        "providers": [p.model_dump() for p in providers],
        "clients": [{"id": c, "name": by_client[c].name, "location": home_id(c),
                     "phone": by_client[c].phone, "mobility": by_client[c].mobility,
                     "escort": by_client[c].escort}
                    for c in needed],
        "vehicles": [v.model_dump() for v in vehicles],
        "workers": [_worker(w) for w in staff],
        "tasks": [_task(t, request) for t in visits],
        "trips": [_trip(r) for r in rides],
    }
    return ScenarioIn.model_validate(raw)


def _worker(w: WorkerResource) -> dict[str, Any]:
    # A window without a day is part of the weekly pattern: every day.
    shifts = [x if x.day is not None else x.model_copy(update={"day": "daily"})
              for x in w.availability]
    return {"id": w.id, "name": w.name, "provider": w.provider, "skills": w.skills,
            "shifts": shifts, "absences": w.absences,
            "start_location": base_id(w.id), "max_work_min": w.max_work_min,
            "max_week_min": w.max_week_min, "vehicle": w.vehicle}


def _task(t: TaskResource, request: PlanningRequest) -> dict[str, Any]:
    windows = [w if w.day is not None else w.model_copy(update={"day": t.day})
               for w in t.windows]
    out: dict[str, Any] = {"id": t.id, "kind": t.kind, "client": t.client,
                           "duration_min": t.duration_min, "windows": windows,
                           "skills": t.skills, "priority": t.priority,
                           "mandatory": t.mandatory, "series": t.series, "note": t.note}
    if t.kind == "job":
        out["release_date"] = t.day
        last_day = request.first_day + timedelta(days=request.days - 1)
        out["due_date"] = min(t.due_date or t.day, last_day)
    return out


def _trip(r: TripResource) -> dict[str, Any]:
    return {"id": r.id, "client": r.client, "dropoff": destination_id(r.id), "day": r.day,
            "pickup_window": r.pickup_window, "arrive_by": r.arrive_by,
            "passengers": r.passengers, "max_ride_min": r.max_ride_min,
            "return_of": r.return_of, "appointment_min": r.appointment_min,
            "priority": r.priority, "mandatory": r.mandatory, "note": r.note}


def records_from_scenario(scenario: ScenarioIn) -> dict[str, list[Resource]]:
    """A scenario's master data and tasks as stored records (e.g. the demo for `trasa
    serve --demo`): places become coordinates, a task names its client."""
    places = {x.id: x for x in scenario.locations}
    clients = {c.id: c for c in scenario.clients}
    out: dict[str, list[Resource]] = {
        "providers": [ProviderResource(id=p.id, name=p.name, kind=p.kind)
                      for p in scenario.providers],
        "clients": [ClientResource(id=c.id, name=c.name or c.id,
                                   address=places[c.location].name,
                                   lat=places[c.location].lat, lon=places[c.location].lon,
                                   phone=c.phone, mobility=c.mobility, escort=c.escort,
                                   health_note=c.health_note)
                    for c in scenario.clients],
        "vehicles": [VehicleResource(**v.model_dump()) for v in scenario.vehicles],
        "workers": [WorkerResource(
            id=w.id, name=w.name or w.id, provider=w.provider, skills=w.skills,
            availability=w.shifts, absences=w.absences,
            base_name=places[w.start_location].name, base_lat=places[w.start_location].lat,
            base_lon=places[w.start_location].lon, max_work_min=w.max_work_min,
            max_week_min=w.max_week_min, vehicle=w.vehicle) for w in scenario.workers],
        "tasks": [], "trips": [],
    }
    for t in scenario.tasks:
        if t.client is None or t.client not in clients:
            raise RecordsError(f"tasks: {t.id!r} has no client; a stored task names one")
        out["tasks"].append(TaskResource(
            id=t.id, kind=t.kind, client=t.client, day=t.release_date or scenario.date,
            duration_min=t.duration_min, windows=t.windows, skills=t.skills,
            priority=t.priority, mandatory=t.mandatory, series=t.series,
            due_date=t.due_date, note=t.note))
    for r in scenario.trips:
        if r.client is None:
            raise RecordsError(f"trips: {r.id!r} has no client; a stored trip names one")
        drop = places[r.dropoff]
        out["trips"].append(TripResource(
            id=r.id, client=r.client, day=r.day or scenario.date,
            dropoff=Place(name=drop.name, lat=drop.lat, lon=drop.lon),
            pickup_window=r.pickup_window, arrive_by=r.arrive_by, passengers=r.passengers,
            max_ride_min=r.max_ride_min, return_of=r.return_of,
            appointment_min=r.appointment_min, priority=r.priority, mandatory=r.mandatory,
            note=r.note))
    return out
