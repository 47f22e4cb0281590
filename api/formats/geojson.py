"""A plan as GeoJSON (RFC 7946) for other software: routes along the streets, stops.

Each route is a LineString Feature following the road path of every leg (not straight
lines between stops), from its start place through its stops back to its end place;
each stop is a Point Feature with its times and task. Coordinates are [lon, lat] (WGS
84), times ISO 8601 with the plan's offset, distances in metres, durations in seconds.
`names=False` gives the planner's version: no client names or ids, no worker names, and
no place tied to a client: a stop at a client's home has no geometry (`null`), and
neither has a route line (it runs door to door); clinics and bases keep theirs."""

from __future__ import annotations

from typing import Any

from geo.matrix import Matrices
from optimiser.kpi import route_figures, route_legs
from optimiser.model import Plan, Problem


def plan_geojson(problem: Problem, plan: Plan, matrices: Matrices, *,
                 names: bool = True) -> dict[str, Any]:
    cal = problem.calendar
    clients = {c.id: c.name for c in problem.clients}
    homes = {c.location_id for c in problem.clients}
    features: list[dict[str, Any]] = []
    for k, route in enumerate(plan.routes):
        worker = problem.worker(route.worker_id)
        line: list[list[float]] = []
        for a, b in route_legs(problem, route):
            leg = matrices.leg_path(problem.location_index(a), problem.location_index(b))
            coords = [[lon, lat] for lat, lon in leg]
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
        for n, stop in enumerate(route.stops, start=1):
            task = problem.task(stop.task_id)
            place = problem.locations[problem.location_index(stop.location_id)]
            props: dict[str, Any] = {
                "type": "stop", "route": k, "number": n, "task": task.id,
                "kind": task.kind.value, "action": stop.action.value,
                "arrival": cal.iso(stop.arrival_s), "start": cal.iso(stop.start_s),
                "end": cal.iso(stop.end_s), "worker": route.worker_id}
            if names:
                props["client"] = task.client_id
                props["client_name"] = clients.get(task.client_id or "", "")
                props["address"] = place.name
            hidden = not names and place.id in homes
            features.append({"type": "Feature", "properties": props,
                             "geometry": None if hidden else
                             {"type": "Point", "coordinates": [place.lon, place.lat]}})
    return {"type": "FeatureCollection", "features": features}
