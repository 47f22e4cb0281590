"""The road graph as arrays: nodes, the fastest edge of each node pair, snapping, trees.

Everything :mod:`geo.matrix`, :mod:`geo.regional` and :mod:`geo.paths` compute on a
road graph goes through a :class:`RoadNetwork`, built once per graph by
:func:`road_network`:

- **Nodes** are numbered ``0..n-1`` in the graph's node order (``node_ids`` maps back
  to OSM ids); ``lat``/``lon`` are their coordinates.
- **Edges**: of parallel edges ``u -> v`` only the fastest is kept (ties: the shorter),
  with its ``travel_time`` in a CSR matrix and its ``length`` and ``geometry`` (the
  street's shape where osmnx left one, else ``None``) aligned with ``edge_keys``.
  Self-loops are dropped: they never shorten a path.
- **Snapping**: the nearest node by a KD-tree on an equirectangular projection around
  the nodes' mean latitude; the reported distance is the great-circle (haversine)
  distance, in metres, to that node.
- **Content hash** (:attr:`RoadNetwork.content_hash`, :func:`network_hash`): SHA-256 of
  the nodes (OSM id, latitude and longitude to 1e-7 degree) and the kept edges (OSM ids
  of both ends, travel time to the millisecond, length to the millimetre), each sorted
  by OSM id, so the same roads give the same hash whatever order a file lists them in.
  A plan records it, and whoever reads the plan back checks it is on the same roads.
- **Shortest-path trees** (:func:`shortest_trees`): scipy's Dijkstra by travel time
  from a set of source nodes, giving the time, the length along the same fastest path
  and the predecessors (to draw the path later).

The arrays of a :class:`RoadNetwork` are read-only. :func:`road_network` memoises the
network of a *frozen* graph (``networkx.freeze``; :func:`geo.graph.load_graph` returns
one), which cannot change under it; any other graph gets a new network on each call.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from threading import Lock
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

__all__ = [
    "EARTH_RADIUS_M",
    "NO_PREDECESSOR",
    "RoadNetwork",
    "ShortestTrees",
    "UnreachableError",
    "as_coordinates",
    "haversine_m",
    "nearest_nodes",
    "network_hash",
    "road_distance_m",
    "project",
    "require_reachable",
    "road_network",
    "shortest_trees",
]

EARTH_RADIUS_M = 6_371_009.0  # mean Earth radius, as used by osmnx
NO_PREDECESSOR = -9999  # scipy.sparse.csgraph's marker: a source, or an unreached node


class UnreachableError(ValueError):
    """No road route exists from one location to another."""

    def __init__(self, origin: str, destination: str, detail: str = "") -> None:
        self.origin = origin
        self.destination = destination
        message = f"no road route from {origin!r} to {destination!r}"
        super().__init__(f"{message}: {detail}" if detail else message)


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """The graph as arrays: node ids, coordinates and a CSR matrix of travel times.

    ``edge_keys`` are the sorted ``u * n + v`` (node indices) of the edges kept in
    ``travel_time_s``; ``edge_length_m`` and ``edge_geometry`` are aligned with them.
    Build it with :func:`road_network`; treat it as read-only (the arrays are).
    """

    node_ids: np.ndarray  # (n,) OSM ids
    lat: np.ndarray  # (n,)
    lon: np.ndarray  # (n,)
    travel_time_s: sp.csr_matrix  # (n, n), fastest of any parallel edges
    edge_keys: np.ndarray  # sorted u * n + v of the edges in travel_time_s
    edge_length_m: np.ndarray  # length of the same (fastest) edge, aligned with edge_keys
    edge_geometry: tuple[Any, ...] = ()  # its shapely LineString (lon, lat) or None, aligned

    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    @cached_property
    def content_hash(self) -> str:
        """``"sha256:<hex>"`` of the nodes and kept edges (see the module docstring)."""
        n = self.node_count
        digest = hashlib.sha256(b"trasa-road-network/1")
        order = np.argsort(self.node_ids, kind="stable")
        for column in (self.node_ids[order], _fixed(self.lat[order], 1e7),
                       _fixed(self.lon[order], 1e7)):
            digest.update(np.ascontiguousarray(column, dtype="<i8").tobytes())
        u, v = self.edge_keys // n, self.edge_keys % n
        time_s = np.asarray(self.travel_time_s[u, v]).ravel()
        from_id, to_id = self.node_ids[u], self.node_ids[v]
        order = np.lexsort((to_id, from_id))
        for column in (from_id[order], to_id[order], _fixed(time_s[order], 1e3),
                       _fixed(self.edge_length_m[order], 1e3)):
            digest.update(np.ascontiguousarray(column, dtype="<i8").tobytes())
        return f"sha256:{digest.hexdigest()}"

    @cached_property
    def _lat0(self) -> float:
        return float(self.lat.mean())

    @cached_property
    def _tree(self) -> cKDTree:
        return cKDTree(project(self.lat, self.lon, self._lat0))

    def snap(self, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node index for each (lat, lon) row of ``coords``, and the distance in m."""
        _, nearest = self._tree.query(project(coords[:, 0], coords[:, 1], self._lat0))
        nearest = np.asarray(nearest, dtype=np.int64)
        return nearest, haversine_m(coords[:, 0], coords[:, 1], self.lat[nearest],
                                    self.lon[nearest])

    def edge_index(self, u: int, v: int) -> int:
        """Position in ``edge_keys`` of the kept edge between node indices ``u -> v``."""
        key = u * self.node_count + v
        k = int(np.searchsorted(self.edge_keys, key))
        if k >= len(self.edge_keys) or self.edge_keys[k] != key:
            raise KeyError(f"no road edge from node {int(self.node_ids[u])} to "
                           f"{int(self.node_ids[v])}")
        return k


