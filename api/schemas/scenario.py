"""The scenario file's schema (pydantic): what a scenario may say, checked at the edge.

Durations are in minutes (`_min`), clock times `HH:MM` local time or ISO 8601
date-times with an offset. Defaults come from the domain (`optimiser.model`,
`geo.regional`), never restated here; `api.convert.scenario` converts a
validated scenario into the domain problem.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from geo.matrix import ACCESS_SPEED_KPH
from geo.regional import RegionalModel
from optimiser.calendar import DEFAULT_TIMEZONE, MAX_DAYS
from optimiser.model import CUS_PROJECT_GOALS, LabourRules, TripRules

_LABOUR = LabourRules()
_TRIPS = TripRules()
_REGIONAL = RegionalModel()


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else seconds // 60


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)




def _valid_id(value: str) -> str:
    """The one rule of an id, on every path (scenario files, records, CSV): printable, no
    slash or backslash (an id is a path segment of the API), not `.` or `..`. The ids
    Trasa makes itself (`home:c1`, `series-003#1`, `pilny-…~2`) pass it."""
    if value in (".", ".."):
        raise ValueError(f"{value!r} cannot be an id")
    if "/" in value or "\\" in value:
        raise ValueError(f"{value!r}: an id has no slash or backslash")
    if not value.isprintable():
        raise ValueError(f"{value!r}: an id has no control or unprintable characters")
    return value


Id = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_valid_id)]
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]
# Sane caps for counts a user types: far above any real day, far below what overflows
# the solver's 64-bit (or, for seeds, 32-bit) integers.
Seed = Annotated[int, Field(ge=0, le=2**31 - 1)]
Load = Annotated[int, Field(ge=0, le=100_000)]
MAX_SOLUTIONS = 1_000_000
# The days a plan may cover: date arithmetic on them (a day before or after, a time
# zone's offset) stays inside the calendar.
FIRST_PLAN_DAY, LAST_PLAN_DAY = date(1900, 1, 1), date(9998, 12, 31)


def horizon_fits(first_day: date, days: int, field: str) -> None:
    """Refuse a horizon outside FIRST_PLAN_DAY..LAST_PLAN_DAY, naming `field` and its value."""
    if first_day < FIRST_PLAN_DAY:
        raise ValueError(f"{field}: {first_day} is before {FIRST_PLAN_DAY}, the first day "
                         "a plan may cover")
    if first_day > LAST_PLAN_DAY - timedelta(days=days - 1):
        raise ValueError(f"{field}: {first_day} + {days} day(s) ends after {LAST_PLAN_DAY}, "
                         "the last day a plan may cover")


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WindowIn(Strict):
    start: str = Field(description="HH:MM local, or ISO 8601 date-time with offset")
    end: str
    day: date | Weekday | Literal["daily"] | None = Field(
        default=None, description="the date of HH:MM times; a weekday or 'daily' repeats the "
                                  "window on every such day of the horizon; default: the first")


class PromiseIn(Strict):
    """The window the client was promised: the task's first stop (a visit's or job's
    service, a trip's pickup) starts inside it (docs/promises.md). HH:MM on `day` as a
    window's times are (default: the first day; a trip's promise is on the trip's day)."""

    start: str = Field(description="HH:MM local, or ISO 8601 date-time with offset")
    end: str
    day: date | Weekday | None = None


class AbsenceIn(Strict):
    start: date
    end: date  # inclusive
    why: str = ""


class SeriesIn(Strict):
    sessions: int = Field(ge=1, le=7)
    min_gap_days: int = Field(default=1, ge=0, le=6)
    continuity: Literal["none", "soft", "required"] = "soft"


class GoalsIn(Strict):
    pes_share_target: float | None = Field(default=CUS_PROJECT_GOALS.pes_share_target, ge=0,
                                           le=1)
    pes_weight: float = Field(default=CUS_PROJECT_GOALS.pes_weight, ge=0, le=10)
    # balanced days: none, the busiest route's busy time ("work") or its visits
    balance: Literal["work", "visits"] | None = None
    # travel seconds per second of busy time (or per visit) on the busiest route;
    # none: DEFAULT_BALANCE_WEIGHT (1 per second of work, 600 per visit)
    balance_weight: float | None = Field(default=None, ge=0, le=100_000)
    # continuity of care: prefer each client's familiar workers (`familiar_workers`; from
    # the records: who served them in the 4 weeks before, api/services/familiar.py)
    familiar: bool = False


class LocationIn(Strict):
    id: Id
    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ProviderIn(Strict):
    id: Id
    name: str
    kind: Literal["cus", "pes"]


