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

The matrices keep the route of every leg for drawing it (:meth:`Matrices.leg_path`,
:mod:`geo.paths`). The graph arrays, snapping and trees are in :mod:`geo.network`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from geo.network import (
    RoadNetwork,
    UnreachableError,
    as_coordinates,
    require_reachable,
    road_network,
    shortest_trees,
)
from geo.paths import LatLon, LegPaths
from geo.regional import RegionalModel, regional_travel

__all__ = ["ACCESS_SPEED_KPH", "Matrices", "UnreachableError", "travel_matrices"]

logger = logging.getLogger(__name__)

# Speed of the straight leg between a location and its nearest road node (a car on a
# yard or drive, or a walk at the ends): the default of every scenario.
ACCESS_SPEED_KPH = 20.0


@dataclass(frozen=True, eq=False)
class Matrices:
    """Travel matrices between N locations, in the order the locations were given.

    ``duration_s[i, j]`` and ``distance_m[i, j]`` are integer seconds and metres from
    location ``i`` to location ``j`` (access legs included; 0 between identical
    points). ``snapped_node[i]`` is the OSM node id location ``i`` was snapped to and
    ``access_m[i]`` the straight-line distance to it. The arrays are read-only.
    ``paths`` (set by :func:`travel_matrices`) draws each leg: see :meth:`leg_path`.
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    snapped_node: tuple[int, ...]
    access_m: tuple[int, ...]
    paths: LegPaths | None = field(default=None, repr=False)

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
        if self.paths is not None and len(self.paths) != n:
            raise ValueError(f"paths must cover {n} locations, got {len(self.paths)}")

    def leg_path(self, i: int, j: int) -> list[LatLon]:
        """(lat, lon) points of the leg from location ``i`` to location ``j``, in order.

        Point ``i``, its road node, the road nodes of the fastest path (with the
        street geometry between them where the graph has it), the road node of ``j``
        and point ``j``; through the exit node for an outside location (regional model).
        The same point twice gives a one-point path. See :mod:`geo.paths`.
        """
        if self.paths is None and not self.snapped_node:
            raise IndexError(f"location index {i} out of range for 0 locations")
        if self.paths is None:
            raise ValueError("these matrices carry no paths: build them with "
                             "geo.matrix.travel_matrices")
        return self.paths.leg_path(i, j)


def travel_matrices(
    G: nx.MultiDiGraph,
    points: Sequence[tuple[float, float]],
    *,
    names: Sequence[str] | None = None,
    access_speed_kph: float = ACCESS_SPEED_KPH,
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

    The graph's arrays are built once per frozen graph (see :func:`geo.network.road_network`).
    """
    coords = as_coordinates(points)
    labels = _labels(coords, names)
    if not access_speed_kph > 0 or not np.isfinite(access_speed_kph):
        raise ValueError(f"access_speed_kph must be a positive number, got {access_speed_kph}")
    if len(coords) == 0:
        empty = np.zeros((0, 0), dtype=np.int64)
        return Matrices(empty, empty.copy(), (), ())

    network = road_network(G)
    node_index, access_m = network.snap(coords)
    access_s = access_m / (access_speed_kph / 3.6)
    if regional is not None and (outside := access_m > regional.outside_m).any():
        travel = regional_travel(G, network, coords, node_index, access_m, access_s,
                                 outside, regional, labels)
        duration, distance = travel.duration_s, travel.distance_m
        paths = LegPaths.build(network, coords, node_index, travel.trees, outside=outside,
                               exit_node=travel.exit_node)
        logger.debug("%d of %d locations are outside the road network", int(outside.sum()),
                     len(coords))
    else:
        road_s, road_m, paths = _fastest_paths(network, coords, node_index)
        require_reachable(road_s, labels, network.node_ids[node_index])
        duration = access_s[:, None] + road_s + access_s[None, :]
        distance = access_m[:, None] + road_m + access_m[None, :]
    same_point = _same_point_mask(coords)
    duration[same_point] = 0.0
    distance[same_point] = 0.0
    logger.info("travel matrices built for %d locations on %d road nodes (process %d)",
                len(coords), network.node_count, os.getpid())
    return Matrices(
        duration_s=np.rint(duration).astype(np.int64),
        distance_m=np.rint(distance).astype(np.int64),
        snapped_node=tuple(int(i) for i in network.node_ids[node_index]),
        access_m=tuple(int(m) for m in np.rint(access_m)),
        paths=paths,
    )


def _fastest_paths(
    network: RoadNetwork, coords: np.ndarray, node_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray, LegPaths]:
    """Road time (s) and length (m) of the fastest path between every pair of snapped nodes."""
    sources, source_row = np.unique(node_index, return_inverse=True)
    trees = shortest_trees(network, sources)
    rows = source_row[:, None]
    paths = LegPaths.build(network, coords, node_index, [trees])
    return (trees.time_s[rows, node_index[None, :]], trees.length_m[rows, node_index[None, :]],
            paths)


def _labels(coords: np.ndarray, names: Sequence[str] | None) -> list[str]:
    if names is None:
        return [f"point {i} ({lat:.6f}, {lon:.6f})" for i, (lat, lon) in enumerate(coords)]
    if len(names) != len(coords):
        raise ValueError(f"names has {len(names)} entries but there are {len(coords)} points")
    return [str(name) for name in names]


def _same_point_mask(coords: np.ndarray) -> np.ndarray:
    _, group = np.unique(coords, axis=0, return_inverse=True)
    group = group.reshape(-1)
    return group[:, None] == group[None, :]
