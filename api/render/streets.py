"""The streets under the page's map, drawn from the road network itself (no tile server).

`streets_geojson` gives the network's streets inside a box as one GeoJSON Feature (a
MultiLineString, [lon, lat]): each two-way street once, joined into longer lines and
simplified to about `TOLERANCE_DEG` (a few metres), coordinates rounded to 5 decimals
(about a metre). The box is the town around the plan's places (`town_box`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString

from geo.network import RoadNetwork, haversine_m
from optimiser.model import Problem

TOLERANCE_DEG = 0.00004  # ~3-4 m: the lines keep their shape at street zoom
FAR_M = 8_000  # places farther than this from every base are out of town
PAD_DEG = 0.004  # ~400 m of streets around the town's places


def town_box(places: Sequence[tuple[float, float]], bases: Sequence[tuple[float, float]]
             ) -> tuple[float, float, float, float]:
    """(south, west, north, east) around the bases and the places within `FAR_M` of one."""
    if not bases:
        raise ValueError("bases: a plan's town needs at least one base")
    near = [p for p in places
            if min(float(haversine_m(p[0], p[1], b[0], b[1])) for b in bases) <= FAR_M]
    lat = np.array([p[0] for p in [*bases, *near]])
    lon = np.array([p[1] for p in [*bases, *near]])
    return (float(lat.min()) - PAD_DEG, float(lon.min()) - PAD_DEG,
            float(lat.max()) + PAD_DEG, float(lon.max()) + PAD_DEG)


def streets_geojson(network: RoadNetwork, box: tuple[float, float, float, float]
                    ) -> dict[str, Any]:
    return streets_document(street_lines(network, box))


def streets_document(lines: Sequence[Sequence[Sequence[float]]]) -> dict[str, Any]:
    """Street lines ([lon, lat] points) as the page's GeoJSON (one MultiLineString)."""
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"type": "streets", "lines": len(lines)},
        "geometry": {"type": "MultiLineString", "coordinates": lines}}]}


def plan_town_box(problem: Problem) -> tuple[float, float, float, float] | None:
    """The town of a plan: around its workers' bases and the places near them (None
    for a problem without workers)."""
    bases = [(b.lat, b.lon) for b in (problem.locations[problem.location_index(
        w.start_location_id)] for w in problem.workers)]
    if not bases:
        return None
    return town_box([(p.lat, p.lon) for p in problem.locations], bases)


def street_lines(network: RoadNetwork, box: tuple[float, float, float, float]
                 ) -> list[list[list[float]]]:
    """The network's streets inside `box`, joined and simplified, [lon, lat] rounded."""
    south, west, north, east = box
    n = network.node_count
    u, v = network.edge_keys // n, network.edge_keys % n
    inside = ((network.lat >= south) & (network.lat <= north)
              & (network.lon >= west) & (network.lon <= east))
    keep = np.flatnonzero(inside[u] | inside[v])
    seen: set[tuple[int, int]] = set()
    lines: list[LineString] = []
    for k in keep.tolist():
        a, b = int(u[k]), int(v[k])
        if (b, a) in seen:  # the other direction of a two-way street
            continue
        seen.add((a, b))
        shape = network.edge_geometry[k] if k < len(network.edge_geometry) else None
        lines.append(shape if shape is not None else LineString(
            [(network.lon[a], network.lat[a]), (network.lon[b], network.lat[b])]))
    merged = shapely.line_merge(MultiLineString(lines)) if lines else MultiLineString()
    simple = shapely.simplify(merged, TOLERANCE_DEG, preserve_topology=False)
    parts = [simple] if isinstance(simple, LineString) else list(getattr(simple, "geoms", []))
    return [[[round(x, 5), round(y, 5)] for x, y in part.coords]
            for part in parts if len(part.coords) >= 2]