class ClientIn(Strict):
    """A person served. `phone`, `mobility` and `escort` go on the route sheet; the
    `health_note` is for the coordinator only and never leaves in a sheet, calendar or
    map."""

    id: Id
    name: str = ""
    location: Id
    phone: str = Field(default="", max_length=40)
    mobility: Literal["walks", "seated", "wheelchair"] = "walks"
    escort: bool = False
    health_note: str = Field(default="", max_length=2000)
    # hard rules of who may come: workers the client refuses (ids), and attributes every
    # worker sent must have (matched like skills against a worker's `attributes`)
    refuses_workers: list[Id] = Field(default=[], max_length=100)
    requires: list[Id] = Field(default=[], max_length=20)
    prefers_workers: list[Id] = Field(default=[], max_length=20)  # a soft wish
    # workers who served the client before (continuity of care): a soft wish when
    # `goals.familiar` is on; a plan from the records fills it from the weeks before
    familiar_workers: list[Id] = Field(default=[], max_length=100)


class WorkerIn(Strict):
    id: Id
    name: str = ""
    provider: Id
    skills: list[Id] = []
    shifts: list[WindowIn] = []
    start_location: Id
    end_location: Id | None = None  # default: back to the start
    max_work_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    capacity: Load | None = None
    vehicle: Id | None = None  # the bus this driver takes on their shifts
    max_week_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    absences: list[AbsenceIn] = []  # leave, sickness: shifts starting on these days go
    attributes: list[Id] = Field(default=[], max_length=20)  # what clients may require


class TaskIn(Strict):
    id: Id
    kind: Literal["visit", "job"]
    client: Id | None = None
    location: Id | None = None  # default: the client's home
    duration_min: Minutes
    windows: list[WindowIn] = Field(min_length=1)
    skills: list[Id] = []
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    mandatory: bool = False
    demand: Load = 0
    series: SeriesIn | None = None  # a therapy series: this visit `sessions` times
    release_date: date | None = None  # a job: not before this day
    due_date: date | None = None  # a job: done by the end of this day
    note: str = Field(default="", max_length=500)  # for the worker: what to bring, where
    promise: PromiseIn | None = None  # the window the client was promised: a hard rule


class VehicleIn(Strict):
    id: Id
    name: str = ""
    seats: int = Field(ge=0, le=100)
    wheelchair_places: int = Field(default=0, ge=0, le=20)


class PassengersIn(Strict):
    seated: int = Field(default=1, ge=0, le=100)
    wheelchair: int = Field(default=0, ge=0, le=20)
    escort: int = Field(default=0, ge=0, le=100)


class TripIn(Strict):
    """A bus ride. Give a pickup window, or an arrive-by time, or neither (any time that day)."""

    id: Id
    client: Id | None = None
    pickup: Id | None = None  # default: the client's home
    dropoff: Id
    day: date | None = None  # the date of the ride; HH:MM times are read on it (default: first)
    pickup_window: WindowIn | None = None
    arrive_by: str | None = Field(default=None, description="HH:MM or ISO 8601 with offset")
    passengers: PassengersIn = PassengersIn()
    board_min: Minutes | None = None  # default from the passengers
    alight_min: Minutes | None = None
    max_ride_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = None
    return_of: Id | None = None
    appointment_min: Minutes = 0
    skills: list[Id] = ["driving"]
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    mandatory: bool = False
    note: str = Field(default="", max_length=500)  # for the driver
    promise: PromiseIn | None = None  # the pickup window the client was promised


class TripRulesIn(Strict):
    max_ride_factor: float = Field(default=_TRIPS.max_ride_factor, ge=1, le=10)
    max_ride_extra_min: Minutes = _TRIPS.max_ride_extra_s // 60
    arrive_early_min: Annotated[int, Field(gt=0, le=24 * 60)] = 30
    board_seated_s: int = Field(default=60, ge=0, le=3600)
    board_wheelchair_s: int = Field(default=300, ge=0, le=3600)


class RegionalIn(Strict):
    """Travel to destinations beyond the road network: see docs/scenario.md."""

    enabled: bool = True
    speed_kph: float = Field(default=_REGIONAL.speed_kph, gt=0, le=130)
    detour_factor: float = Field(default=_REGIONAL.detour_factor, ge=1, le=3)
    outside_m: float = Field(default=_REGIONAL.outside_m, gt=0)
    radius_m: float = Field(default=_REGIONAL.radius_m, gt=0)


class RulesIn(Strict):
    rest_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = _minutes(_LABOUR.rest_s)
    break_after_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = _minutes(
        _LABOUR.break_after_s)
    break_min: Annotated[int, Field(gt=0, le=240)] = _LABOUR.break_s // 60


class NetworkIn(Strict):
    source: str | None = Field(
        default=None, description="GraphML/OSM file (relative to the scenario) or a place name")
    fallback_grid: bool = Field(
        default=False, description="use a generated street grid if the source cannot be loaded")
    access_speed_kph: float = Field(default=ACCESS_SPEED_KPH, gt=0, le=130)
    regional: RegionalIn = RegionalIn()


