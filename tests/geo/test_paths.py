"""Matrices.leg_path: the route of a leg along the streets, for drawing it on a map."""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest
from shapely.geometry import LineString

from geo.matrix import Matrices, travel_matrices
from geo.network import haversine_m, road_network
from geo.regional import RegionalModel, exit_nodes

Build = Callable[..., nx.MultiDiGraph]
LatLon = tuple[float, float]

EARTH_RADIUS_M = 6_371_009.0
ORIGIN = (51.1300, 23.4700)


def north(point: LatLon, metres: float) -> LatLon:
    return point[0] + math.degrees(metres / EARTH_RADIUS_M), point[1]


def east(point: LatLon, metres: float) -> LatLon:
    scale = EARTH_RADIUS_M * math.cos(math.radians(point[0]))
    return point[0], point[1] + math.degrees(metres / scale)


def road(length_m: float, time_s: float, **extra: object) -> dict[str, object]:
    return {"length": length_m, "travel_time": time_s, **extra}


def line_nodes(count: int, spacing_m: float = 1000) -> dict[int, LatLon]:
    return {i + 1: east(ORIGIN, i * spacing_m) for i in range(count)}


def path_length_m(path: list[LatLon]) -> float:
    p = np.array(path)
    return float(haversine_m(p[:-1, 0], p[:-1, 1], p[1:, 0], p[1:, 1]).sum())


def two_way(u: int, v: int, length_m: float, time_s: float) -> list[tuple[int, int, dict]]:
    return [(u, v, road(length_m, time_s)), (v, u, road(length_m, time_s))]


def test_a_leg_runs_from_the_point_through_the_road_nodes_to_the_other_point(
    build_graph: Build,
) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [*two_way(1, 2, 1000, 100), *two_way(2, 3, 1000, 100)])
    start, end = north(nodes[1], 100), north(nodes[3], -50)

    m = travel_matrices(G, [start, end])

    assert m.leg_path(0, 1) == [start, nodes[1], nodes[2], nodes[3], end]
    assert m.leg_path(1, 0) == [end, nodes[3], nodes[2], nodes[1], start]
    assert m.paths is not None and m.paths.road_nodes(0, 1) == [1, 2, 3]


def test_a_leg_follows_the_street_geometry_where_the_edge_has_one(build_graph: Build) -> None:
    nodes = line_nodes(2)
    bend = north(east(ORIGIN, 500), 200)  # the street bows 200 m north between 1 and 2
    shape = LineString([(lon, lat) for lat, lon in (nodes[1], bend, nodes[2])])
    G = build_graph(nodes, [(1, 2, road(1077, 100, geometry=shape)), (2, 1, road(1000, 100))])

    m = travel_matrices(G, [nodes[1], nodes[2]])

    assert m.leg_path(0, 1) == [nodes[1], pytest.approx(bend), nodes[2]]
    assert m.leg_path(1, 0) == [nodes[2], nodes[1]]  # no geometry: straight between nodes
    assert path_length_m(m.leg_path(0, 1)) == pytest.approx(m.distance_m[0, 1], abs=2)


def test_a_geometry_stored_backwards_is_still_drawn_from_the_start_node(
    build_graph: Build,
) -> None:
    nodes = line_nodes(2)
    bend = north(east(ORIGIN, 500), 200)
    backwards = LineString([(lon, lat) for lat, lon in (nodes[2], bend, nodes[1])])
    G = build_graph(nodes, [(2, 1, road(1000, 100)),
                            (1, 2, road(1077, 100, geometry=backwards))])

    m = travel_matrices(G, [nodes[1], nodes[2]])

    assert m.leg_path(0, 1) == [nodes[1], pytest.approx(bend), nodes[2]]


def test_the_faster_of_two_parallel_streets_is_drawn(build_graph: Build) -> None:
    nodes = line_nodes(2)
    detour = north(east(ORIGIN, 500), 600)
    fast_shape = LineString([(lon, lat) for lat, lon in (nodes[1], detour, nodes[2])])
    G = build_graph(nodes, [
        (1, 2, road(1000, 200)),  # straight but slow
        (1, 2, road(1560, 90, geometry=fast_shape)),  # the bypass
        (2, 1, road(1000, 100)),
    ])

    m = travel_matrices(G, [nodes[1], nodes[2]])

    assert m.duration_s[0, 1] == 90
    assert m.leg_path(0, 1) == [nodes[1], pytest.approx(detour), nodes[2]]


