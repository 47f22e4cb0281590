"""What the coordinator's day view shows of one day of a plan, as plain data for JSON.

- `figures`: served by priority, km driven, the PES share of service time (worker-hours,
  `optimiser.rules.pes_share`) against the plan's target (35 % in the CUS project; none
  for a plan without a goal), for that day only;
- `rows`: one timeline row per worker (drives, waits, stops, breaks, idle at the base,
  from `api.render.overview.route_segments`) with the day's stops numbered as on the
  map (`route`, `number` match `GET /plans/{id}/geojson`); a stop farther than
  `FAR_M` from the worker's base is out of town (`far`);
- `bases`: the workers' bases; `left_out`: the day's unassigned tasks with reasons and
  what would let them in (`api.render.left_out`);
- `changes`: what re-planning changed that day (`api.render.changes`; None for a plan never
  re-planned), each stop marked `change` "added" or "retimed" (`was`: the old start);
- `choices`: what the event form offers (the day's workers, buses, requests; clients
  and places for an urgent ride).
Times are local `HH:MM` and minutes after the day's midnight (for drawing); `utc_offset`
is the day's offset from UTC (`+01:00`), for the event form's ISO times."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from api.render.changes import day_changes, mark_stops
from api.render.left_out import KIND_PL, left_out_on
from api.render.overview import LABELS, route_segments
from api.render.route_sheet import window_text
from api.render.streets import FAR_M
from api.render.words import N_, Translated, gettext
from geo.network import haversine_m
from optimiser.kpi import familiar_pct, plan_pes_share, route_figures, spreads
from optimiser.model import Plan, Priority, Problem, ProviderKind, Route, Stop, StopAction
from optimiser.rules import routes_on

ACTION_PL = Translated({"serve": "", "pickup": N_("boarding"), "dropoff": N_("alighting")})
SEGMENT_PL = Translated({**{str(k): v for k, v in LABELS.msgids().items()}, "trip": N_("ride")})


def day_routes(problem: Problem, plan: Plan, day: date) -> list[tuple[int, Route]]:
    """(index in plan.routes, route) of the routes of `day` (`optimiser.rules.route_day`:
    a night shift belongs to the day it starts)."""
    return routes_on(problem, plan.routes, day)


def day_figures(problem: Problem, plan: Plan, day: date) -> dict[str, Any]:
    cal = problem.calendar
    routes = [r for _, r in day_routes(problem, plan, day)]
    tasks = [t for t in problem.tasks if t.windows and cal.date_of(t.windows[0].start_s) == day]
    served = {s.task_id for r in routes for s in r.stops}
    by_priority = []
    for priority in sorted(Priority, reverse=True):
        of = [t for t in tasks if t.priority is priority]
        if of:
            by_priority.append({"priority": priority.name.lower(),
                                "served": sum(t.id in served for t in of), "tasks": len(of)})
    figures = [route_figures(problem, r) for r in routes]
    service = sum(f.service_s for f in figures)
    pes = plan_pes_share(problem, routes)  # worker-hours, as the plan's figures
    return {"tasks": len(tasks), "served": len([t for t in tasks if t.id in served]),
            "by_priority": by_priority, "routes": len(routes),
            "distance_km": round(sum(f.distance_m for f in figures) / 1000, 1),
            "service_h": round(service / 3600, 1),
            "pes_share": None if pes.share is None else round(pes.share, 4),
            "pes_share_target": pes.target, "pes_share_met": pes.met,
            "familiar_pct": familiar_pct(problem, routes),
            **spreads(zip(routes, figures, strict=True), [
                w.id for w in problem.workers
                if any(cal.date_of(s.start_s) == day for s in w.shifts)])}


def day_rows(problem: Problem, plan: Plan, day: date) -> list[dict[str, Any]]:
    cal = problem.calendar
    midnight = cal.at(day, 0)
    clients = {c.id: c.name for c in problem.clients}
    rows: dict[str, dict[str, Any]] = {}
    for k, route in day_routes(problem, plan, day):
        worker = problem.worker(route.worker_id)
        base = problem.locations[problem.location_index(worker.start_location_id)]
        provider = problem.provider(worker.provider_id)
        row = rows.setdefault(worker.id, {
            "worker": worker.id, "name": worker.name, "provider": provider.name,
            "pes": provider.kind is ProviderKind.PES, "routes": [], "segments": [],
            "stops": [], "distance_km": 0.0})
        row["routes"].append(k)
        row["distance_km"] = round(row["distance_km"]
                                   + route_figures(problem, route).distance_m / 1000, 1)
        for start, end, kind in route_segments(problem, route):
            if end > start:
                row["segments"].append({
                    "kind": str(kind), "label": SEGMENT_PL[str(kind)],
                    "from": cal.hhmm(start), "to": cal.hhmm(end),
                    "start_min": (start - midnight) / 60, "end_min": (end - midnight) / 60})
        for n, stop in enumerate(route.stops, start=1):
            task = problem.task(stop.task_id)
            place = problem.locations[problem.location_index(stop.location_id)]
            far = float(haversine_m(place.lat, place.lon, base.lat, base.lon)) > FAR_M
            row["stops"].append({
                "route": k, "number": n, "task": task.id, "kind": task.kind.value,
                "kind_label": KIND_PL[task.kind.value], "action": ACTION_PL[stop.action.value],
                "action_id": stop.action.value,
                "arrival": cal.hhmm(stop.arrival_s), "start": cal.hhmm(stop.start_s),
                "end": cal.hhmm(stop.end_s), "start_min": (stop.start_s - midnight) / 60,
                "end_min": (stop.end_s - midnight) / 60, "far": far,
                "priority": task.priority.name.lower(),
                "client_name": clients.get(task.client_id or "", ""), "address": place.name,
                "lat": place.lat, "lon": place.lon, **stop_window(problem, stop, midnight)})
    return sorted(rows.values(), key=lambda r: r["worker"])


def stop_window(problem: Problem, stop: Stop, midnight: int) -> dict[str, Any]:
    """What a stop is held to, as it is: a visit's or a pickup's `window` (the one its
    start fell in, "" for all day), or a trip's drop-off `deadline` (the arrive-by time,
    `HH:MM` and `deadline_min` after midnight; None for a drop-off due at no time). An
    arrive-by is a deadline, not a window: arriving early is allowed."""
    task = problem.task(stop.task_id)
    windows = task.leg(stop.action)[2]
    if stop.action is StopAction.DROPOFF:
        due = next((w.end_s for w in windows if w.start_s <= stop.start_s <= w.end_s),
                   windows[0].end_s if windows else None)
        return {"window": "", "deadline": None if due is None else problem.calendar.hhmm(due),
                "deadline_min": None if due is None else (due - midnight) / 60}
    window = next((w for w in windows if w.start_s <= stop.start_s <= w.end_s), None)
    text = window_text(problem, window.start_s, window.end_s) if window else ""
    return {"window": "" if text == gettext("all day") else text, "deadline": None,
            "deadline_min": None}


def day_bases(problem: Problem, plan: Plan, day: date) -> list[dict[str, Any]]:
    """The bases the day's routes start and end at, one per place (workers sharing one
    base each have a location of their own at the same point)."""
    seen: dict[tuple[float, float], dict[str, Any]] = {}
    for _, route in day_routes(problem, plan, day):
        worker = problem.worker(route.worker_id)
        for place_id in (worker.start_location_id, worker.end_location_id):
            place = problem.locations[problem.location_index(place_id)]
            base = seen.setdefault((round(place.lat, 5), round(place.lon, 5)), {
                "name": place.name or place.id, "lat": place.lat, "lon": place.lon,
                "workers": []})
            if worker.name not in base["workers"]:
                base["workers"].append(worker.name)
    return list(seen.values())


def day_view(problem: Problem, plan: Plan, day: date,
             replanning: dict[str, Any] | None = None) -> dict[str, Any]:
    """The day view of `day` (with client names and places: for coordinators); with the
    plan document's `replanning` block, what re-planning changed that day."""
    rows = day_rows(problem, plan, day)
    changes = day_changes(problem, replanning, day)
    mark_stops(rows, changes)
    minutes = [m for r in rows for s in r["segments"] for m in (s["start_min"], s["end_min"])]
    first = int(min(minutes, default=7 * 60) // 60)
    last = int(-(-max(minutes, default=17 * 60) // 60))
    left = [dataclasses.asdict(t) for t in left_out_on(problem, plan, day)]
    noon = problem.calendar.moment(problem.calendar.at(day, 12))
    return {"day": day.isoformat(), "utc_offset": noon.isoformat()[-6:],
            "figures": day_figures(problem, plan, day), "rows": rows,
            "bases": day_bases(problem, plan, day), "left_out": left, "changes": changes,
            "choices": event_choices(problem, day),
            "hours": {"from": max(0, first), "to": min(24, max(last, first + 1))}}


def event_choices(problem: Problem, day: date) -> dict[str, Any]:
    """What the page's event form offers on `day`: its workers and buses, its requests (to
    cancel or report late), and the clients and places an urgent ride can go between."""
    cal = problem.calendar
    working = [w for w in problem.workers if any(cal.date_of(s.start_s) == day
                                                 for s in w.shifts)]
    buses = {w.vehicle_id for w in working if w.vehicle_id}
    clients = {c.id: c.name for c in problem.clients}
    homes = {c.location_id for c in problem.clients} | {
        w.start_location_id for w in problem.workers} | {w.end_location_id for w in problem.workers}
    tasks = sorted((t for t in problem.tasks if t.windows
                    and cal.date_of(t.windows[0].start_s) == day),
                   key=lambda t: (t.windows[0].start_s, t.id))
    return {
        "workers": [{"id": w.id, "name": w.name} for w in sorted(working, key=lambda w: w.name)],
        "vehicles": [{"id": v.id, "name": v.name or v.id} for v in problem.vehicles
                     if v.id in buses],
        "tasks": [{"id": t.id, "kind": t.kind.value, "label": (
            f"{clients.get(t.client_id or '', '') or t.id} — {KIND_PL[t.kind.value]}, "
            f"{cal.hhmm(t.windows[0].start_s)}")} for t in tasks],
        "clients": sorted(({"id": c.id, "name": c.name} for c in problem.clients),
                          key=lambda c: c["name"]),
        "places": [{"id": p.id, "name": p.name or p.id} for p in problem.locations
                   if p.id not in homes],
    }