class ScenarioIn(Strict):
    name: str = ""
    date: date
    days: int = Field(default=1, ge=1, le=MAX_DAYS)
    timezone: str = DEFAULT_TIMEZONE
    note: str = ""
    goals: GoalsIn = GoalsIn()
    network: NetworkIn = NetworkIn()
    rules: RulesIn = RulesIn()
    trip_rules: TripRulesIn = TripRulesIn()
    locations: list[LocationIn] = Field(min_length=1)
    providers: list[ProviderIn] = Field(min_length=1)
    clients: list[ClientIn] = []
    vehicles: list[VehicleIn] = []
    workers: list[WorkerIn]
    tasks: list[TaskIn] = []
    trips: list[TripIn] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> ScenarioIn:
        """Check ids before any expensive work, naming the field that points nowhere."""
        horizon_fits(self.date, self.days, "date")
        for what, items in (("locations", self.locations), ("providers", self.providers),
                            ("clients", self.clients), ("vehicles", self.vehicles),
                            ("workers", self.workers)):
            ids = [x.id for x in items]
            for i, item_id in enumerate(ids):
                if item_id in ids[:i]:
                    raise ValueError(f"{what}[{i}].id: duplicate id {item_id!r}")
        task_ids = [x.id for x in self.tasks] + [x.id for x in self.trips]
        for i, item_id in enumerate(task_ids):
            if item_id in task_ids[:i]:
                where = f"tasks[{i}]" if i < len(self.tasks) else f"trips[{i - len(self.tasks)}]"
                raise ValueError(f"{where}.id: duplicate task or trip id {item_id!r}")
        locations = {x.id for x in self.locations}
        providers = {x.id for x in self.providers}
        clients = {x.id for x in self.clients}

        def need(ok: bool, where: str, value: object) -> None:
            if not ok:
                raise ValueError(f"{where}: unknown id {value!r}")

        for i, c in enumerate(self.clients):
            need(c.location in locations, f"clients[{i}].location", c.location)
        vehicles = {x.id for x in self.vehicles}
        for i, w in enumerate(self.workers):
            need(w.provider in providers, f"workers[{i}].provider", w.provider)
            need(w.vehicle is None or w.vehicle in vehicles, f"workers[{i}].vehicle", w.vehicle)
            need(w.start_location in locations, f"workers[{i}].start_location", w.start_location)
            need(w.end_location is None or w.end_location in locations,
                 f"workers[{i}].end_location", w.end_location)
        for i, t in enumerate(self.tasks):
            need(t.client is None or t.client in clients, f"tasks[{i}].client", t.client)
            need(t.location is None or t.location in locations, f"tasks[{i}].location",
                 t.location)
            if t.location is None and t.client is None:
                raise ValueError(f"tasks[{i}] ({t.id!r}): give a location or a client")
        for i, t in enumerate(self.tasks):
            if t.series is not None and (
                    (t.series.sessions - 1) * t.series.min_gap_days + 1 > self.days):
                raise ValueError(f"tasks[{i}].series.sessions: {t.series.sessions} sessions "
                                 f"{t.series.min_gap_days} day(s) apart do not fit in "
                                 f"days={self.days}")
        for i, w in enumerate(self.workers):
            for k, a in enumerate(w.absences):
                if a.end < a.start:
                    raise ValueError(f"workers[{i}].absences[{k}].end: {a.end} is before "
                                     f"start {a.start}")
        trips = {x.id for x in self.trips}
        homes = {c.id: c.location for c in self.clients}
        for i, r in enumerate(self.trips):
            need(r.client is None or r.client in clients, f"trips[{i}].client", r.client)
            need(r.pickup is None or r.pickup in locations, f"trips[{i}].pickup", r.pickup)
            need(r.dropoff in locations, f"trips[{i}].dropoff", r.dropoff)
            if r.return_of == r.id:
                raise ValueError(f"trips[{i}].return_of: {r.id!r} cannot be its own return")
            need(r.return_of is None or r.return_of in trips, f"trips[{i}].return_of",
                 r.return_of)
            pickup = r.pickup or (homes.get(r.client) if r.client else None)
            if pickup is None:
                raise ValueError(f"trips[{i}] ({r.id!r}): give a pickup or a client")
            if pickup == r.dropoff:
                raise ValueError(f"trips[{i}].dropoff: {r.dropoff!r} is also the pickup")
        outbound = {r.id: r.return_of for r in self.trips}
        for i, r in enumerate(self.trips):
            seen, cursor = {r.id}, r.return_of
            while cursor is not None:
                if cursor in seen:
                    raise ValueError(f"trips[{i}].return_of: {r.return_of!r} leads back to "
                                     f"{r.id!r} (a cycle of return trips)")
                seen.add(cursor)
                cursor = outbound.get(cursor)
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