def _fixed(values: np.ndarray, scale: float) -> np.ndarray:
    return np.rint(np.asarray(values, dtype=np.float64) * scale).astype(np.int64)


@dataclass(frozen=True, eq=False)
class ShortestTrees:
    """Fastest-path trees from ``sources`` (node indices), one row per source.

    ``time_s[k, v]`` and ``length_m[k, v]``: travel time and length of the fastest path
    from ``sources[k]`` to node ``v`` (``inf`` time where unreachable);
    ``predecessors[k, v]`` (int32): the node before ``v`` on that path, or
    :data:`NO_PREDECESSOR` for the source itself and unreached nodes.
    """

    sources: np.ndarray
    time_s: np.ndarray
    length_m: np.ndarray
    predecessors: np.ndarray


_NETWORKS: weakref.WeakKeyDictionary[nx.MultiDiGraph, RoadNetwork] = weakref.WeakKeyDictionary()
_NETWORKS_LOCK = Lock()


def road_network(G: nx.MultiDiGraph) -> RoadNetwork:
    """The :class:`RoadNetwork` of ``G`` (prepared: edges need ``travel_time``, ``length``).

    Memoised per graph object when ``G`` is frozen (``networkx.is_frozen``), as the graphs
    of :func:`geo.graph.load_graph` are; a mutable graph is converted on every call, so
    changing it between calls is always seen. Raises ``ValueError`` for a graph without
    nodes or edges or with missing or negative edge attributes.
    """
    if not nx.is_frozen(G):
        return _build_network(G)
    with _NETWORKS_LOCK:
        cached = _NETWORKS.get(G)
    if cached is None:
        cached = _build_network(G)
        with _NETWORKS_LOCK:
            cached = _NETWORKS.setdefault(G, cached)
    return cached


def network_hash(G: nx.MultiDiGraph) -> str:
    """The content hash of ``G``'s road network (:attr:`RoadNetwork.content_hash`):
    computed once per frozen graph, as :func:`geo.graph.load_graph` returns them."""
    return road_network(G).content_hash


def road_distance_m(G: nx.MultiDiGraph, points: Sequence[tuple[float, float]]) -> np.ndarray:
    """Straight-line (great-circle) distance in metres from each (lat, lon) point to the
    nearest road node of ``G``: the snap distance :func:`geo.matrix.travel_matrices`
    uses, and the one :class:`geo.regional.RegionalModel`'s ``outside_m`` is measured in."""
    coords = as_coordinates(points)
    if len(coords) == 0:
        return np.zeros(0)
    return road_network(G).snap(coords)[1]


