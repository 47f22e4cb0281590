from __future__ import annotations

import networkx as nx
import pytest

from geo.graph import prepare_graph
from geo.matrix import travel_matrices
from geo.synthetic import grid_graph

CENTER = (51.1325, 23.4710)  # Chełm town centre


def node_at(row: int, col: int, side: int) -> int:
    return row * side + col + 1


def test_the_grid_has_two_way_streets_at_the_requested_spacing() -> None:
    G = grid_graph(*CENTER, half_size_m=1000, spacing_m=200)

    assert len(G) == 11 * 11
    assert G.number_of_edges() == 2 * (2 * 11 * 10)
    assert G.graph["crs"] == "epsg:4326"
    assert {data["length"] for _, _, data in G.edges(data=True)} == {200.0}
    assert all(G.has_edge(v, u) for u, v in G.edges())


def test_every_fifth_street_is_secondary_and_the_rest_residential() -> None:
    G = grid_graph(*CENTER, half_size_m=1000, spacing_m=200)
    side = 11

    assert G.edges[node_at(0, 0, side), node_at(0, 1, side), 0]["highway"] == "secondary"
    assert G.edges[node_at(1, 0, side), node_at(1, 1, side), 0]["highway"] == "residential"
    assert G.edges[node_at(5, 3, side), node_at(5, 4, side), 0]["highway"] == "secondary"


def test_the_grid_is_the_same_every_time() -> None:
    first = grid_graph(*CENTER, half_size_m=600, spacing_m=150)
    second = grid_graph(*CENTER, half_size_m=600, spacing_m=150)

    assert nx.utils.graphs_equal(first, second)


def test_the_grid_goes_through_prepare_graph_and_travel_matrices_unchanged() -> None:
    G = prepare_graph(grid_graph(*CENTER, half_size_m=1000, spacing_m=200))
    side = 11
    centre = node_at(5, 5, side)
    east_end = node_at(5, 10, side)  # 1000 m east along the secondary middle street
    points = [(G.nodes[n]["y"], G.nodes[n]["x"]) for n in (centre, east_end)]

    matrices = travel_matrices(G, points)

    assert len(G) == side * side
    assert matrices.snapped_node == (centre, east_end)
    assert matrices.access_m == (0, 0)
    assert matrices.distance_m.tolist() == [[0, 1000], [1000, 0]]
    assert matrices.duration_s[0, 1] == pytest.approx(1000 / (60 / 3.6), abs=0.5)  # 60 s


@pytest.mark.parametrize("bad", [{"spacing_m": 0}, {"half_size_m": 50, "spacing_m": 200}])
def test_a_grid_with_impossible_dimensions_is_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="spacing_m"):
        grid_graph(*CENTER, **bad)
