"""The scenario file: the input schema (pydantic) and its conversion into the domain.

Validation happens here once, at the edge. Durations are in minutes
(`_min`), clock times are `HH:MM` local time on the scenario date or ISO 8601
date-times with an offset; inside the program everything becomes integer
seconds from local midnight of the plan date.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from optimiser import model as m
from optimiser.calendar import Calendar

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class ScenarioError(ValueError):
    """A scenario that cannot be read; the message names the field and the value."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Id = Annotated[str, Field(min_length=1, max_length=100)]
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WindowIn(_Strict):
    start: str = Field(description="HH:MM local, or ISO 8601 date-time with offset")
    end: str
    day: date | Weekday | Literal["daily"] | None = Field(
        default=None, description="the date of HH:MM times; a weekday or 'daily' repeats the "
                                  "window on every such day of the horizon; default: the first")


class AbsenceIn(_Strict):
    start: date
    end: date  # inclusive
    why: str = ""


class SeriesIn(_Strict):
    sessions: int = Field(ge=1, le=7)
    min_gap_days: int = Field(default=1, ge=0, le=6)
    continuity: Literal["none", "soft", "required"] = "soft"


class GoalsIn(_Strict):
    pes_share_target: float | None = Field(default=0.35, ge=0, le=1)
    pes_weight: float = Field(default=0.1, ge=0, le=10)


class LocationIn(_Strict):
    id: Id
    name: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ProviderIn(_Strict):
    id: Id
    name: str
    kind: Literal["cus", "pes"]


class ClientIn(_Strict):
    id: Id
    name: str = ""
    location: Id


class WorkerIn(_Strict):
    id: Id
    name: str = ""
    provider: Id
    skills: list[Id] = []
    shifts: list[WindowIn] = []
    start_location: Id
    end_location: Id | None = None  # default: back to the start
    max_work_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    capacity: int | None = Field(default=None, ge=0)
    vehicle: Id | None = None  # the bus this driver takes on their shifts
    max_week_min: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None
    absences: list[AbsenceIn] = []  # leave, sickness: shifts starting on these days go


class TaskIn(_Strict):
    id: Id
    kind: Literal["visit", "job"]
    client: Id | None = None
    location: Id | None = None  # default: the client's home
    duration_min: Minutes
    windows: list[WindowIn] = Field(min_length=1)
    skills: list[Id] = []
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    mandatory: bool = False
    demand: int = Field(default=0, ge=0)
    series: SeriesIn | None = None  # a therapy series: this visit `sessions` times
    release_date: date | None = None  # a job: not before this day
    due_date: date | None = None  # a job: done by the end of this day


class VehicleIn(_Strict):
    id: Id
    name: str = ""
    seats: int = Field(ge=0, le=100)
    wheelchair_places: int = Field(default=0, ge=0, le=20)


class PassengersIn(_Strict):
    seated: int = Field(default=1, ge=0, le=100)
    wheelchair: int = Field(default=0, ge=0, le=20)
    escort: int = Field(default=0, ge=0, le=100)


class TripIn(_Strict):
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


class TripRulesIn(_Strict):
    max_ride_factor: float = Field(default=1.5, ge=1, le=10)
    max_ride_extra_min: Minutes = 15
    arrive_early_min: Annotated[int, Field(gt=0, le=24 * 60)] = 30
    board_seated_s: int = Field(default=60, ge=0, le=3600)
    board_wheelchair_s: int = Field(default=300, ge=0, le=3600)


class RegionalIn(_Strict):
    """Travel to destinations beyond the road network: see docs/scenario.md."""

    enabled: bool = True
    speed_kph: float = Field(default=70.0, gt=0, le=130)
    detour_factor: float = Field(default=1.3, ge=1, le=3)
    outside_m: float = Field(default=3000.0, gt=0)


class RulesIn(_Strict):
    rest_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = 660
    break_after_min: Annotated[int, Field(gt=0, le=24 * 60)] | None = 360
    break_min: Annotated[int, Field(gt=0, le=240)] = 15


class NetworkIn(_Strict):
    source: str | None = Field(
        default=None, description="GraphML/OSM file (relative to the scenario) or a place name")
    fallback_grid: bool = Field(
        default=False, description="use a generated street grid if the source cannot be loaded")
    access_speed_kph: float = Field(default=20.0, gt=0, le=130)
    regional: RegionalIn = RegionalIn()


