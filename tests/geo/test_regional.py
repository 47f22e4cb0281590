"""The regional travel model: trips to places beyond the town's road network."""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest

from geo.matrix import travel_matrices
from geo.network import road_network
from geo.regional import RegionalModel, exit_nodes, is_outside

Build = Callable[..., nx.MultiDiGraph]

EARTH_RADIUS_M = 6_371_009.0
ORIGIN = (51.1300, 23.4700)
MODEL = RegionalModel()  # 70 km/h, detour 1.3, outside beyond 3000 m
REGIONAL_MPS = 70 / 3.6
ACCESS_MPS = 20 / 3.6  # default access speed


def north(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + math.degrees(metres / EARTH_RADIUS_M), point[1]


def east(point: tuple[float, float], metres: float) -> tuple[float, float]:
    scale = EARTH_RADIUS_M * math.cos(math.radians(point[0]))
    return point[0], point[1] + math.degrees(metres / scale)


def great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    h = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def regional_s(a: tuple[float, float], b: tuple[float, float]) -> float:
    return great_circle_m(a, b) * 1.3 / REGIONAL_MPS


# A diamond town: centre C (1) with roads to four corners 3 km away, E (2), W (3),
# N (4), S (5). The corners are the convex hull; C is 2.1 km inside it, so the exits
# are exactly the four corners.
C, E, W, N, S = 1, 2, 3, 4, 5
NODES = {
    C: ORIGIN,
    E: east(ORIGIN, 3000),
    W: east(ORIGIN, -3000),
    N: north(ORIGIN, 3000),
    S: north(ORIGIN, -3000),
}
EAST_30KM = east(ORIGIN, 30_000)
WEST_30KM = east(ORIGIN, -30_000)


def road(length_m: float, time_s: float, highway: str = "residential") -> dict[str, object]:
    return {"length": length_m, "travel_time": time_s, "highway": highway}


def diamond(build: Build, *, out_s: dict[int, float] | None = None,
            back_s: dict[int, float] | None = None,
            highway: dict[int, str] | None = None) -> nx.MultiDiGraph:
    """C <-> each corner, 3000 m, 300 s each way unless overridden per corner."""
    out_s, back_s, highway = out_s or {}, back_s or {}, highway or {}
    edges = []
    for corner in (E, W, N, S):
        kind = highway.get(corner, "residential")
        edges.append((C, corner, road(3000, out_s.get(corner, 300), kind)))
        edges.append((corner, C, road(3000, back_s.get(corner, 300), kind)))
    return build(NODES, edges)


def test_the_exits_of_the_diamond_are_its_corners(build_graph: Build) -> None:
    G = diamond(build_graph)
    network = road_network(G)

    exits = {int(network.node_ids[i]) for i in exit_nodes(G, network)}

    assert exits == {E, W, N, S}


def test_exits_on_major_roads_are_preferred(build_graph: Build) -> None:
    G = diamond(build_graph, highway={N: "primary"})
    network = road_network(G)

    exits = {int(network.node_ids[i]) for i in exit_nodes(G, network)}

    assert exits == {N}


def test_inside_to_outside_equals_the_hand_computed_value_via_the_best_exit(
    build_graph: Build,
) -> None:
    G = diamond(build_graph)
    origin = north(ORIGIN, 100)  # 100 m access leg to C

    m = travel_matrices(G, [origin, EAST_30KM], regional=MODEL)

    access_s = 100 / ACCESS_MPS
    via_east = access_s + 300 + regional_s(NODES[E], EAST_30KM)
    via_north = access_s + 300 + regional_s(NODES[N], EAST_30KM)
    assert via_east < via_north - 60  # the hand computation really has one best exit
    assert m.duration_s[0, 1] == round(via_east)
    assert m.distance_m[0, 1] == round(100 + 3000 + 1.3 * great_circle_m(NODES[E], EAST_30KM))
    # and it is a regional trip, not a 27 km access leg at 20 km/h
    assert m.duration_s[0, 1] < 0.5 * (27_000 / ACCESS_MPS)


def test_the_exit_toward_the_destination_wins(build_graph: Build) -> None:
    G = diamond(build_graph, out_s={E: 400, W: 500})

    m = travel_matrices(G, [ORIGIN, EAST_30KM, WEST_30KM], regional=MODEL)

    assert m.duration_s[0, 1] == round(400 + regional_s(NODES[E], EAST_30KM))
    assert m.duration_s[0, 2] == round(500 + regional_s(NODES[W], WEST_30KM))


def test_the_exit_minimises_total_time_not_the_straight_line(build_graph: Build) -> None:
    # The road to E is very slow: leaving north and driving 30.1 km is quicker than
    # waiting 1500 s to reach E and driving 27 km.
    G = diamond(build_graph, out_s={E: 1500})

    m = travel_matrices(G, [ORIGIN, EAST_30KM], regional=MODEL)

    via_east = 1500 + regional_s(NODES[E], EAST_30KM)
    via_north = 300 + regional_s(NODES[N], EAST_30KM)
    assert via_north < via_east
    assert m.duration_s[0, 1] == round(via_north)
    assert m.distance_m[0, 1] == round(3000 + 1.3 * great_circle_m(NODES[N], EAST_30KM))


def test_outside_to_inside_uses_road_times_from_the_exits(build_graph: Build) -> None:
    # One-way-ish: C -> E is quick, E -> C is slow, so coming back from the east the
    # trip enters through N instead.
    G = diamond(build_graph, back_s={E: 3000})

    m = travel_matrices(G, [ORIGIN, EAST_30KM], regional=MODEL)

    assert m.duration_s[0, 1] == round(300 + regional_s(NODES[E], EAST_30KM))
    assert m.duration_s[1, 0] == round(regional_s(EAST_30KM, NODES[N]) + 300)


def test_inside_and_outside_are_symmetric_on_a_two_way_graph(build_graph: Build) -> None:
    G = diamond(build_graph, out_s={E: 350, W: 250}, back_s={E: 350, W: 250})
    points = [north(ORIGIN, 200), east(ORIGIN, 1000), EAST_30KM, WEST_30KM]

    m = travel_matrices(G, points, regional=MODEL)

    assert np.abs(m.duration_s - m.duration_s.T).max() <= 1
    assert np.abs(m.distance_m - m.distance_m.T).max() <= 1


def test_outside_to_outside_is_the_stretched_great_circle_at_regional_speed(
    build_graph: Build,
) -> None:
    G = diamond(build_graph)
    far_north = north(ORIGIN, 40_000)
    gc = great_circle_m(EAST_30KM, far_north)

    with_town = travel_matrices(G, [ORIGIN, EAST_30KM, far_north], regional=MODEL)
    only_outside = travel_matrices(G, [EAST_30KM, far_north], regional=MODEL)

    expected_s = round(gc * 1.3 / REGIONAL_MPS)
    assert with_town.duration_s[1, 2] == with_town.duration_s[2, 1] == expected_s
    assert with_town.distance_m[1, 2] == round(gc * 1.3)
    assert only_outside.duration_s.tolist() == [[0, expected_s], [expected_s, 0]]


def test_model_parameters_change_the_regional_leg(build_graph: Build) -> None:
    G = diamond(build_graph)
    model = RegionalModel(speed_kph=90, detour_factor=1.5)

    m = travel_matrices(G, [ORIGIN, EAST_30KM], regional=model)

    gc = great_circle_m(NODES[E], EAST_30KM)
    assert m.duration_s[0, 1] == round(300 + gc * 1.5 / (90 / 3.6))
    assert m.distance_m[0, 1] == round(3000 + gc * 1.5)


def test_is_outside_uses_the_snap_distance(build_graph: Build) -> None:
    G = diamond(build_graph)
    points = [ORIGIN, east(NODES[E], 1000), east(NODES[E], 2900), east(NODES[E], 3100),
              EAST_30KM]

    assert is_outside(G, points, MODEL) == [False, False, False, True, True]
    assert is_outside(G, points, RegionalModel(outside_m=500)) == [False, True, True, True, True]
    assert is_outside(G, [], MODEL) == []


def test_the_model_defaults_are_the_scenario_schema_values() -> None:
    # "more than 3 km from the network" (README, docs/scenario.md); the API schema takes
    # its defaults from these fields, so their names are part of the contract.
    model = RegionalModel()

    assert (model.speed_kph, model.detour_factor, model.outside_m) == (70.0, 1.3, 3000.0)


def test_without_the_model_an_outside_point_keeps_its_long_access_leg(
    build_graph: Build,
) -> None:
    G = diamond(build_graph)
    points = [ORIGIN, EAST_30KM]

    default = travel_matrices(G, points)
    explicit_none = travel_matrices(G, points, regional=None)

    access_m = great_circle_m(NODES[E], EAST_30KM)
    assert default.duration_s[0, 1] == round(300 + access_m / ACCESS_MPS)
    assert np.array_equal(default.duration_s, explicit_none.duration_s)
    assert np.array_equal(default.distance_m, explicit_none.distance_m)


def test_the_model_changes_nothing_when_no_point_is_outside(build_graph: Build) -> None:
    G = diamond(build_graph, out_s={E: 350}, back_s={N: 200})
    points = [ORIGIN, east(NODES[E], 1000), north(NODES[N], -500), NODES[S]]

    plain = travel_matrices(G, points)
    regional = travel_matrices(G, points, regional=MODEL)

    assert np.array_equal(plain.duration_s, regional.duration_s)
    assert np.array_equal(plain.distance_m, regional.distance_m)
    assert plain.snapped_node == regional.snapped_node
    assert plain.access_m == regional.access_m


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("speed_kph", 0.0),
        ("speed_kph", -70.0),
        ("speed_kph", math.nan),
        ("detour_factor", 0.0),
        ("detour_factor", 0.9),
        ("detour_factor", math.inf),
        ("outside_m", -1.0),
        ("outside_m", 0.0),
    ],
)
def test_invalid_model_values_raise_naming_the_field(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        RegionalModel(**{field: value})


def test_a_town_far_away_on_the_real_chelm_network(chelm_graph: nx.MultiDiGraph) -> None:
    centre = (51.1323, 23.4717)  # Chełm, Plac Łuczkowskiego
    toward_lublin = (51.25, 22.57)  # ~64 km west-north-west
    inside = [centre, (51.1420, 23.4900), (51.1200, 23.4500), (51.1500, 23.4400)]
    points = [*inside, toward_lublin]

    m = travel_matrices(chelm_graph, points, regional=MODEL)
    plain = travel_matrices(chelm_graph, inside)

    assert is_outside(chelm_graph, points, MODEL) == [False] * len(inside) + [True]
    lower = great_circle_m(centre, toward_lublin) * 1.3 / REGIONAL_MPS
    for duration in (m.duration_s[0, -1], m.duration_s[-1, 0]):
        assert lower <= duration <= lower + 30 * 60
    # town roads are not stretched by the detour factor, so only a loose distance check
    gc = great_circle_m(centre, toward_lublin)
    assert gc <= m.distance_m[0, -1] <= 1.3 * gc + 10_000
    k = len(inside)
    assert np.array_equal(m.duration_s[:k, :k], plain.duration_s)
    assert np.array_equal(m.distance_m[:k, :k], plain.distance_m)
