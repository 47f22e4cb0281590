"""Read a scenario file and convert it into the domain problem.

Validation happens here once, at the edge (the schema is in
`api.schemas.scenario`). Clock times are `HH:MM` local time on a
planned date or ISO 8601 date-times with an offset; inside the program
everything becomes integer seconds from local midnight of the first planned
day, and the problem carries its `Calendar`. Errors are in `api.convert.scenario_errors`,
the refusals before solving in `api.convert.scenario_refusals` (both importable from here).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from api.convert.moments import aware_moment
from api.convert.particulars import with_particulars
from api.convert.scenario_errors import InputRefused as InputRefused
from api.convert.scenario_errors import Refusal as Refusal
from api.convert.scenario_errors import ScenarioError
from api.convert.scenario_promises import Clock, with_promise
from api.convert.scenario_refusals import refuse_far_places as refuse_far_places
from api.convert.scenario_refusals import refuse_unservable as refuse_unservable
from api.schemas.scenario import (
    WEEKDAYS,
    ScenarioIn,
    TaskIn,
    TripIn,
    WindowIn,
    WorkerIn,
)
from optimiser import model as m
from optimiser.calendar import Calendar

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def calendar_of(scenario: ScenarioIn) -> Calendar:
    return Calendar(scenario.date, scenario.days, scenario.timezone)


def clock_seconds(calendar: Calendar, text: str, field: str, *, on: date | None = None) -> int:
    """Seconds from the first midnight; HH:MM is wall-clock time `on` that date (default:
    the first). Errors name `field` and the text."""
    match = _CLOCK.match(text)
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if hours > 24 or minutes > 59 or (hours == 24 and minutes):
            raise ScenarioError(f"{field}: {text!r} is not a clock time (00:00-24:00)")
        try:
            seconds = calendar.at(on or calendar.first_date, hours, minutes)
        except OverflowError:
            raise ScenarioError(f"{field}: {text!r} on {on} is past the last date a "
                                "calendar holds") from None
    else:
        moment = aware_moment(text, field, ScenarioError,
                              expected="HH:MM nor an ISO 8601 date-time",
                              hint=" (write e.g. 2026-11-24T09:00:00+01:00, or HH:MM for "
                                   "local time)")
        try:
            seconds = calendar.seconds_of(moment)
        except OverflowError:
            raise ScenarioError(f"{field}: {text!r} is past the last date a calendar "
                                "holds") from None
    if seconds < 0:
        raise ScenarioError(f"{field}: {text!r} is before the plan date")
    return seconds


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
        return with_particulars(_to_problem(scenario, matrix), scenario)
    except m.ProblemError as exc:
        raise ScenarioError(str(exc)) from None


def _to_problem(scenario: ScenarioIn, matrix: m.TravelMatrix) -> m.Problem:
    calendar = calendar_of(scenario)

    dates = list(calendar.dates)

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
                start = clock_seconds(calendar, w.start, f"{field}[{i}].start of {owner!r}",
                                      on=day)
                end = clock_seconds(calendar, w.end, f"{field}[{i}].end of {owner!r}", on=day)
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
            attributes=frozenset(w.attributes),
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
            tasks.append(with_promise(task, t.promise, f"tasks[{i}].promise",
                                      _clock(calendar), dates, dates[0]))
            continue
        if t.promise is not None:
            raise ScenarioError(f"tasks[{i}].promise: a series of {t.series.sessions} visits "
                                f"cannot carry one promise ({t.id!r}); promise each visit as "
                                "a task of its own")
        ids = tuple(f"{t.id}#{k + 1}" for k in range(t.series.sessions))
        tasks += [dataclasses.replace(task, id=session) for session in ids]
        series.append(m.Series(t.id, ids, t.series.min_gap_days,
                               m.Continuity(t.series.continuity)))
    tasks += [_trip(scenario, calendar, i, r, homes) for i, r in enumerate(scenario.trips)]
    rules, trip_rules, goals = scenario.rules, scenario.trip_rules, scenario.goals
    return m.Problem(
        # Everything the search walks through is in id order, so the same day gives the
        # same problem (and plan) whether it came from a file or the stored records. The
        # locations keep the scenario's order: the matrix follows it, and they are read
        # by id only.
        locations=tuple(m.Location(x.id, x.lat, x.lon, x.name) for x in scenario.locations),
        providers=_by_id(m.Provider(p.id, p.name, m.ProviderKind(p.kind))
                         for p in scenario.providers),
        clients=_by_id(m.Client(c.id, c.name or c.id, c.location,
                                refuses=frozenset(c.refuses_workers),
                                requires=frozenset(c.requires),
                                prefers=frozenset(c.prefers_workers),
                                familiar=frozenset(c.familiar_workers)
                                if scenario.goals.familiar else frozenset())
                       for c in scenario.clients),
        workers=_by_id(workers), tasks=_by_id(tasks), matrix=matrix,
        rules=m.LabourRules(
            break_after_s=None if rules.break_after_min is None else rules.break_after_min * 60,
            break_s=rules.break_min * 60,
            rest_s=None if rules.rest_min is None else rules.rest_min * 60),
        name=scenario.name,
        vehicles=_by_id(m.Vehicle(v.id, v.name or v.id, v.seats, v.wheelchair_places)
                        for v in scenario.vehicles),
        trip_rules=m.TripRules(max_ride_factor=trip_rules.max_ride_factor,
                               max_ride_extra_s=trip_rules.max_ride_extra_min * 60),
        series=_by_id(series),
        goals=m.Goals(pes_share_target=goals.pes_share_target, pes_weight=goals.pes_weight,
                      balance=goals.balance, balance_weight=(
                          m.DEFAULT_BALANCE_WEIGHT.get(goals.balance or "", 0.0)
                          if goals.balance_weight is None else goals.balance_weight)),
        calendar=Calendar(scenario.date, scenario.days, scenario.timezone),
    )


_Item = TypeVar("_Item", m.Provider, m.Client, m.Worker, m.Task, m.Vehicle, m.Series)


def _by_id(items: Iterable[_Item]) -> tuple[_Item, ...]:
    return tuple(sorted(items, key=lambda x: x.id))


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


def _clock(calendar: Calendar) -> Clock:
    return lambda text, field, on: clock_seconds(calendar, text, field, on=on)


def _trip(scenario: ScenarioIn, calendar: Calendar, i: int, r: TripIn, homes: dict[str, str]
          ) -> m.Task:
    """A trip as the domain has it, under its promise if it has one."""
    task = _trip_task(scenario, calendar, i, r, homes)
    return with_promise(task, r.promise, f"trips[{i}].promise", _clock(calendar),
                        list(calendar.dates), r.day or scenario.date, trip=True)


def _trip_task(scenario: ScenarioIn, calendar: Calendar, i: int, r: TripIn,
               homes: dict[str, str]) -> m.Task:
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
    pickup = m.TimeWindow(calendar.at(day, 0),
                          calendar.at(day, 24))  # any time that day
    if r.pickup_window is not None:
        if r.pickup_window.day is not None:
            raise ScenarioError(f"trips[{i}].pickup_window.day: give the trip's date as "
                                f"trips[{i}].day instead (got {r.pickup_window.day!r})")
        start = clock_seconds(calendar, r.pickup_window.start,
                              f"trips[{i}].pickup_window.start", on=day)
        end = clock_seconds(calendar, r.pickup_window.end, f"trips[{i}].pickup_window.end",
                            on=day)
        if end <= start:
            raise ScenarioError(f"{where}: pickup_window end {r.pickup_window.end!r} is not "
                                f"after start {r.pickup_window.start!r}")
        pickup = m.TimeWindow(start, end)
    dropoff_windows: tuple[m.TimeWindow, ...] = ()
    if r.arrive_by is not None:
        due = clock_seconds(calendar, r.arrive_by, f"trips[{i}].arrive_by of {r.id!r}", on=day)
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
        id=r.id, kind=m.TaskKind.TRIP, location_id=r.pickup or _return_pickup(scenario, r)
        or homes[str(r.client)],
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


def _return_pickup(scenario: ScenarioIn, r: TripIn) -> str | None:
    """A return without a pickup of its own starts where its outbound dropped off."""
    outbound = next((t for t in scenario.trips if t.id == r.return_of), None)
    return None if outbound is None else outbound.dropoff
