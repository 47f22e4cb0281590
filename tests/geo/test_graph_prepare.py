from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from geo.graph import POLISH_SPEEDS_KPH, GraphLoadError, prepare_graph

Build = Callable[..., nx.MultiDiGraph]

# Four nodes about 1 km apart near Chełm; coordinates only matter for geometry.
NODES = {1: (51.130, 23.470), 2: (51.130, 23.484), 3: (51.139, 23.484), 4: (51.139, 23.470)}


def two_way(u: int, v: int, **attributes: object) -> list[tuple[int, int, dict[str, object]]]:
    return [(u, v, dict(attributes)), (v, u, dict(attributes))]


def edge_data(G: nx.MultiDiGraph, u: int, v: int) -> dict[str, object]:
    return G.edges[u, v, 0]


def test_speeds_are_filled_by_highway_class_where_maxspeed_is_missing(build_graph: Build) -> None:
    G = build_graph(NODES, [
        *two_way(1, 2, length=1000.0, highway="residential"),
        *two_way(2, 3, length=1000.0, highway="secondary"),
        *two_way(3, 1, length=1000.0, highway="living_street"),
    ])

    prepared = prepare_graph(G)

    assert edge_data(prepared, 1, 2)["speed_kph"] == POLISH_SPEEDS_KPH["residential"] == 40
    assert edge_data(prepared, 2, 3)["speed_kph"] == POLISH_SPEEDS_KPH["secondary"] == 60
    assert edge_data(prepared, 3, 1)["speed_kph"] == POLISH_SPEEDS_KPH["living_street"] == 20


def test_an_explicit_maxspeed_beats_the_class_default(build_graph: Build) -> None:
    G = build_graph(NODES, [
        *two_way(1, 2, length=1000.0, highway="residential", maxspeed="30"),
        *two_way(2, 3, length=1000.0, highway="residential"),
        *two_way(3, 1, length=1000.0, highway="primary", maxspeed="PL:urban"),
    ])

    prepared = prepare_graph(G)

    assert edge_data(prepared, 1, 2)["speed_kph"] == 30
    assert edge_data(prepared, 2, 3)["speed_kph"] == 40
    assert edge_data(prepared, 3, 1)["speed_kph"] == 50  # PL:urban is the built-up limit


def test_an_unknown_highway_class_without_maxspeed_gets_the_built_up_area_limit(
    build_graph: Build,
) -> None:
    G = build_graph(NODES, [
        *two_way(1, 2, length=1000.0, highway="busway"),
        *two_way(2, 3, length=1000.0),
        *two_way(3, 1, length=1000.0),
    ])

    assert edge_data(prepare_graph(G), 1, 2)["speed_kph"] == 50


def test_travel_time_is_length_over_speed(build_graph: Build) -> None:
    G = build_graph(NODES, [
        *two_way(1, 2, length=400.0, highway="residential"),
        *two_way(2, 3, length=900.0, highway="secondary"),
        *two_way(3, 1, length=500.0, highway="tertiary", maxspeed="90"),
    ])

    prepared = prepare_graph(G)

    assert edge_data(prepared, 1, 2)["travel_time"] == pytest.approx(400 / (40 / 3.6))  # 36 s
    assert edge_data(prepared, 2, 3)["travel_time"] == pytest.approx(900 / (60 / 3.6))  # 54 s
    assert edge_data(prepared, 3, 1)["travel_time"] == pytest.approx(500 / (90 / 3.6))  # 20 s


def test_a_node_reachable_only_one_way_is_dropped_with_its_street(build_graph: Build) -> None:
    G = build_graph(NODES, [
        *two_way(1, 2, length=1000.0),
        *two_way(2, 3, length=1000.0),
        (3, 4, {"length": 1000.0, "oneway": True}),  # dead-end one-way: no way back from 4
    ])

    prepared = prepare_graph(G)

    assert sorted(prepared.nodes) == [1, 2, 3]
    assert not prepared.has_edge(3, 4)
    assert prepared.number_of_edges() == 4


def test_prepare_graph_leaves_its_input_untouched(build_graph: Build) -> None:
    G = build_graph(NODES, [*two_way(1, 2, length=1000.0), (2, 3, {"length": 10.0})])

    prepare_graph(G)

    assert 3 in G
    assert all("travel_time" not in data for _, _, data in G.edges(data=True))


def test_a_graph_without_edges_is_rejected(build_graph: Build) -> None:
    with pytest.raises(GraphLoadError, match="no edges"):
        prepare_graph(build_graph(NODES, []))


def test_a_graph_without_any_two_way_connection_is_rejected(build_graph: Build) -> None:
    G = build_graph(NODES, [(1, 2, {"length": 100.0}), (2, 3, {"length": 100.0})])

    with pytest.raises(GraphLoadError, match="strongly connected"):
        prepare_graph(G)


def test_an_edge_without_a_highway_tag_gets_the_unknown_road_speed(build_graph: Build) -> None:
    G = build_graph(NODES, [*two_way(1, 2, length=1000.0), *two_way(2, 3, length=1000.0)])
    del G.edges[1, 2, 0]["highway"]

    assert edge_data(prepare_graph(G), 1, 2)["speed_kph"] == POLISH_SPEEDS_KPH["road"] == 40
