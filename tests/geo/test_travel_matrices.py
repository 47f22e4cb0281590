from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest

from geo.graph import prepare_graph
from geo.matrix import Matrices, UnreachableError, travel_matrices
from geo.synthetic import grid_graph

Build = Callable[..., nx.MultiDiGraph]

EARTH_RADIUS_M = 6_371_009.0
ORIGIN = (51.1300, 23.4700)
ACCESS_MPS = 20 / 3.6  # default access speed, 20 km/h


def north(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + math.degrees(metres / EARTH_RADIUS_M), point[1]


def east(point: tuple[float, float], metres: float) -> tuple[float, float]:
    scale = EARTH_RADIUS_M * math.cos(math.radians(point[0]))
    return point[0], point[1] + math.degrees(metres / scale)


def road(length_m: float, time_s: float) -> dict[str, float]:
    return {"length": length_m, "travel_time": time_s}


def line_nodes(count: int, spacing_m: float = 1000) -> dict[int, tuple[float, float]]:
    """Nodes 1..count due east of ORIGIN, spacing_m apart."""
    return {i + 1: east(ORIGIN, i * spacing_m) for i in range(count)}


def at(nodes: dict[int, tuple[float, float]], *ids: int) -> list[tuple[float, float]]:
    return [nodes[i] for i in ids]


def test_the_matrix_equals_hand_computed_values_including_access_legs(build_graph: Build) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [
        (1, 2, road(1000, 100)), (2, 1, road(1000, 100)),
        (2, 3, road(1000, 100)), (3, 2, road(1000, 100)),
    ])
    points = [nodes[1], north(nodes[3], 100), nodes[1]]

    m = travel_matrices(G, points)

    access_s = 100 / ACCESS_MPS  # 18 s
    assert m.snapped_node == (1, 3, 1)
    assert m.access_m == (0, 100, 0)
    assert m.duration_s.tolist() == [[0, 200 + access_s, 0],
                                     [200 + access_s, 0, 200 + access_s],
                                     [0, 200 + access_s, 0]]
    assert m.distance_m.tolist() == [[0, 2100, 0], [2100, 0, 2100], [0, 2100, 0]]


def test_two_points_on_the_same_node_are_apart_by_their_access_legs(build_graph: Build) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [(1, 2, road(1000, 100)), (2, 1, road(1000, 100)),
                            (2, 3, road(1000, 100)), (3, 2, road(1000, 100))])
    points = [north(nodes[2], 30), north(nodes[2], -40)]

    m = travel_matrices(G, points, access_speed_kph=36)  # 10 m/s

    assert m.snapped_node == (2, 2)
    assert m.duration_s.tolist() == [[0, 7], [7, 0]]
    assert m.distance_m.tolist() == [[0, 70], [70, 0]]


def test_one_way_streets_give_asymmetric_times(build_graph: Build) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [  # a one-way loop 1 -> 2 -> 3 -> 1
        (1, 2, road(1000, 100)), (2, 3, road(1000, 100)), (3, 1, road(1500, 150)),
    ])

    m = travel_matrices(G, at(nodes, 1, 2))

    assert m.duration_s.tolist() == [[0, 100], [250, 0]]
    assert m.distance_m.tolist() == [[0, 1000], [2500, 0]]


def test_distance_follows_the_fastest_path_not_the_shortest(build_graph: Build) -> None:
    nodes = line_nodes(3)
    slow_direct, fast_detour = road(1000, 120), road(800, 40)
    G = build_graph(nodes, [
        (1, 2, slow_direct), (2, 1, slow_direct),
        (1, 3, fast_detour), (3, 1, fast_detour), (3, 2, fast_detour), (2, 3, fast_detour),
    ])

    m = travel_matrices(G, at(nodes, 1, 2))

    assert m.duration_s[0, 1] == 80
    assert m.distance_m[0, 1] == 1600  # the shortest path would be 1000 m


def test_the_faster_of_two_parallel_streets_is_used_with_its_own_length(build_graph: Build) -> None:
    nodes = line_nodes(2)
    G = build_graph(nodes, [
        (1, 2, road(1000, 100)), (1, 2, road(1500, 60)), (2, 1, road(1000, 100)),
    ])

    m = travel_matrices(G, at(nodes, 1, 2))

    assert m.duration_s.tolist() == [[0, 60], [100, 0]]
    assert m.distance_m.tolist() == [[0, 1500], [1000, 0]]


def test_totals_are_rounded_once_not_edge_by_edge(build_graph: Build) -> None:
    nodes = line_nodes(4)
    step = road(10.4, 0.4)
    G = build_graph(nodes, [(1, 2, step), (2, 3, step), (3, 4, step), (4, 1, road(50, 5))])

    m = travel_matrices(G, at(nodes, 1, 4))

    assert m.duration_s[0, 1] == 1  # 1.2 s; rounding each edge would give 0
    assert m.distance_m[0, 1] == 31  # 31.2 m; rounding each edge would give 30


