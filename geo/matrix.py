"""Snap locations to the road graph and compute travel-time and distance matrices.

A trip from location ``i`` to location ``j`` is: a straight access leg from ``i`` to
its nearest road node, the fastest road path to the node nearest ``j``, and a straight
access leg from that node to ``j``. Access legs are driven (or walked) at
``access_speed_kph``. The distance matrix is the length of that fastest path, not the
length of the shortest path.

With a :class:`geo.regional.RegionalModel`, locations far from every road node
("outside" the town's network, e.g. a clinic in another town) are reached through the
network's exit nodes and a straight, detour-stretched regional leg instead (see
:mod:`geo.regional`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

if TYPE_CHECKING:
    from geo.regional import RegionalModel

__all__ = ["Matrices", "UnreachableError", "travel_matrices"]

logger = logging.getLogger(__name__)

_EARTH_RADIUS_M = 6_371_009.0  # mean Earth radius, as used by osmnx


class UnreachableError(ValueError):
    """No road route exists from one location to another."""

    def __init__(self, origin: str, destination: str, detail: str = "") -> None:
        self.origin = origin
        self.destination = destination
        message = f"no road route from {origin!r} to {destination!r}"
        super().__init__(f"{message}: {detail}" if detail else message)


@dataclass(frozen=True, eq=False)
class Matrices:
    """Travel matrices between N locations, in the order the locations were given.

    ``duration_s[i, j]`` and ``distance_m[i, j]`` are integer seconds and metres from
    location ``i`` to location ``j`` (access legs included; 0 between identical
    points). ``snapped_node[i]`` is the OSM node id location ``i`` was snapped to and
    ``access_m[i]`` the straight-line distance to it. The arrays are read-only.
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    snapped_node: tuple[int, ...]
    access_m: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.snapped_node)
        for name in ("duration_s", "distance_m"):
            array = getattr(self, name)
            if array.shape != (n, n) or array.dtype != np.int64:
                raise ValueError(f"{name} must be an int64 {n}x{n} array, got {array.dtype} "
                                 f"{array.shape}")
            array.flags.writeable = False
        if len(self.access_m) != n:
            raise ValueError(f"access_m must have {n} entries, got {len(self.access_m)}")


@dataclass(frozen=True)
class _RoadNetwork:
    """The graph as arrays: node ids, coordinates and a CSR matrix of travel times."""

    node_ids: np.ndarray  # (n,) OSM ids
    lat: np.ndarray  # (n,)
    lon: np.ndarray  # (n,)
    travel_time_s: sp.csr_matrix  # (n, n), fastest of any parallel edges
    edge_keys: np.ndarray  # sorted u * n + v of the edges in travel_time_s
    edge_length_m: np.ndarray  # length of the same (fastest) edge, aligned with edge_keys


def travel_matrices(
    G: nx.MultiDiGraph,
    points: Sequence[tuple[float, float]],
    *,
    names: Sequence[str] | None = None,
    access_speed_kph: float = 20.0,
    regional: RegionalModel | None = None,
) -> Matrices:
    """Return fastest-path duration and distance matrices between ``points`` (lat, lon).

    ``G`` must have ``x``/``y`` node coordinates and ``travel_time``/``length`` edge
    attributes (see :func:`geo.graph.prepare_graph`). ``names`` label the locations in
    error messages. Raises :class:`UnreachableError` if any location cannot reach
    another one by road, and ``ValueError`` for malformed input.

    ``regional``: with a :class:`geo.regional.RegionalModel`, a location more than
    ``regional.outside_m`` from its nearest road node is *outside* and its trips use the
    regional model (exit nodes plus a great-circle leg; see :mod:`geo.regional`). With
    ``None`` (the default) every location gets a straight access leg, however long.
    """
    coords = _as_coordinates(points)
    labels = _labels(coords, names)
    if not access_speed_kph > 0 or not np.isfinite(access_speed_kph):
        raise ValueError(f"access_speed_kph must be a positive number, got {access_speed_kph}")
    if len(coords) == 0:
        empty = np.zeros((0, 0), dtype=np.int64)
        return Matrices(empty, empty.copy(), (), ())

    network = _road_network(G)
    node_index, access_m = _snap(network, coords)
    access_s = access_m / (access_speed_kph / 3.6)
    if regional is not None and (outside := access_m > regional.outside_m).any():
        from geo.regional import regional_travel  # geo.regional imports this module

        duration, distance = regional_travel(G, network, coords, node_index, access_m, access_s,
                                             outside, regional, labels)
        logger.debug("%d of %d locations are outside the road network", int(outside.sum()),
                     len(coords))
    else:
        road_s, road_m = _fastest_paths(network, node_index)
        _require_reachable(road_s, labels, network.node_ids[node_index])
        duration = access_s[:, None] + road_s + access_s[None, :]
        distance = access_m[:, None] + road_m + access_m[None, :]
    same_point = _same_point_mask(coords)
    duration[same_point] = 0.0
    distance[same_point] = 0.0
    logger.debug("travel matrices for %d locations on %d road nodes", len(coords), len(network.lat))
    return Matrices(
        duration_s=np.rint(duration).astype(np.int64),
        distance_m=np.rint(distance).astype(np.int64),
        snapped_node=tuple(int(i) for i in network.node_ids[node_index]),
        access_m=tuple(int(m) for m in np.rint(access_m)),
    )


