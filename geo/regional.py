"""Regional travel model: trips to and from places beyond the town's road network.

The planner only has the road graph of the town itself (no regional OSM extract is
available offline), but some trips leave it: the CUS senior bus of Starachowice
drives seniors to clinics in Kielce (~40 km), Radom (~50 km), Ostrowiec
Świętokrzyski (~30 km) and Skarżysko-Kamienna (~20 km). Without this model such a
destination would be snapped to the nearest town node and reached by a straight
"access leg" at walking-pace access speed: hours for a 40 km trip.

The model, used by :func:`geo.matrix.travel_matrices` when given a
:class:`RegionalModel`:

- **Outside point**: a point whose straight-line distance to its nearest graph node
  (the snap distance) is more than ``outside_m``. Every other point is *inside* and
  is treated exactly as without the model (access leg + road path + access leg).
- **Exits**: the nodes where a car leaves the town network. They are the graph's
  boundary nodes: nodes on the convex hull of the node coordinates, or within
  :data:`EXIT_BAND_M` (300 m) of the hull's boundary. If some of these nodes touch a
  ``motorway``, ``trunk``, ``primary`` or ``secondary`` road (:data:`MAJOR_HIGHWAYS`),
  only those are exits: regional trips leave a town by its main roads, not by a
  residential dead end that happens to lie near the edge of the map. If the nodes are
  fewer than three or all collinear (no hull), every node is an exit.
- **Inside → outside**: access leg at ``access_speed_kph``, then the fastest road
  path to an exit, then the great-circle distance from that exit to the destination
  times ``detour_factor``, driven at ``speed_kph``. The exit is the one that minimises
  the total time. The distance is the road length of that same path plus the
  great-circle distance times ``detour_factor``.
- **Outside → inside**: the mirror image, with road times *from* each exit (so one-way
  streets are respected) and the exit chosen again to minimise the total time.
- **Outside → outside**: great-circle distance times ``detour_factor`` at
  ``speed_kph``; the trip does not pass through the town.
- Totals are rounded to integer seconds and metres once, as in
  :func:`geo.matrix.travel_matrices`; identical points are 0 apart.

Assumptions and limits: the regional leg is a straight line stretched by a constant
detour factor and driven at a constant average speed (defaults 1.3 and 70 km/h, a
typical mix of national/voivodeship roads through villages in Poland); there is no
regional road network, traffic or ferry/river crossing. The town graph is assumed to
be a compact town (a convex-ish cut of the road network); an "outside" point inside
the hull (e.g. in a large park more than ``outside_m`` from any node) is still routed
via the boundary exits. ``Matrices.snapped_node`` and ``access_m`` of an outside point
still name its nearest town node and the straight distance to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import ConvexHull, QhullError

from geo.network import (
    RoadNetwork,
    ShortestTrees,
    UnreachableError,
    as_coordinates,
    haversine_m,
    nearest_nodes,
    project,
    require_reachable,
    shortest_trees,
)

__all__ = [
    "EXIT_BAND_M",
    "MAJOR_HIGHWAYS",
    "RegionalModel",
    "RegionalTravel",
    "exit_nodes",
    "is_outside",
    "regional_travel",
]

# Nodes this close to the convex hull's boundary (m) are boundary nodes (candidate exits).
EXIT_BAND_M = 300.0
# Road classes by which regional trips are assumed to leave the town.
MAJOR_HIGHWAYS = frozenset({"motorway", "trunk", "primary", "secondary"})


@dataclass(frozen=True)
class RegionalModel:
    """Parameters of the regional travel model (see the module docstring).

    ``speed_kph``: average speed of the regional leg. ``detour_factor``: road distance
    over great-circle distance (at least 1). ``outside_m``: snap distance above which a
    point is outside the town's road network ("more than 3 km from the network").
    ``radius_m``: how far beyond the network a trip's pickup or drop-off may be, measured
    like ``outside_m`` (the straight distance to the nearest road node, so from the
    network's edge, not its centre); a scenario with a place farther away is refused
    before planning (``api.convert.scenario.refuse_far_places``). The model itself does
    not use it.

    These defaults are the single source of the model's defaults: the scenario
    schema reads them from ``RegionalModel()``, so keep the field names.
    """

    speed_kph: float = 70.0
    detour_factor: float = 1.3
    outside_m: float = 3000.0
    radius_m: float = 250_000.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not math.isfinite(value) or value <= 0):
                raise ValueError(f"RegionalModel.{field.name} must be a finite positive "
                                 f"number, got {value!r}")
        if self.detour_factor < 1:
            raise ValueError("RegionalModel.detour_factor must be at least 1 (a road is never "
                             f"shorter than the great circle), got {self.detour_factor!r}")

    @property
    def speed_mps(self) -> float:
        return self.speed_kph / 3.6


def is_outside(
    G: nx.MultiDiGraph, points: Sequence[tuple[float, float]], model: RegionalModel
) -> list[bool]:
    """For each (lat, lon) point: is it more than ``model.outside_m`` from every node of G?"""
    coords = as_coordinates(points)
    if len(coords) == 0:
        return []
    if len(G) == 0:
        raise ValueError("the road graph has no nodes")
    lat = np.array([y for _, y in G.nodes(data="y")], dtype=np.float64)
    lon = np.array([x for _, x in G.nodes(data="x")], dtype=np.float64)
    _, snap_m = nearest_nodes(lat, lon, coords)
    return [bool(outside) for outside in snap_m > model.outside_m]


def exit_nodes(G: nx.MultiDiGraph, network: RoadNetwork) -> np.ndarray:
    """Indices (into ``network``) of the exit nodes of the graph (see the module docstring)."""
    n = len(network.lat)
    xy = project(network.lat, network.lon, network.lat.mean())
    try:
        hull = ConvexHull(xy) if n >= 3 else None
    except QhullError:  # all nodes collinear (or coincident)
        hull = None
    if hull is None:
        return np.arange(n, dtype=np.int64)
    # hull.equations: unit outward normals and offsets; inside points have a·x + b <= 0.
    depth = -(xy @ hull.equations[:, :2].T + hull.equations[:, 2])
    boundary = depth.min(axis=1) <= EXIT_BAND_M
    boundary[hull.vertices] = True
    major = np.zeros(n, dtype=bool)
    major[_major_road_nodes(G, network)] = True
    if (boundary & major).any():
        boundary &= major
    return np.flatnonzero(boundary).astype(np.int64)


def _major_road_nodes(G: nx.MultiDiGraph, network: RoadNetwork) -> np.ndarray:
    index = {int(node): i for i, node in enumerate(network.node_ids)}
    touching = {
        index[node]
        for u, v, highway in G.edges(data="highway")
        if _is_major(highway)
        for node in (u, v)
        if node in index
    }
    return np.fromiter(touching, dtype=np.int64, count=len(touching))


def _is_major(highway: Any) -> bool:
    values = highway if isinstance(highway, list | tuple | set) else [highway]
    return any(isinstance(value, str) and value in MAJOR_HIGHWAYS for value in values)


@dataclass(frozen=True, eq=False)
class RegionalTravel:
    """What :func:`regional_travel` computed: unrounded matrices and how each leg runs.

    ``duration_s``/``distance_m``: (N, N) float matrices. ``exit_node[i, j]``: network
    index of the exit node leg ``i -> j`` uses (-1 for legs between two inside or two
    outside points). ``trees``: the shortest-path trees computed (from the inside
    points' road nodes and from the exits), kept to draw the legs (:mod:`geo.paths`).
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    exit_node: np.ndarray
    trees: tuple[ShortestTrees, ...]


def regional_travel(
    G: nx.MultiDiGraph,
    network: RoadNetwork,
    coords: np.ndarray,
    node_index: np.ndarray,
    access_m: np.ndarray,
    access_s: np.ndarray,
    outside: np.ndarray,
    model: RegionalModel,
    labels: list[str],
) -> RegionalTravel:
    """Unrounded duration (s) and distance (m) matrices when some points are outside.

    Inside pairs are computed exactly as in :func:`geo.matrix.travel_matrices`; pairs
    with an outside point use the regional legs. Loops run over outside points only.
    """
    n = len(coords)
    duration = np.empty((n, n), dtype=np.float64)
    distance = np.empty((n, n), dtype=np.float64)
    exit_node = np.full((n, n), -1, dtype=np.int32)
    out = np.flatnonzero(outside)
    ins = np.flatnonzero(~outside)

    # outside -> outside: straight, stretched, at regional speed
    gc_out = haversine_m(coords[out, 0][:, None], coords[out, 1][:, None],
                         coords[out, 0][None, :], coords[out, 1][None, :])
    distance[np.ix_(out, out)] = gc_out * model.detour_factor
    duration[np.ix_(out, out)] = gc_out * model.detour_factor / model.speed_mps
    if len(ins) == 0:
        return RegionalTravel(duration, distance, exit_node, ())

    in_nodes = node_index[ins]
    sources, source_row = np.unique(in_nodes, return_inverse=True)
    in_trees = shortest_trees(network, sources)  # (sources, nodes)
    tree_s, tree_m = in_trees.time_s, in_trees.length_m
    rows = source_row[:, None]
    road_s, road_m = tree_s[rows, in_nodes[None, :]], tree_m[rows, in_nodes[None, :]]
    require_reachable(road_s, [labels[i] for i in ins], network.node_ids[in_nodes])
    a_s, a_m = access_s[ins], access_m[ins]
    duration[np.ix_(ins, ins)] = a_s[:, None] + road_s + a_s[None, :]
    distance[np.ix_(ins, ins)] = a_m[:, None] + road_m + a_m[None, :]

    exits = exit_nodes(G, network)
    to_exit_s, to_exit_m = tree_s[rows, exits[None, :]], tree_m[rows, exits[None, :]]  # (I, E)
    exit_trees = shortest_trees(network, exits)
    from_exit_s = exit_trees.time_s[:, in_nodes]  # (E, I)
    from_exit_m = exit_trees.length_m[:, in_nodes]
    regional_m = model.detour_factor * haversine_m(
        network.lat[exits][:, None], network.lon[exits][:, None],
        coords[out, 0][None, :], coords[out, 1][None, :])  # (E, O)
    regional_s = regional_m / model.speed_mps
    every_in = np.arange(len(ins))

    for k, o in enumerate(out):
        there = to_exit_s + regional_s[None, :, k]  # (I, E)
        best = np.argmin(there, axis=1)
        _require_exit(there[every_in, best], ins, labels, labels[o], towards=True)
        duration[ins, o] = a_s + there[every_in, best]
        distance[ins, o] = a_m + to_exit_m[every_in, best] + regional_m[best, k]
        exit_node[ins, o] = exits[best]

        back = regional_s[:, k, None] + from_exit_s  # (E, I)
        best = np.argmin(back, axis=0)
        _require_exit(back[best, every_in], ins, labels, labels[o], towards=False)
        duration[o, ins] = back[best, every_in] + a_s
        distance[o, ins] = regional_m[best, k] + from_exit_m[best, every_in] + a_m
        exit_node[o, ins] = exits[best]
    return RegionalTravel(duration, distance, exit_node, (in_trees, exit_trees))


def _require_exit(
    totals: np.ndarray, ins: np.ndarray, labels: list[str], outside_label: str, *, towards: bool
) -> None:
    stuck = ~np.isfinite(totals)
    if not stuck.any():
        return
    inside_label = labels[int(ins[int(np.flatnonzero(stuck)[0])])]
    detail = ("no exit node of the road network is reachable from its road node" if towards
              else "no exit node of the road network reaches its road node")
    if towards:
        raise UnreachableError(inside_label, outside_label, detail)
    raise UnreachableError(outside_label, inside_label, detail)
