"""A generated street grid for offline demos and tests (no OSM data needed)."""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["grid_graph"]

_EARTH_RADIUS_M = 6_371_009.0  # mean Earth radius, as used by osmnx
_ARTERIAL_EVERY = 5  # every 5th street in each direction is a "secondary" road


def grid_graph(
    center_lat: float,
    center_lon: float,
    *,
    half_size_m: float = 3000,
    spacing_m: float = 200,
) -> nx.MultiDiGraph:
    """Return a two-way street grid centred on a point, in the shape osmnx produces.

    Streets run north-south and east-west every ``spacing_m`` metres out to
    ``half_size_m`` from the centre. Edges have ``length`` (m), ``highway``
    ("residential", every 5th street "secondary") and ``oneway`` False, so
    :func:`geo.graph.prepare_graph` and :func:`geo.matrix.travel_matrices` accept
    it unchanged. The same arguments always give the same graph.
    """
    _check_arguments(center_lat, center_lon, half_size_m=half_size_m, spacing_m=spacing_m)
    steps = int(half_size_m // spacing_m)
    offsets = [i * spacing_m for i in range(-steps, steps + 1)]
    side = len(offsets)
    m_per_deg_lat = math.radians(1) * _EARTH_RADIUS_M
    m_per_deg_lon = m_per_deg_lat * math.cos(math.radians(center_lat))

    G = nx.MultiDiGraph(crs="epsg:4326", name=f"grid {side}x{side} at {center_lat},{center_lon}")
    for row, north_m in enumerate(offsets):
        for col, east_m in enumerate(offsets):
            G.add_node(
                _node_id(row, col, side),
                y=center_lat + north_m / m_per_deg_lat,
                x=center_lon + east_m / m_per_deg_lon,
                street_count=4,
            )
    for row in range(side):
        for col in range(side):
            if col + 1 < side:  # east-west street number `row`
                _add_two_way(G, _node_id(row, col, side), _node_id(row, col + 1, side),
                             length_m=spacing_m, highway=_street_class(row))
            if row + 1 < side:  # north-south street number `col`
                _add_two_way(G, _node_id(row, col, side), _node_id(row + 1, col, side),
                             length_m=spacing_m, highway=_street_class(col))
    return G


def _check_arguments(lat: float, lon: float, *, half_size_m: float, spacing_m: float) -> None:
    if not -85 <= lat <= 85:
        raise ValueError(f"center_lat must be within [-85, 85], got {lat}")
    if not -180 <= lon <= 180:
        raise ValueError(f"center_lon must be within [-180, 180], got {lon}")
    if not spacing_m > 0:
        raise ValueError(f"spacing_m must be positive, got {spacing_m}")
    if not half_size_m >= spacing_m:
        raise ValueError(f"half_size_m ({half_size_m}) must be at least spacing_m ({spacing_m})")


def _node_id(row: int, col: int, side: int) -> int:
    return row * side + col + 1


def _street_class(line: int) -> str:
    return "secondary" if line % _ARTERIAL_EVERY == 0 else "residential"


def _add_two_way(G: nx.MultiDiGraph, u: int, v: int, *, length_m: float, highway: str) -> None:
    for a, b in ((u, v), (v, u)):
        G.add_edge(a, b, key=0, length=float(length_m), highway=highway, oneway=False)