def _build_network(G: nx.MultiDiGraph) -> RoadNetwork:
    if len(G) == 0:
        raise ValueError("the road graph has no nodes")
    node_ids = np.fromiter(G.nodes, dtype=np.int64, count=len(G))
    index = {node: i for i, node in enumerate(G.nodes)}
    lat = np.array([y for _, y in G.nodes(data="y")], dtype=np.float64)
    lon = np.array([x for _, x in G.nodes(data="x")], dtype=np.float64)
    u, v, time_s, length_m, geometry = _edge_arrays(G, index)

    keep = u != v  # a self-loop never shortens a path
    u, v, time_s, length_m = u[keep], v[keep], time_s[keep], length_m[keep]
    geometry = [g for g, kept in zip(geometry, keep.tolist(), strict=True) if kept]
    order = np.lexsort((length_m, time_s, v, u))  # by (u, v), fastest then shortest first
    keys = u[order] * len(G) + v[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    chosen = order[first]
    csr = sp.csr_matrix((time_s[chosen], (u[chosen], v[chosen])), shape=(len(G), len(G)))
    network = RoadNetwork(node_ids, lat, lon, csr, keys[first], length_m[chosen],
                          tuple(geometry[k] for k in chosen.tolist()))
    for array in (node_ids, lat, lon, csr.data, csr.indices, csr.indptr, network.edge_keys,
                  network.edge_length_m):
        array.flags.writeable = False
    return network


def _edge_arrays(
    G: nx.MultiDiGraph, index: dict[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Any]]:
    rows = [
        (index[a], index[b], data.get("travel_time"), data.get("length"), data.get("geometry"))
        for a, b, data in G.edges(data=True)
    ]
    if not rows:
        raise ValueError("the road graph has no edges")
    u, v, time_s, length_m, geometry = zip(*rows, strict=True)
    if None in time_s or None in length_m:
        raise ValueError("every edge needs 'travel_time' and 'length': prepare the graph with "
                         "geo.graph.prepare_graph first")
    times = np.array(time_s, dtype=np.float64)
    lengths = np.array(length_m, dtype=np.float64)
    if not (np.isfinite(times).all() and (times >= 0).all() and (lengths >= 0).all()):
        raise ValueError("edge 'travel_time' and 'length' must be finite and non-negative")
    return (np.array(u, dtype=np.int64), np.array(v, dtype=np.int64), times, lengths,
            list(geometry))


def as_coordinates(points: Sequence[tuple[float, float]]) -> np.ndarray:
    """``points`` as an (n, 2) float array of (lat, lon); ``ValueError`` naming a bad point."""
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


def nearest_nodes(lat: np.ndarray, lon: np.ndarray, coords: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest of the nodes (lat, lon) for each point, and distance in m.

    The same rule as :meth:`RoadNetwork.snap`, for node coordinates without a network.
    """
    lat0 = float(lat.mean())
    tree = cKDTree(project(lat, lon, lat0))
    _, nearest = tree.query(project(coords[:, 0], coords[:, 1], lat0))
    nearest = np.asarray(nearest, dtype=np.int64)
    access_m = haversine_m(coords[:, 0], coords[:, 1], lat[nearest], lon[nearest])
    return nearest, access_m


def project(lat: np.ndarray, lon: np.ndarray, lat0: float) -> np.ndarray:
    """Equirectangular projection (m) around latitude ``lat0``: columns x (east), y (north)."""
    cos_lat0 = np.cos(np.radians(lat0))
    return np.column_stack((np.radians(lon) * cos_lat0, np.radians(lat))) * EARTH_RADIUS_M


def haversine_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Great-circle distance (m) between points given in degrees; broadcasts like numpy."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    a = (np.sin((phi2 - phi1) / 2) ** 2
         + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def shortest_trees(network: RoadNetwork, sources: np.ndarray) -> ShortestTrees:
    """Fastest-path trees (time s, length m along them, predecessors) from each source."""
    sources = np.asarray(sources, dtype=np.int64)
    time_s, predecessors = dijkstra(
        network.travel_time_s, directed=True, indices=sources, return_predecessors=True
    )
    time_s = np.asarray(time_s).reshape(len(sources), network.node_count)
    predecessors = np.asarray(predecessors, dtype=np.int32).reshape(time_s.shape)
    return ShortestTrees(sources, time_s, _length_along_tree(network, predecessors), predecessors)


def _length_along_tree(network: RoadNetwork, predecessors: np.ndarray) -> np.ndarray:
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


def require_reachable(road_s: np.ndarray, labels: Sequence[str], snapped_ids: np.ndarray) -> None:
    """Raise :class:`UnreachableError` for the first pair ``(i, j)`` with ``road_s`` inf."""
    unreachable = ~np.isfinite(road_s)
    if not unreachable.any():
        return
    i, j = (int(k) for k in np.argwhere(unreachable)[0])
    detail = (f"their road nodes {int(snapped_ids[i])} and {int(snapped_ids[j])} are not "
              f"connected ({int(unreachable.sum())} location pairs in all); keep the strongly "
              "connected part of the graph with geo.graph.prepare_graph")
    raise UnreachableError(labels[i], labels[j], detail)
