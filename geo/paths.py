"""The route of each leg of a travel matrix along the streets, for drawing it on a map.

:func:`geo.matrix.travel_matrices` keeps, besides the integer matrices, what it needs
to redraw any leg ``i -> j`` it priced: a :class:`LegPaths`, reached through
:meth:`geo.matrix.Matrices.leg_path`. A leg is

- the straight access leg from point ``i`` to its snapped road node,
- the fastest road path to the road node of ``j``, drawn along each edge's
  ``geometry`` (the street's shape osmnx keeps for simplified edges) where the edge has
  one and straight between the two nodes otherwise,
- the straight access leg from that node to point ``j``;

with the regional model (:mod:`geo.regional`) a leg to or from an *outside* point runs
along the roads to or from the exit node used and then straight to or from the point;
a leg between two outside points is one straight segment. A leg between two identical
points is that one point.

Only the predecessors of the shortest-path trees already computed for the matrices
are kept (int32, one row per distinct source node), so the paths cost no extra search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geo.network import RoadNetwork, ShortestTrees

__all__ = ["LegPaths"]

LatLon = tuple[float, float]


@dataclass(frozen=True, eq=False)
class LegPaths:
    """Everything needed to draw leg ``i -> j`` between the N points of a matrix.

    ``points`` (N, 2) lat/lon; ``node[i]``: network index of point ``i``'s road node;
    ``sources``/``predecessors``: sorted source node indices and, per source, the int32
    predecessor of every node on its fastest-path tree; ``outside[i]``: point ``i`` is
    reached through an exit (regional model); ``exit_node[i, j]``: network index of the
    exit the leg ``i -> j`` uses, -1 where it uses none. Build with :meth:`build`.
    """

    network: RoadNetwork
    points: np.ndarray
    node: np.ndarray
    sources: np.ndarray
    predecessors: np.ndarray
    outside: np.ndarray
    exit_node: np.ndarray

    @classmethod
    def build(
        cls,
        network: RoadNetwork,
        points: np.ndarray,
        node: np.ndarray,
        trees: Sequence[ShortestTrees],
        *,
        outside: np.ndarray | None = None,
        exit_node: np.ndarray | None = None,
    ) -> LegPaths:
        """Keep the predecessors of ``trees`` (deduplicated by source) and the legs' exits."""
        n = len(points)
        if trees:
            sources = np.concatenate([t.sources for t in trees]).astype(np.int64)
            rows = np.concatenate([t.predecessors for t in trees]).astype(np.int32, copy=False)
        else:
            sources = np.zeros(0, dtype=np.int64)
            rows = np.zeros((0, network.node_count), dtype=np.int32)
        sources, first = np.unique(sources, return_index=True)
        paths = cls(
            network=network,
            points=np.array(points, dtype=np.float64).reshape(n, 2),
            node=np.array(node, dtype=np.int64),
            sources=sources,
            predecessors=np.ascontiguousarray(rows[first]),
            outside=np.zeros(n, dtype=bool) if outside is None else np.array(outside, dtype=bool),
            exit_node=(np.full((n, n), -1, dtype=np.int32) if exit_node is None
                       else np.array(exit_node, dtype=np.int32)),
        )
        for array in (paths.points, paths.node, paths.sources, paths.predecessors,
                      paths.outside, paths.exit_node):
            array.flags.writeable = False
        return paths

    def __len__(self) -> int:
        return len(self.points)

    def leg_path(self, i: int, j: int) -> list[LatLon]:
        """(lat, lon) points of leg ``i -> j`` from point ``i`` to point ``j`` (see module)."""
        i, j = self._check(i), self._check(j)
        start, end = self._point(i), self._point(j)
        if i == j or start == end:
            return [start]
        nodes = self._road_indices(i, j)
        path = [start]
        if nodes:
            path.append(self._node_point(nodes[0]))
            for u, v in zip(nodes, nodes[1:], strict=False):
                path.extend(self._edge_points(u, v))
        path.append(end)
        return _without_repeats(path)

    def road_nodes(self, i: int, j: int) -> list[int]:
        """OSM ids of the road nodes leg ``i -> j`` passes, in order (empty if it uses none)."""
        i, j = self._check(i), self._check(j)
        if i == j or self._point(i) == self._point(j):
            return []
        return [int(self.network.node_ids[k]) for k in self._road_indices(i, j)]

    def exit_osm_id(self, i: int, j: int) -> int | None:
        """OSM id of the exit node leg ``i -> j`` leaves or enters the town by, if any."""
        k = int(self.exit_node[self._check(i), self._check(j)])
        return None if k < 0 else int(self.network.node_ids[k])

    def _check(self, i: int) -> int:
        n = len(self.points)
        if not -n <= i < n:
            raise IndexError(f"location index {i} out of range for {n} locations")
        return int(i) % n

    def _point(self, i: int) -> LatLon:
        return float(self.points[i, 0]), float(self.points[i, 1])

    def _node_point(self, k: int) -> LatLon:
        return float(self.network.lat[k]), float(self.network.lon[k])

    def _road_indices(self, i: int, j: int) -> list[int]:
        """Network indices of the road nodes of leg ``i -> j``, first to last."""
        if self.outside[i] and self.outside[j]:
            return []
        if self.outside[i] or self.outside[j]:
            exit_node = int(self.exit_node[i, j])
            if exit_node < 0:
                raise ValueError(f"leg {i} -> {j} has an outside end but no exit node recorded")
            start = exit_node if self.outside[i] else int(self.node[i])
            end = exit_node if self.outside[j] else int(self.node[j])
        else:
            start, end = int(self.node[i]), int(self.node[j])
        return self._tree_path(start, end)

    def _tree_path(self, source: int, target: int) -> list[int]:
        row = int(np.searchsorted(self.sources, source))
        if row >= len(self.sources) or self.sources[row] != source:
            raise ValueError(f"no shortest-path tree kept from road node "
                             f"{int(self.network.node_ids[source])}")
        predecessors = self.predecessors[row]
        nodes = [target]
        while nodes[-1] != source:
            before = int(predecessors[nodes[-1]])
            if before < 0 or len(nodes) > self.network.node_count:
                raise ValueError(f"road node {int(self.network.node_ids[target])} is not "
                                 f"reached from {int(self.network.node_ids[source])}")
            nodes.append(before)
        nodes.reverse()
        return nodes

    def _edge_points(self, u: int, v: int) -> list[LatLon]:
        """Points after node ``u`` up to and including node ``v`` along edge ``u -> v``."""
        geometry = self.network.edge_geometry[self.network.edge_index(u, v)]
        end = self._node_point(v)
        if geometry is None:
            return [end]
        lon_lat = np.asarray(geometry.coords, dtype=np.float64)[:, :2]
        if len(lon_lat) < 2:
            return [end]
        start_lat, start_lon = self._node_point(u)
        to_start = _squared(lon_lat[0], start_lat, start_lon)
        to_end = _squared(lon_lat[-1], start_lat, start_lon)
        if to_end < to_start:  # stored from v to u: draw it from u
            lon_lat = lon_lat[::-1]
        inner = [(float(lat), float(lon)) for lon, lat in lon_lat[1:-1]]
        return [*inner, end]


def _squared(lon_lat: np.ndarray, lat: float, lon: float) -> float:
    return float((lon_lat[0] - lon) ** 2 + (lon_lat[1] - lat) ** 2)


def _without_repeats(path: list[LatLon]) -> list[LatLon]:
    kept = [path[0]]
    for point in path[1:]:
        if point != kept[-1]:
            kept.append(point)
    return kept