class ScenarioIn(_Strict):
    name: str = ""
    date: date
    days: int = Field(default=1, ge=1, le=7)
    timezone: str = "Europe/Warsaw"
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


class Clock:
    """Converts between wall-clock text and seconds from local midnight of the plan date."""

    def __init__(self, day: date, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.midnight = datetime.combine(day, time(0), tzinfo=self.zone)

    def seconds(self, text: str, field: str, *, on: date | None = None) -> int:
        """Seconds from the first midnight; HH:MM is wall-clock time `on` that date."""
        match = _CLOCK.match(text)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours > 24 or minutes > 59 or (hours == 24 and minutes):
                raise ScenarioError(f"{field}: {text!r} is not a clock time (00:00-24:00)")
            day = on or self.midnight.date()
            local = datetime.combine(day, time(0)) + timedelta(hours=hours, minutes=minutes)
            moment = local.replace(tzinfo=self.zone)
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ScenarioError(f"{field}: {text!r} is neither HH:MM nor an ISO 8601 "
                                    "date-time") from None
            if moment.tzinfo is None:
                raise ScenarioError(f"{field}: {text!r} has no UTC offset (write e.g. "
                                    "2026-11-24T09:00:00+01:00, or HH:MM for local time)")
        # In UTC: subtracting two datetimes that share a tzinfo would ignore a DST change.
        elapsed = moment.astimezone(UTC) - self.midnight.astimezone(UTC)
        if elapsed.total_seconds() < 0:
            raise ScenarioError(f"{field}: {text!r} is before the plan date")
        return int(elapsed.total_seconds())

    def midnight_s(self, day: date) -> int:
        return self.seconds("00:00", "date", on=day)

    def iso(self, seconds: int) -> str:
        utc = self.midnight.astimezone(UTC) + timedelta(seconds=seconds)
        return utc.astimezone(self.zone).isoformat()

    def hhmm(self, seconds: int) -> str:
        return self.iso(seconds)[11:16]


def read_scenario(path: Path) -> ScenarioIn:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not valid JSON ({exc})") from None
    return parse_scenario(raw, source=str(path))


def parse_scenario(raw: object, *, source: str = "scenario") -> ScenarioIn:
    try:
        return ScenarioIn.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{source}: {exc.error_count()} invalid field(s)"]
        for err in exc.errors()[:20]:
            where = _field_path(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            got = repr(err.get("input"))
            lines.append(f"  {where}: {message}" if where else f"  {message}")
            lines[-1] += f" (got {got})" if where and len(got) <= 80 else ""
        raise ScenarioError("\n".join(lines)) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def to_problem(scenario: ScenarioIn, matrix: m.TravelMatrix) -> m.Problem:
    """Build the domain problem; the matrix is indexed like `scenario.locations`."""
    try:
        return _to_problem(scenario, matrix)
    except m.ProblemError as exc:
        raise ScenarioError(str(exc)) from None


def _to_problem(scenario: ScenarioIn, matrix: m.TravelMatrix) -> m.Problem:
    clock = Clock(scenario.date, scenario.timezone)

    dates = [scenario.date + timedelta(days=k) for k in range(scenario.days)]

    def windows(items: list[WindowIn], field: str, owner: str, *, min_s: int = 0,
                skip: frozenset[date] = frozenset()) -> tuple[m.TimeWindow, ...]:
        out: list[tuple[m.TimeWindow, str]] = []
        for i, w in enumerate(items):
            where = f"{field}[{i}] of {owner!r}"
            try:
                days = _days_of(w, dates)
            except ScenarioError as exc:
                raise ScenarioError(f"{field}[{i}].{exc} ({owner!r})") from None
            for day in days:
                if day in skip:
                    continue
                start = clock.seconds(w.start, f"{field}[{i}].start of {owner!r}", on=day)
                end = clock.seconds(w.end, f"{field}[{i}].end of {owner!r}", on=day)
                if end <= start:
                    raise ScenarioError(f"{where}: end {w.end!r} is not after start "
                                        f"{w.start!r}")
                if end - start < min_s:
                    raise ScenarioError(f"{where}: {w.start}-{w.end} is shorter than the "
                                        f"task's duration_min={min_s // 60}")
                for earlier, earlier_where in out:
                    if earlier.overlap_s(m.TimeWindow(start, end)) or start == earlier.end_s:
                        raise ScenarioError(f"{where}: {w.start}-{w.end} on {day} overlaps "
                                            f"{earlier_where}")
                out.append((m.TimeWindow(start, end), where))
        return tuple(sorted((window for window, _ in out), key=lambda w: w.start_s))

    homes = {c.id: c.location for c in scenario.clients}
    workers = tuple(
        m.Worker(
            id=w.id, name=w.name or w.id, provider_id=w.provider, skills=frozenset(w.skills),
            shifts=windows(w.shifts, f"workers[{i}].shifts", w.id, skip=_absent(w)),
            start_location_id=w.start_location,
            end_location_id=w.end_location or w.start_location,
            max_work_s=None if w.max_work_min is None else w.max_work_min * 60,
            capacity=w.capacity, vehicle_id=w.vehicle,
            max_week_s=None if w.max_week_min is None else w.max_week_min * 60,
        )
        for i, w in enumerate(scenario.workers)
    )
    tasks: list[m.Task] = []
    series: list[m.Series] = []
    for i, t in enumerate(scenario.tasks):
        allowed = _job_days(t, i, dates)
        task_windows = windows(t.windows, f"tasks[{i}].windows", t.id,
                               min_s=t.duration_min * 60, skip=frozenset(dates) - allowed)
        if not task_windows:
            raise ScenarioError(f"tasks[{i}].windows of {t.id!r}: no window falls on a day of "
                                "the horizon between its release_date and due_date")
        task = m.Task(
            id=t.id, kind=m.TaskKind(t.kind), location_id=t.location or homes[str(t.client)],
            service_s=t.duration_min * 60,
            windows=task_windows,
            client_id=t.client,
            required_skills=frozenset(t.skills), priority=m.Priority[t.priority.upper()],
            mandatory=t.mandatory, demand=t.demand,
        )
        if t.series is None:
            tasks.append(task)
            continue
        ids = tuple(f"{t.id}#{k + 1}" for k in range(t.series.sessions))
        tasks += [dataclasses.replace(task, id=session) for session in ids]
        series.append(m.Series(t.id, ids, t.series.min_gap_days,
                               m.Continuity(t.series.continuity)))
    tasks += [_trip(scenario, clock, i, r, homes) for i, r in enumerate(scenario.trips)]
    rules, trip_rules, goals = scenario.rules, scenario.trip_rules, scenario.goals
    return m.Problem(
        locations=tuple(m.Location(x.id, x.lat, x.lon, x.name) for x in scenario.locations),
        providers=tuple(m.Provider(p.id, p.name, m.ProviderKind(p.kind))
                        for p in scenario.providers),
        clients=tuple(m.Client(c.id, c.name or c.id, c.location) for c in scenario.clients),
        workers=workers, tasks=tuple(tasks), matrix=matrix,
        rules=m.LabourRules(
            break_after_s=None if rules.break_after_min is None else rules.break_after_min * 60,
            break_s=rules.break_min * 60,
            rest_s=None if rules.rest_min is None else rules.rest_min * 60),
        name=scenario.name,
        vehicles=tuple(m.Vehicle(v.id, v.name or v.id, v.seats, v.wheelchair_places)
                       for v in scenario.vehicles),
        trip_rules=m.TripRules(max_ride_factor=trip_rules.max_ride_factor,
                               max_ride_extra_s=trip_rules.max_ride_extra_min * 60),
        series=tuple(series),
        goals=m.Goals(pes_share_target=goals.pes_share_target, pes_weight=goals.pes_weight),
        calendar=Calendar(scenario.date, scenario.days, scenario.timezone),
    )


def _days_of(window: WindowIn, dates: list[date]) -> list[date]:
    """The horizon dates a window applies to (HH:MM times are read on each of them)."""
    if window.day is None:
        return dates[:1]
    if window.day == "daily":
        return dates
    if isinstance(window.day, date):
        if window.day not in dates:
            raise ScenarioError(f"day: {window.day} is outside the planned days "
                                f"({dates[0]} to {dates[-1]})")
        return [window.day]
    return [d for d in dates if WEEKDAYS[d.weekday()] == window.day]


def _absent(worker: WorkerIn) -> frozenset[date]:
    return frozenset(a.start + timedelta(days=k) for a in worker.absences
                     for k in range((a.end - a.start).days + 1))


def _job_days(task: TaskIn, i: int, dates: list[date]) -> frozenset[date]:
    """Days a task may be done on: within its release and due dates (both inclusive)."""
    release, due = task.release_date or dates[0], task.due_date or dates[-1]
    if task.release_date is not None and task.release_date > dates[-1]:
        raise ScenarioError(f"tasks[{i}].release_date: {release} is after the last planned day "
                            f"{dates[-1]} (task {task.id!r})")
    if due < release:
        raise ScenarioError(f"tasks[{i}].due_date: {due} is before release_date {release} "
                            f"(task {task.id!r})")
    return frozenset(d for d in dates if release <= d <= due)


def _trip(scenario: ScenarioIn, clock: Clock, i: int, r: TripIn, homes: dict[str, str]) -> m.Task:
    rules = scenario.trip_rules
    where = f"trips[{i}] of {r.id!r}"
    people = r.passengers
    if people.seated + people.wheelchair == 0:
        raise ScenarioError(f"trips[{i}].passengers of {r.id!r}: no seated or wheelchair "
                            f"passenger (seated=0, wheelchair=0)")
    handling_s = ((people.seated + people.escort) * rules.board_seated_s
                  + people.wheelchair * rules.board_wheelchair_s)
    day = r.day or scenario.date
    if not 0 <= (day - scenario.date).days < scenario.days:
        raise ScenarioError(f"trips[{i}].day: {day} is outside the planned days "
                            f"({scenario.date} + {scenario.days})")
    pickup = m.TimeWindow(clock.midnight_s(day),
                          clock.seconds("24:00", "24:00", on=day))  # any time that day
    if r.pickup_window is not None:
        if r.pickup_window.day is not None:
            raise ScenarioError(f"trips[{i}].pickup_window.day: give the trip's date as "
                                f"trips[{i}].day instead (got {r.pickup_window.day!r})")
        start = clock.seconds(r.pickup_window.start, f"trips[{i}].pickup_window.start", on=day)
        end = clock.seconds(r.pickup_window.end, f"trips[{i}].pickup_window.end", on=day)
        if end <= start:
            raise ScenarioError(f"{where}: pickup_window end {r.pickup_window.end!r} is not "
                                f"after start {r.pickup_window.start!r}")
        pickup = m.TimeWindow(start, end)
    dropoff_windows: tuple[m.TimeWindow, ...] = ()
    if r.arrive_by is not None:
        due = clock.seconds(r.arrive_by, f"trips[{i}].arrive_by of {r.id!r}", on=day)
        if due <= pickup.start_s:
            raise ScenarioError(f"trips[{i}].arrive_by: {r.arrive_by!r} is not after the "
                                f"pickup window opens (trip {r.id!r})")
        dropoff_windows = (m.TimeWindow(max(0, due - rules.arrive_early_min * 60), due),)
        pickup = m.TimeWindow(pickup.start_s, min(pickup.end_s, due))
    board_s = handling_s if r.board_min is None else r.board_min * 60
    alight_s = handling_s if r.alight_min is None else r.alight_min * 60
    if pickup.length_s < board_s:
        raise ScenarioError(f"{where}: the pickup window is shorter than boarding "
                            f"({board_s // 60} min)")
    if dropoff_windows and dropoff_windows[0].length_s < alight_s:
        raise ScenarioError(f"trips[{i}].arrive_by: leaves less than the {alight_s // 60} min "
                            "needed to alight")
    return m.Task(
        id=r.id, kind=m.TaskKind.TRIP, location_id=r.pickup or homes[str(r.client)],
        service_s=board_s, windows=(pickup,), client_id=r.client,
        required_skills=frozenset(r.skills), priority=m.Priority[r.priority.upper()],
        mandatory=r.mandatory,
        ride=m.Ride(
            dropoff_location_id=r.dropoff, dropoff_windows=dropoff_windows, alight_s=alight_s,
            passengers=m.Passengers(people.seated, people.wheelchair, people.escort),
            max_ride_s=None if r.max_ride_min is None else r.max_ride_min * 60,
            return_of=r.return_of, appointment_s=r.appointment_min * 60,
        ),
    )