def test_a_one_way_loop_is_drawn_the_way_it_is_driven(build_graph: Build) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [(1, 2, road(1000, 100)), (2, 3, road(1000, 100)),
                            (3, 1, road(2000, 150))])

    m = travel_matrices(G, [nodes[1], nodes[2]])

    assert m.leg_path(0, 1) == [nodes[1], nodes[2]]
    assert m.leg_path(1, 0) == [nodes[2], nodes[3], nodes[1]]


def test_the_same_point_is_a_one_point_path_and_one_node_joins_two_access_legs(
    build_graph: Build,
) -> None:
    nodes = line_nodes(2)
    G = build_graph(nodes, two_way(1, 2, 1000, 100))
    a, b = north(nodes[1], 30), north(nodes[1], -40)

    m = travel_matrices(G, [a, b, a])

    assert m.leg_path(0, 0) == [a]
    assert m.leg_path(0, 2) == [a]  # two locations at one address
    assert m.leg_path(0, 1) == [a, nodes[1], b]
    assert path_length_m(m.leg_path(0, 1)) == pytest.approx(m.distance_m[0, 1], abs=1)


def test_a_leg_index_out_of_range_raises(build_graph: Build) -> None:
    nodes = line_nodes(2)
    m = travel_matrices(build_graph(nodes, two_way(1, 2, 1000, 100)), [nodes[1], nodes[2]])

    with pytest.raises(IndexError, match="2 locations"):
        m.leg_path(0, 2)


def test_matrices_built_by_hand_have_no_paths() -> None:
    zero = np.zeros((1, 1), dtype=np.int64)

    with pytest.raises(ValueError, match="no paths"):
        Matrices(zero, zero.copy(), (1,), (0,)).leg_path(0, 0)


# The diamond town of test_regional: centre C, corners E, W, N, S 3 km away (the exits).
C, E, W, N, S = 1, 2, 3, 4, 5
DIAMOND = {C: ORIGIN, E: east(ORIGIN, 3000), W: east(ORIGIN, -3000),
           N: north(ORIGIN, 3000), S: north(ORIGIN, -3000)}
EAST_30KM = east(ORIGIN, 30_000)
WEST_30KM = east(ORIGIN, -30_000)


def diamond(build: Build, *, back_s: dict[int, float] | None = None) -> nx.MultiDiGraph:
    back_s = back_s or {}
    edges = []
    for corner in (E, W, N, S):
        edges.append((C, corner, road(3000, 300)))
        edges.append((corner, C, road(3000, back_s.get(corner, 300))))
    return build(DIAMOND, edges)


def test_regional_legs_run_through_the_exit_and_then_straight(build_graph: Build) -> None:
    G = diamond(build_graph, back_s={E: 3000})  # coming back from the east enters via N
    home = north(ORIGIN, 100)

    m = travel_matrices(G, [home, EAST_30KM, WEST_30KM], regional=RegionalModel())

    assert m.leg_path(0, 1) == [home, DIAMOND[C], DIAMOND[E], EAST_30KM]
    assert m.leg_path(1, 0) == [EAST_30KM, DIAMOND[N], DIAMOND[C], home]
    assert m.leg_path(1, 2) == [EAST_30KM, WEST_30KM]  # outside to outside: one straight line
    assert m.paths is not None
    assert (m.paths.exit_osm_id(0, 1), m.paths.exit_osm_id(1, 0)) == (E, N)
    assert m.paths.exit_osm_id(1, 2) is None
    # the road part at its length, the straight part stretched by the detour factor
    there = m.leg_path(0, 1)
    expected_m = path_length_m(there[:-1]) + 1.3 * path_length_m(there[-2:])
    assert expected_m == pytest.approx(m.distance_m[0, 1], abs=1)


