"""The API's stored resources (pydantic), and a scenario kept as records
(`records_from_scenario`); how a set of them becomes a scenario is
`api.convert.records_scenario`.

A coordinator keeps providers, clients, workers, vehicles and tasks (visits, jobs,
trips: the coordinators' requests) as separate records; a planning job for some days
gathers them into one scenario document (`api.schemas.scenario.ScenarioIn`),
so a stored plan and a posted scenario go through the same pipeline. Places are
coordinates here (a client's home, a worker's base, a trip's pickup and drop-off). The
scenario's location ids are the ids the records remember (`home_location`,
`base_location`, a `Place`'s `id`: a clinic several trips go to is one location), else
derived from the record ids (`home:client-03`, `base:driver`, `destination:ride-1`,
`pickup:ride-1-back`). One id is one place: two records giving it different coordinates
are refused.

Nothing here knows HTTP or the database.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.scenario import (
    AbsenceIn,
    GoalsIn,
    Id,
    Minutes,
    PassengersIn,
    PromiseIn,
    RulesIn,
    ScenarioIn,
    SeriesIn,
    TripIn,
    TripRulesIn,
    VehicleIn,
    WindowIn,
    WorkerIn,
    horizon_fits,
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
    # who may come (hard rules; coordinators only): workers refused, attributes required
    refuses_workers: list[Id] = Field(default=[], max_length=100)
    requires: list[Id] = Field(default=[], max_length=20)
    prefers_workers: list[Id] = Field(default=[], max_length=20)  # a soft wish
    # no longer served: kept (with the tasks and plans that name them) but off the lists
    # a coordinator picks from; a record with history cannot be deleted
    retired: bool = False
    # the home's location id in a scenario (default `home:ID`); a scenario file's id
    # kept by `trasa import`, so the day built back from records names it the same
    home_location: Id | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> ClientResource:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon: give both coordinates or neither")
        return self


class VehicleResource(Resource, VehicleIn):
    """A vehicle: the fields and limits of a scenario's vehicle (`VehicleIn`)."""


