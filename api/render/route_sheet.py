"""What one worker receives for one day: the route sheet's content, free of any format.

Built from a checked plan (domain `Problem` and `Plan`) and each leg's path along the
streets (`Legs`: (from, to) location ids -> (lat, lon) points, as a stored reading or
the matrices give them). The domain carries what the sheet says of people: a client's
name and `Contact` (phone, mobility, escort), a task's note (what to bring). Times are
local wall-clock `HH:MM` of the plan's time zone; distances in km (1 decimal), driving
in minutes.

Nothing more personal than the job needs goes in: a client's health note is not in the
domain, so no sheet, calendar or map made from a `RouteSheet` can carry it.
The HTML/PDF (`sheet_html`, `sheet_pdf`), the phone calendar (`ics`) and the map
(`route_map`) are drawn from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from api.render.words import N_, ngettext
from api.render.words import gettext as _
from optimiser.kpi import route_figures, route_legs
from optimiser.model import Location, Plan, Problem, Route, Stop, StopAction, Task, TaskKind
from optimiser.people import Contact
from optimiser.rules import route_day

LatLon = tuple[float, float]
Legs = Mapping[tuple[str, str], Sequence[LatLon]]  # (from, to) location ids -> the path
Streets = Sequence[Sequence[Sequence[float]]]  # street lines of [lon, lat] points (maps)
MOBILITY = {"walks": N_("walks on their own"), "seated": N_("seated (help boarding)"),
            "wheelchair": N_("wheelchair")}
WHAT = {(TaskKind.VISIT, StopAction.SERVE): N_("visit"),
        (TaskKind.JOB, StopAction.SERVE): N_("job"),
        (TaskKind.TRIP, StopAction.PICKUP): N_("pick-up"),
        (TaskKind.TRIP, StopAction.DROPOFF): N_("alighting")}


@dataclass(frozen=True)
class SheetRow:
    """One line of the sheet: a stop (numbered from 1) or a break (number 0)."""

    number: int
    what: str  # visit, job, pick-up, alighting, break (in the reader's language)
    task: str
    window: str  # "09:00–11:00" (the window the start fell in), "" for a break
    arrival: str
    start: str
    end: str
    start_iso: str
    end_iso: str
    client: str
    address: str
    phone: str
    needs: str  # mobility, escort, passengers
    bring: str  # skills and the task's note
    lat: float | None = None
    lon: float | None = None
    promise: str = ""  # "obiecane 10:00–11:00": the window the client was promised


@dataclass(frozen=True)
class RouteSheet:
    day: date
    worker_id: str
    worker: str
    provider: str
    vehicle: str
    start_place: str
    start: str
    end_place: str
    end: str
    km: float
    driving_min: int
    rows: tuple[SheetRow, ...]
    path: tuple[tuple[LatLon, ...], ...]  # each leg along the streets, in order
    bases: tuple[LatLon, ...]  # start and end place
    warning: str = ""  # e.g. the synthetic-network warning: not for real driving

    @property
    def stops(self) -> tuple[SheetRow, ...]:
        return tuple(r for r in self.rows if r.number)


def route_sheets(problem: Problem, plan: Plan, legs: Legs | None, *,
                 warning: str = "") -> list[RouteSheet]:
    """One sheet per worker per day with a route, in worker then day order; without
    `legs` (no road paths), sheets without the route's path."""
    by_day: dict[tuple[str, date], list[Route]] = {}
    for route in plan.routes:
        key = (route.worker_id, route_day(problem, route))  # a night shift: its first day
        by_day.setdefault(key, []).append(route)
    order = {w.id: k for k, w in enumerate(problem.workers)}
    return [_sheet(problem, routes, legs, warning, day)
            for (_, day), routes in sorted(by_day.items(),
                                           key=lambda kv: (order[kv[0][0]], kv[0][1]))]