def test_distances_along_a_long_street_add_up_every_edge(build_graph: Build) -> None:
    count = 70  # deep enough for several pointer-jumping rounds
    nodes = line_nodes(count, spacing_m=100)
    edges = []
    for i in range(1, count):
        edges += [(i, i + 1, road(i, 1.0)), (i + 1, i, road(i, 1.0))]
    G = build_graph(nodes, edges)

    m = travel_matrices(G, at(nodes, 1, 30, count))

    lengths = np.arange(1, count)  # edge i -> i+1 is i metres long
    assert m.distance_m[0].tolist() == [0, lengths[:29].sum(), lengths.sum()]
    assert m.distance_m[2, 1] == lengths[29:].sum()
    assert m.duration_s[0].tolist() == [0, 29, count - 1]


def test_an_unreachable_pair_is_named_in_the_error(build_graph: Build) -> None:
    nodes = line_nodes(4)
    G = build_graph(nodes, [(1, 2, road(1000, 100)), (2, 1, road(1000, 100)),
                            (3, 4, road(1000, 100)), (4, 3, road(1000, 100))])

    with pytest.raises(UnreachableError) as error:
        travel_matrices(G, at(nodes, 1, 4), names=["Pani Kowalska", "Pan Nowak"])

    assert "Pani Kowalska" in str(error.value)
    assert "Pan Nowak" in str(error.value)
    assert (error.value.origin, error.value.destination) == ("Pani Kowalska", "Pan Nowak")


def test_a_one_way_dead_end_is_unreachable_in_one_direction_only(build_graph: Build) -> None:
    nodes = line_nodes(3)
    G = build_graph(nodes, [(1, 2, road(1000, 100)), (2, 1, road(1000, 100)),
                            (2, 3, road(1000, 100))])

    with pytest.raises(UnreachableError, match="from 'dead end' to 'depot'"):
        travel_matrices(G, at(nodes, 1, 3), names=["depot", "dead end"])


def test_matrices_are_the_same_on_every_run_and_for_every_order_of_points() -> None:
    G = prepare_graph(grid_graph(*ORIGIN, half_size_m=1500, spacing_m=150))
    rng = np.random.default_rng(7)
    points = list(zip(rng.uniform(51.12, 51.14, 120), rng.uniform(23.455, 23.485, 120),
                      strict=True))
    order = rng.permutation(len(points))

    first = travel_matrices(G, points)
    again = travel_matrices(G, points)
    shuffled = travel_matrices(G, [points[i] for i in order])

    assert np.array_equal(first.duration_s, again.duration_s)
    assert np.array_equal(first.distance_m, again.distance_m)
    assert first.snapped_node == again.snapped_node
    assert np.array_equal(first.duration_s[np.ix_(order, order)], shuffled.duration_s)
    assert np.array_equal(first.distance_m[np.ix_(order, order)], shuffled.distance_m)


def test_the_matrices_are_read_only_int64_arrays(build_graph: Build) -> None:
    nodes = line_nodes(2)
    G = build_graph(nodes, [(1, 2, road(1000, 100)), (2, 1, road(1000, 100))])

    m = travel_matrices(G, at(nodes, 1, 2))

    assert m.duration_s.dtype == m.distance_m.dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        m.duration_s[0, 1] = 5


def test_no_points_give_empty_matrices(build_graph: Build) -> None:
    G = build_graph(line_nodes(2), [(1, 2, road(1000, 100)), (2, 1, road(1000, 100))])

    assert travel_matrices(G, []).duration_s.shape == (0, 0)


@pytest.mark.parametrize(
    ("points", "options", "message"),
    [
        ([ORIGIN, (95.0, 23.0)], {}, "point 1"),
        ([ORIGIN, (math.nan, 23.0)], {}, "point 1"),
        ([ORIGIN], {"names": ["a", "b"]}, "names has 2 entries"),
        ([ORIGIN], {"access_speed_kph": 0}, "access_speed_kph"),
    ],
)
def test_malformed_input_is_rejected_with_a_precise_message(
    build_graph: Build, points: list[tuple[float, float]], options: dict[str, object],
    message: str,
) -> None:
    G = build_graph(line_nodes(2), [(1, 2, road(1000, 100)), (2, 1, road(1000, 100))])

    with pytest.raises(ValueError, match=message):
        travel_matrices(G, points, **options)  # type: ignore[arg-type]


def test_a_graph_without_travel_times_asks_for_prepare_graph(build_graph: Build) -> None:
    G = build_graph(line_nodes(2), [(1, 2, {"length": 1000.0}), (2, 1, {"length": 1000.0})])

    with pytest.raises(ValueError, match="prepare_graph"):
        travel_matrices(G, [ORIGIN])


def test_matrices_reject_arrays_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match="duration_s"):
        Matrices(np.zeros((2, 3), dtype=np.int64), np.zeros((2, 2), dtype=np.int64), (1, 2), (0, 0))