def _as_coordinates(points: Sequence[tuple[float, float]]) -> np.ndarray:
    coords = np.asarray(points, dtype=np.float64)
    if coords.size == 0:
        return np.zeros((0, 2))
    if coords.ndim != 2 or coords.shape[1] != 2:
        raise ValueError(f"points must be a sequence of (lat, lon) pairs, got shape {coords.shape}")
    bad = ~(np.isfinite(coords).all(axis=1) & (np.abs(coords[:, 0]) <= 90)
            & (np.abs(coords[:, 1]) <= 180))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"point {i} is not a valid (lat, lon): {tuple(coords[i])}")
    return coords


def _labels(coords: np.ndarray, names: Sequence[str] | None) -> list[str]:
    if names is None:
        return [f"point {i} ({lat:.6f}, {lon:.6f})" for i, (lat, lon) in enumerate(coords)]
    if len(names) != len(coords):
        raise ValueError(f"names has {len(names)} entries but there are {len(coords)} points")
    return [str(name) for name in names]


def _road_network(G: nx.MultiDiGraph) -> _RoadNetwork:
    if len(G) == 0:
        raise ValueError("the road graph has no nodes")
    node_ids = np.fromiter(G.nodes, dtype=np.int64, count=len(G))
    index = {node: i for i, node in enumerate(G.nodes)}
    lat = np.array([y for _, y in G.nodes(data="y")], dtype=np.float64)
    lon = np.array([x for _, x in G.nodes(data="x")], dtype=np.float64)
    u, v, time_s, length_m = _edge_arrays(G, index)

    keep = u != v  # a self-loop never shortens a path
    u, v, time_s, length_m = u[keep], v[keep], time_s[keep], length_m[keep]
    order = np.lexsort((length_m, time_s, v, u))  # by (u, v), fastest then shortest first
    keys = u[order] * len(G) + v[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    chosen = order[first]
    csr = sp.csr_matrix((time_s[chosen], (u[chosen], v[chosen])), shape=(len(G), len(G)))
    return _RoadNetwork(node_ids, lat, lon, csr, keys[first], length_m[chosen])


def _edge_arrays(
    G: nx.MultiDiGraph, index: dict[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows = [
        (index[a], index[b], data.get("travel_time"), data.get("length"))
        for a, b, data in G.edges(data=True)
    ]
    if not rows:
        raise ValueError("the road graph has no edges")
    u, v, time_s, length_m = zip(*rows, strict=True)
    if None in time_s or None in length_m:
        raise ValueError("every edge needs 'travel_time' and 'length': prepare the graph with "
                         "geo.graph.prepare_graph first")
    times = np.array(time_s, dtype=np.float64)
    lengths = np.array(length_m, dtype=np.float64)
    if not (np.isfinite(times).all() and (times >= 0).all() and (lengths >= 0).all()):
        raise ValueError("edge 'travel_time' and 'length' must be finite and non-negative")
    return np.array(u, dtype=np.int64), np.array(v, dtype=np.int64), times, lengths


def _snap(network: _RoadNetwork, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest road node for each point (equirectangular projection) and distance in m."""
    return _nearest_nodes(network.lat, network.lon, coords)


def _nearest_nodes(lat: np.ndarray, lon: np.ndarray, coords: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest of the nodes (lat, lon) for each point, and distance in m."""
    lat0 = float(lat.mean())
    tree = cKDTree(_project(lat, lon, lat0))
    _, nearest = tree.query(_project(coords[:, 0], coords[:, 1], lat0))
    nearest = np.asarray(nearest, dtype=np.int64)
    access_m = _haversine_m(coords[:, 0], coords[:, 1], lat[nearest], lon[nearest])
    return nearest, access_m


def _project(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    """Equirectangular projection (m) around latitude ``lat0``: columns x (east), y (north)."""
    cos_lat0 = np.cos(np.radians(lat0))
    return np.column_stack((np.radians(lon) * cos_lat0, np.radians(lat))) * _EARTH_RADIUS_M


def _haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
                 ) -> np.ndarray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    a = (np.sin((phi2 - phi1) / 2) ** 2
         + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _fastest_paths(network: _RoadNetwork, node_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Road time (s) and length (m) of the fastest path between every pair of snapped nodes."""
    sources, source_row = np.unique(node_index, return_inverse=True)
    time_s, length_m = _shortest_trees(network, sources)
    rows = source_row[:, None]
    return time_s[rows, node_index[None, :]], length_m[rows, node_index[None, :]]


def _shortest_trees(network: _RoadNetwork, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Time (s) and length (m) of the fastest path from each source node to every node."""
    time_s, predecessors = dijkstra(
        network.travel_time_s, directed=True, indices=sources, return_predecessors=True
    )
    return time_s, _length_along_tree(network, predecessors)


def _length_along_tree(network: _RoadNetwork, predecessors: np.ndarray) -> np.ndarray:
    """Length from each source to every node along the shortest-path trees, vectorised.

    Pointer jumping: every node starts pointing at its predecessor, carrying the length
    of that one edge; each round adds the length carried by the node pointed at and then
    points two steps up. After ceil(log2(depth)) rounds every node points at its root.
    """
    n_sources, n = predecessors.shape
    column = np.broadcast_to(np.arange(n, dtype=np.int64), (n_sources, n))
    has_parent = predecessors >= 0  # the source itself and unreachable nodes have none
    parent = np.where(has_parent, predecessors, column).astype(np.int64)

    edge = np.searchsorted(network.edge_keys, parent * n + column)
    edge = np.minimum(edge, len(network.edge_keys) - 1)
    carried = np.where(has_parent, network.edge_length_m[edge], 0.0).ravel()

    row_start = (np.arange(n_sources, dtype=np.int64) * n)[:, None]
    pointer = (row_start + parent).ravel()  # flat index of the parent in the same row
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 1):
        jumped = pointer[pointer]
        if np.array_equal(jumped, pointer):
            break
        carried = carried + carried[pointer]
        pointer = jumped
    return carried.reshape(n_sources, n)


def _require_reachable(road_s: np.ndarray, labels: list[str], snapped_ids: np.ndarray) -> None:
    unreachable = ~np.isfinite(road_s)
    if not unreachable.any():
        return
    i, j = (int(k) for k in np.argwhere(unreachable)[0])
    detail = (f"their road nodes {int(snapped_ids[i])} and {int(snapped_ids[j])} are not "
              f"connected ({int(unreachable.sum())} location pairs in all); keep the strongly "
              "connected part of the graph with geo.graph.prepare_graph")
    raise UnreachableError(labels[i], labels[j], detail)


def _same_point_mask(coords: np.ndarray) -> np.ndarray:
    _, group = np.unique(coords, axis=0, return_inverse=True)
    group = group.reshape(-1)
    return group[:, None] == group[None, :]
