"""A plan as GeoJSON (RFC 7946) for other software: routes along the streets, stops.

Each route is a LineString Feature following the road path of every leg (not straight
lines between stops: `legs`, each leg's path), from its start place through its stops
back to its end place; each stop is a Point Feature with its times, task and (named
version) place: the stop's own, a clinic, a day centre, a home; each break one too,
where the worker takes it; stops and breaks in time order. Coordinates are [lon, lat]
(WGS 84), times ISO 8601 with the plan's offset, distances in metres, durations in
seconds. `names=False` gives the planner's version: no client names or ids, no worker
names, no place names, and no place tied to a client: a stop at a client's home has no
geometry (`null`), and neither has a route line (it runs door to door); clinics and
bases keep theirs."""

from __future__ import annotations

from typing import Any

from api.render.route_sheet import Legs
from optimiser.kpi import route_figures, route_legs
from optimiser.model import Break, Location, Plan, Problem, Route


def plan_geojson(problem: Problem, plan: Plan, legs: Legs, *,
                 names: bool = True) -> dict[str, Any]:
    cal = problem.calendar
    clients = {c.id: c.name for c in problem.clients}
    homes = {c.location_id for c in problem.clients}
    features: list[dict[str, Any]] = []
    for k, route in enumerate(plan.routes):
        worker = problem.worker(route.worker_id)
        line: list[list[float]] = []
        for a, b in route_legs(problem, route):
            coords = [[lon, lat] for lat, lon in legs[a, b]]
            line.extend(coords[1:] if line and coords and line[-1] == coords[0] else coords)
        if len(line) == 1:
            line.append(line[0])  # a LineString needs two positions
        route_props: dict[str, Any] = {
            "type": "route", "route": k, "worker": route.worker_id,
            "provider": worker.provider_id, "start": cal.iso(route.start_s),
            "end": cal.iso(route.end_s),
            "distance_m": route_figures(problem, route).distance_m}
        if names:
            route_props["worker_name"] = worker.name
        features.append({"type": "Feature", "properties": route_props,
                         "geometry": {"type": "LineString", "coordinates": line}
                         if names else None})
        items: list[tuple[int, dict[str, Any]]] = []
        for n, stop in enumerate(route.stops, start=1):
            task = problem.task(stop.task_id)
            place = problem.locations[problem.location_index(stop.location_id)]
            props: dict[str, Any] = {
                "type": "stop", "route": k, "number": n, "task": task.id,
                "kind": task.kind.value, "action": stop.action.value,
                "arrival": cal.iso(stop.arrival_s), "start": cal.iso(stop.start_s),
                "end": cal.iso(stop.end_s), "worker": route.worker_id}
            hidden = not names and place.id in homes
            if names:
                props["client"] = task.client_id
                props["client_name"] = clients.get(task.client_id or "", "")
                props["address"] = place.name
                props["place"] = place.name or place.id
            items.append((stop.start_s, _feature(props, None if hidden else place)))
        for pause in route.breaks:
            place = problem.locations[problem.location_index(break_place(problem, route, pause))]
            hidden = not names and place.id in homes
            props = {"type": "break", "route": k, "start": cal.iso(pause.start_s),
                     "end": cal.iso(pause.end_s), "worker": route.worker_id}
            items.append((pause.start_s, _feature(props, None if hidden else place)))
        features += [f for _, f in sorted(items, key=lambda item: item[0])]
    return {"type": "FeatureCollection", "features": features}


def _feature(props: dict[str, Any], place: Location | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": None if place is None else
            {"type": "Point", "coordinates": [place.lon, place.lat]}}


def break_place(problem: Problem, route: Route, pause: Break) -> str:
    """Where a worker takes a break: where the last stop before it ended (or the base) if
    it starts then, else at the next stop's place (or the base at the end), waiting."""
    worker = problem.worker(route.worker_id)
    before = [s for s in route.stops if s.end_s <= pause.start_s]
    after = [s for s in route.stops if s.start_s >= pause.end_s]
    free_s = before[-1].end_s if before else route.start_s
    if pause.start_s == free_s or not after and not before:
        return before[-1].location_id if before else worker.start_location_id
    return after[0].location_id if after else worker.end_location_id