# Edge lengths in the Chełm GraphML are osmnx's great-circle lengths of each edge's
# geometry, rounded to the millimetre; distance_m is rounded to the metre. So a leg drawn
# along those geometries measures distance_m to within 0.5 m of rounding plus a hair of
# floating-point and rounding drift: 1 m + 0.1 % leaves room and still fails if a leg
# skips an edge, takes a different path or misses an access leg (tens of metres at least).
LENGTH_TOLERANCE_M = 1.0
LENGTH_TOLERANCE_REL = 1e-3


def random_points(G: nx.MultiDiGraph, count: int, seed: int) -> list[LatLon]:
    lat = np.array([y for _, y in G.nodes(data="y")])
    lon = np.array([x for _, x in G.nodes(data="x")])
    rng = np.random.default_rng(seed)
    return list(zip(rng.uniform(lat.min(), lat.max(), count).tolist(),
                    rng.uniform(lon.min(), lon.max(), count).tolist(), strict=True))


@pytest.mark.slow
def test_chelm_legs_follow_real_edges_and_measure_their_distance(
    chelm_graph: nx.MultiDiGraph,
) -> None:
    points = random_points(chelm_graph, 25, seed=11)
    m = travel_matrices(chelm_graph, points)
    assert m.paths is not None
    checked = 0
    for i in range(len(points)):
        for j in range(len(points)):
            if i == j:
                continue
            path = m.leg_path(i, j)
            nodes = m.paths.road_nodes(i, j)
            assert path[0] == points[i] and path[-1] == points[j]
            assert nodes[0] == m.snapped_node[i] and nodes[-1] == m.snapped_node[j]
            road_s = 0.0
            for u, v in zip(nodes, nodes[1:], strict=False):
                assert chelm_graph.has_edge(u, v), f"leg {i}->{j}: no edge {u}->{v}"
                road_s += min(d["travel_time"] for d in chelm_graph[u][v].values())
            node_points = [(chelm_graph.nodes[n]["y"], chelm_graph.nodes[n]["x"]) for n in nodes]
            on_path = iter(path)
            assert all(point in on_path for point in node_points)  # in order along the path
            access_s = (m.access_m[i] + m.access_m[j]) / (20 / 3.6)
            assert road_s + access_s == pytest.approx(m.duration_s[i, j], abs=1.5)
            tolerance = LENGTH_TOLERANCE_M + LENGTH_TOLERANCE_REL * m.distance_m[i, j]
            assert abs(path_length_m(path) - m.distance_m[i, j]) <= tolerance, (i, j)
            checked += 1
    assert checked == 25 * 24
    assert max(len(m.leg_path(i, j)) for i in range(5) for j in range(5)) > 10  # real shapes


@pytest.mark.slow
def test_chelm_regional_legs_pass_through_an_exit_node(chelm_graph: nx.MultiDiGraph) -> None:
    centre = (51.1323, 23.4717)
    toward_lublin = (51.25, 22.57)
    m = travel_matrices(chelm_graph, [centre, toward_lublin], regional=RegionalModel())
    network = road_network(chelm_graph)
    exits = {int(network.node_ids[k]) for k in exit_nodes(chelm_graph, network)}
    assert m.paths is not None

    for i, j in ((0, 1), (1, 0)):
        path = m.leg_path(i, j)
        exit_id = m.paths.exit_osm_id(i, j)
        assert exit_id in exits
        nodes = m.paths.road_nodes(i, j)
        assert exit_id == (nodes[-1] if j == 1 else nodes[0])
        exit_point = (chelm_graph.nodes[exit_id]["y"], chelm_graph.nodes[exit_id]["x"])
        assert (path[0], path[-1]) == ([centre, toward_lublin][i], [centre, toward_lublin][j])
        straight = [exit_point, toward_lublin] if j == 1 else [toward_lublin, exit_point]
        assert (path[-2:] if j == 1 else path[:2]) == straight
        road_part = path[:-1] if j == 1 else path[1:]
        expected_m = path_length_m(road_part) + 1.3 * path_length_m(straight)
        assert abs(expected_m - m.distance_m[i, j]) <= 1 + 1e-3 * m.distance_m[i, j]