class WorkerResource(Resource):
    """A worker: `availability` is the weekly pattern (`day`: a weekday, or `daily`, the
    default) plus dated windows (`day`: a date); `absences` take whole days out."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    provider: Id
    skills: list[Id] = []
    availability: list[WindowIn] = []
    absences: list[AbsenceIn] = []
    attributes: list[Id] = Field(default=[], max_length=20)  # coordinators only
    base_name: str = ""
    base_lat: Latitude
    base_lon: Longitude
    max_work_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    max_week_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    vehicle: Id | None = None
    # the base's location id in a scenario (default `base:ID`): workers sharing a base
    # (a scenario file's `cus-majowka`) share one location
    base_location: Id | None = None
    # left the service: kept for the plans that name them, planned no more
    retired: bool = False


class PromiseRecord(Resource):
    """The window a client was promised (HH:MM on the task's day): its first stop, a
    visit's service or a trip's pickup, starts inside it in every later plan. Made by
    accepting an offer (`by`, `at`), moved or withdrawn only by the explicit routes
    (`/tasks/{id}/promise`); a plain replace of the record keeps it."""

    start: str = Field(pattern=r"^\d\d:\d\d$")
    end: str = Field(pattern=r"^\d\d:\d\d$")
    by: str = ""
    at: datetime | None = None


class TaskResource(Resource):
    """A visit or a handyman job at a client's home on `day`; windows are HH:MM that day.
    A job may be done from `day` to `due_date`: a plan of any of those days includes it."""

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
    promise: PromiseRecord | None = None


class Place(Resource):
    """A place a trip starts or ends at. `id` is the scenario's location id: give the
    same id (and coordinates) wherever the same clinic, day centre or home comes back."""

    id: Id | None = None
    name: str = ""
    lat: Latitude
    lon: Longitude


class TripResource(Resource):
    """A bus ride on `day` from `pickup` (default: the client's home) to `dropoff`.
    A return (`return_of`: its outbound) is picked up where the outbound dropped off
    (`pickup` = the outbound's `dropoff`) and usually drops off at home."""

    id: Id
    client: Id
    day: date
    pickup: Place | None = None  # None: the client's home
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
    promise: PromiseRecord | None = None


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

    @model_validator(mode="after")
    def _horizon_fits(self) -> PlanningRequest:
        horizon_fits(self.first_day, self.days, "first_day")
        return self


class RecordsError(ValueError):
    """Stored records that cannot be planned together; the message names record and field."""


def records_from_scenario(scenario: ScenarioIn) -> dict[str, list[Resource]]:
    """A scenario's master data and tasks as stored records (`trasa import`, the demo of
    `trasa serve --demo`): places become coordinates that keep their location ids, a
    task names its client, and `scenario_from_records` of its days gives the same day
    back (the same problem: `optimiser.fingerprint`).

    What records cannot keep is refused (`RecordsError` naming the field): a task away
    from its client's home, a load (`demand`), a worker ending elsewhere than at base or
    with a `capacity`, a trip's own boarding times or skills. A client's
    `familiar_workers` are not kept: the records take them from the days they hold."""
    places = {x.id: x for x in scenario.locations}
    clients = {c.id: c for c in scenario.clients}
    last_day = scenario.date + timedelta(days=scenario.days - 1)
    for i, w in enumerate(scenario.workers):
        _keepable(w.end_location in (None, w.start_location), f"workers[{i}].end_location",
                  w.end_location, "a stored worker ends the day at base")
        _keepable(w.capacity is None, f"workers[{i}].capacity", w.capacity,
                  "a stored worker has no load capacity")
    for i, t in enumerate(scenario.tasks):
        _keepable(t.client is not None and t.client in clients, f"tasks[{i}].client",
                  t.client, "a stored task names its client")
        _keepable(t.location in (None, clients[str(t.client)].location),
                  f"tasks[{i}].location", t.location, "a stored task is at its client's home")
        _keepable(t.demand == 0, f"tasks[{i}].demand", t.demand, "a stored task has no load")
    for i, r in enumerate(scenario.trips):
        _keepable(r.client is not None, f"trips[{i}].client", r.client,
                  "a stored trip names its client")
        for name in ("board_min", "alight_min"):
            _keepable(getattr(r, name) is None, f"trips[{i}].{name}", getattr(r, name),
                      "stored trips take boarding times from the passengers")
        _keepable(r.skills == TripIn.model_fields["skills"].default, f"trips[{i}].skills",
                  r.skills, "a stored trip needs a driver only")

    def place(location_id: str) -> Place:
        x = places[location_id]
        return Place(id=x.id, name=x.name, lat=x.lat, lon=x.lon)

    def shifts(w: WorkerIn) -> list[WindowIn]:
        # In a file a window without a day is the first day's; in records, every day's.
        if scenario.days == 1:
            return list(w.shifts)
        return [x if x.day is not None else x.model_copy(update={"day": scenario.date})
                for x in w.shifts]

    out: dict[str, list[Resource]] = {
        "providers": [ProviderResource(id=p.id, name=p.name, kind=p.kind)
                      for p in scenario.providers],
        "clients": [ClientResource(id=c.id, name=c.name or c.id,
                                   address=places[c.location].name,
                                   lat=places[c.location].lat, lon=places[c.location].lon,
                                   phone=c.phone, mobility=c.mobility, escort=c.escort,
                                   health_note=c.health_note, home_location=c.location,
                                   refuses_workers=c.refuses_workers, requires=c.requires,
                                   prefers_workers=c.prefers_workers)
                    for c in scenario.clients],
        "vehicles": [VehicleResource(**v.model_dump()) for v in scenario.vehicles],
        "workers": [WorkerResource(
            id=w.id, name=w.name or w.id, provider=w.provider, skills=w.skills,
            availability=shifts(w), absences=w.absences,
            base_name=places[w.start_location].name, base_lat=places[w.start_location].lat,
            base_lon=places[w.start_location].lon, max_work_min=w.max_work_min,
            max_week_min=w.max_week_min, vehicle=w.vehicle, base_location=w.start_location,
            attributes=w.attributes)
            for w in scenario.workers],
        "tasks": [], "trips": [],
    }
    for t in scenario.tasks:
        day = t.release_date or scenario.date
        # HH:MM without a day is read on the file's first day, in records on the task's.
        windows = [w if w.day is not None or day == scenario.date
                   else w.model_copy(update={"day": scenario.date}) for w in t.windows]
        due = t.due_date or (last_day if t.kind == "job" else None)
        out["tasks"].append(TaskResource(
            id=t.id, kind=t.kind, client=str(t.client), day=day,
            duration_min=t.duration_min, windows=windows, skills=t.skills,
            priority=t.priority, mandatory=t.mandatory, series=t.series,
            due_date=due, note=t.note, promise=_promise(t.promise)))
    for r in scenario.trips:
        out["trips"].append(TripResource(
            id=r.id, client=str(r.client), day=r.day or scenario.date,
            pickup=None if r.pickup is None else place(r.pickup), dropoff=place(r.dropoff),
            pickup_window=r.pickup_window, arrive_by=r.arrive_by, passengers=r.passengers,
            max_ride_min=r.max_ride_min, return_of=r.return_of,
            appointment_min=r.appointment_min, priority=r.priority, mandatory=r.mandatory,
            note=r.note, promise=_promise(r.promise)))
    return out


def _promise(window: PromiseIn | None) -> PromiseRecord | None:
    """A scenario's promise as a record's (HH:MM on the task's day)."""
    if window is None:
        return None
    return PromiseRecord(start=window.start[11:16] if "T" in window.start else window.start,
                         end=window.end[11:16] if "T" in window.end else window.end)


def _keepable(ok: bool, field: str, value: object, why: str) -> None:
    if not ok:
        raise RecordsError(f"{field}: {value!r} cannot be stored as a record ({why})")