def _sheet(problem: Problem, routes: Sequence[Route], legs: Legs | None, warning: str,
           day: date) -> RouteSheet:
    cal = problem.calendar
    worker = problem.worker(routes[0].worker_id)
    provider = problem.provider(worker.provider_id)
    vehicle = problem.vehicle_of(worker)
    rows: list[SheetRow] = []
    path: list[tuple[LatLon, ...]] = []
    metres = seconds = number = 0
    for route in sorted(routes, key=lambda r: r.start_s):
        figures = route_figures(problem, route)
        metres, seconds = metres + figures.distance_m, seconds + figures.travel_s
        if legs is not None:
            path += [tuple(legs[a, b]) for a, b in route_legs(problem, route)]
        events: list[tuple[int, int, Stop | None]] = [(s.start_s, 1, s) for s in route.stops]
        events += [(b.start_s, 0, None) for b in route.breaks]
        breaks = {b.start_s: b for b in route.breaks}
        for start_s, _order, stop in sorted(events, key=lambda e: (e[0], e[1])):
            if stop is None:
                pause = breaks[start_s]
                rows.append(SheetRow(0, _("break"), "", "", "", cal.hhmm(pause.start_s),
                                     cal.hhmm(pause.end_s), cal.iso(pause.start_s),
                                     cal.iso(pause.end_s), "", "", "", "", ""))
            else:
                number += 1
                rows.append(_row(problem, stop, number))
    first, last = min(routes, key=lambda r: r.start_s), max(routes, key=lambda r: r.end_s)
    start_loc = _location(problem, worker.start_location_id)
    end_loc = _location(problem, worker.end_location_id)
    return RouteSheet(
        day=day, worker_id=worker.id, worker=worker.name, provider=provider.name,
        vehicle=vehicle.name if vehicle else "", start_place=start_loc.name or start_loc.id,
        start=cal.hhmm(first.start_s), end_place=end_loc.name or end_loc.id,
        end=cal.hhmm(last.end_s), km=round(metres / 1000, 1),
        driving_min=round(seconds / 60), rows=tuple(rows), path=tuple(path),
        bases=((start_loc.lat, start_loc.lon), (end_loc.lat, end_loc.lon)), warning=warning)


def _location(problem: Problem, location_id: str) -> Location:
    return problem.locations[problem.location_index(location_id)]


def _row(problem: Problem, stop: Stop, number: int) -> SheetRow:
    cal = problem.calendar
    task = problem.task(stop.task_id)
    place = _location(problem, stop.location_id)
    client = problem.client(task.client_id) if task.client_id else None
    contact = client.contact if client is not None else Contact()
    windows = (task.ride.dropoff_windows if task.ride is not None
               and stop.action is StopAction.DROPOFF else task.windows)
    window = next((w for w in windows if w.start_s <= stop.start_s <= w.end_s), None)
    needs = [_(MOBILITY[contact.mobility]) if contact.mobility in MOBILITY else contact.mobility] \
        if contact.mobility != "walks" else []
    if contact.escort:
        needs.append(_("with an escort"))
    if task.ride is not None:
        p = task.ride.passengers
        counts = ((p.seated, ngettext("{n} seated", "{n} seated", p.seated)),
                  (p.wheelchair, ngettext("{n} in a wheelchair", "{n} in wheelchairs",
                                          p.wheelchair)),
                  (p.escort, ngettext("{n} escort", "{n} escorts", p.escort)))
        needs.append(", ".join(text.format(n=n) for n, text in counts if n))
    bring = task.note
    skills = "" if task.ride is not None else ", ".join(sorted(task.required_skills))
    return SheetRow(
        number=number, what=_(WHAT[(task.kind, stop.action)]), task=task.id,
        window=window_text(problem, window.start_s, window.end_s) if window else "",
        arrival=cal.hhmm(stop.arrival_s), start=cal.hhmm(stop.start_s), end=cal.hhmm(stop.end_s),
        start_iso=cal.iso(stop.start_s), end_iso=cal.iso(stop.end_s),
        client=client.name if client is not None else "",
        address=place.name or place.id, phone=contact.phone, needs="; ".join(needs),
        bring="; ".join(x for x in (skills, bring) if x),
        lat=place.lat, lon=place.lon, promise=_promise_text(problem, task, stop))


def _promise_text(problem: Problem, task: Task, stop: Stop) -> str:
    """"obiecane 10:00–11:00" beside the first stop of a promised task, else ""."""
    if task.promise is None or stop.action is not task.actions[0]:
        return ""
    return _("promised {window}").format(
        window=window_text(problem, task.promise.start_s, task.promise.end_s))


def window_text(problem: Problem, start_s: int, end_s: int) -> str:
    """A time window as a person reads it: "09:00–11:00"; one open from the day's
    midnight is "do 08:15" (an arrive-by trip, a drop-off due by then), one open until
    the next midnight "od 15:00" (written 24:00 where it also starts at a set time: it
    never reads 00:00), the whole day "cały dzień" (Polish; the words from the catalog)."""
    cal = problem.calendar
    day = cal.date_of(start_s)
    start, end = cal.hhmm(start_s), cal.hhmm(end_s)
    if end == "00:00" and cal.date_of(end_s) > day:
        end = "24:00"
    if (start, end) == ("00:00", "24:00"):
        return _("all day")
    if start == "00:00":
        return _("by {time}").format(time=end)
    if end == "24:00":
        return _("from {time}").format(time=start)
    return f"{start}–{end}"
