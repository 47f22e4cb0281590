"""geo.network: the road graph as arrays, snapping, distances and shortest-path trees."""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest

from geo.network import (
    NO_PREDECESSOR,
    as_coordinates,
    haversine_m,
    nearest_nodes,
    project,
    road_network,
    shortest_trees,
)

Build = Callable[..., nx.MultiDiGraph]

EARTH_RADIUS_M = 6_371_009.0
ORIGIN = (51.1300, 23.4700)


def east(point: tuple[float, float], metres: float) -> tuple[float, float]:
    scale = EARTH_RADIUS_M * math.cos(math.radians(point[0]))
    return point[0], point[1] + math.degrees(metres / scale)


def road(length_m: float, time_s: float) -> dict[str, float]:
    return {"length": length_m, "travel_time": time_s}


NODES = {10: ORIGIN, 20: east(ORIGIN, 1000), 30: east(ORIGIN, 2000)}


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_m(51.0, 23.0, 52.0, 23.0) == pytest.approx(111_195, abs=1)
    assert haversine_m(np.array([51.0, 51.0]), 23.0, 51.0, 23.0).tolist() == [0.0, 0.0]


def test_the_projection_is_in_metres_around_the_reference_latitude() -> None:
    a, b = project(np.array([ORIGIN[0], ORIGIN[0]]),
                   np.array([ORIGIN[1], east(ORIGIN, 1000)[1]]), ORIGIN[0])

    assert b[0] - a[0] == pytest.approx(1000, abs=1e-6)
    assert b[1] == pytest.approx(a[1])


def test_the_network_keeps_the_fastest_parallel_edge_and_drops_self_loops(
    build_graph: Build,
) -> None:
    G = build_graph(NODES, [(10, 20, road(1000, 100)), (10, 20, road(1400, 70)),
                            (20, 10, road(1000, 100)), (20, 20, road(5, 1)),
                            (20, 30, road(1000, 100)), (30, 20, road(1000, 100))])

    network = road_network(G)

    assert network.node_ids.tolist() == [10, 20, 30]
    assert network.travel_time_s.nnz == 4
    k = network.edge_index(0, 1)
    assert (network.travel_time_s[0, 1], network.edge_length_m[k]) == (70, 1400)
    with pytest.raises(KeyError, match="no road edge from node 10 to 30"):
        network.edge_index(0, 2)
    with pytest.raises(ValueError, match="read-only"):
        network.lat[0] = 0.0


def test_snapping_gives_the_nearest_node_and_its_great_circle_distance(
    build_graph: Build,
) -> None:
    G = build_graph(NODES, [(10, 20, road(1000, 100)), (20, 10, road(1000, 100))])
    network = road_network(G)
    points = as_coordinates([east(ORIGIN, 400), east(ORIGIN, 1700), (ORIGIN[0] + 0.001, 23.47)])

    index, metres = network.snap(points)

    assert index.tolist() == [0, 2, 0]
    assert metres[:2] == pytest.approx([400, 300], abs=0.01)
    same_index, same_metres = nearest_nodes(network.lat, network.lon, points)
    assert np.array_equal(same_index, index) and np.array_equal(same_metres, metres)


def test_shortest_trees_give_time_length_and_int32_predecessors(build_graph: Build) -> None:
    G = build_graph(NODES, [(10, 20, road(1000, 100)), (20, 30, road(900, 90)),
                            (30, 10, road(2100, 250))])

    trees = shortest_trees(road_network(G), np.array([0, 2]))

    assert trees.time_s.tolist() == [[0, 100, 190], [250, 350, 0]]
    assert trees.length_m.tolist() == [[0, 1000, 1900], [2100, 3100, 0]]
    assert trees.predecessors.dtype == np.int32
    assert trees.predecessors.tolist() == [[NO_PREDECESSOR, 0, 1], [2, 0, NO_PREDECESSOR]]


def test_a_graph_without_nodes_or_edges_is_rejected(build_graph: Build) -> None:
    with pytest.raises(ValueError, match="no nodes"):
        road_network(nx.MultiDiGraph())
    with pytest.raises(ValueError, match="no edges"):
        road_network(build_graph(NODES, []))


def test_bad_points_are_named() -> None:
    with pytest.raises(ValueError, match="point 1"):
        as_coordinates([ORIGIN, (91.0, 23.0)])
    assert as_coordinates([]).shape == (0, 2)
