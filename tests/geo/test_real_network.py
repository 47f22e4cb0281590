"""Integration tests on the real OSM graphs in ../shared/data/osm (Chełm, Zalipie)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from geo.graph import load_graph
from geo.matrix import travel_matrices

pytestmark = pytest.mark.slow

ACCESS_SPEED_KPH = 20.0


def random_points(G: nx.MultiDiGraph, count: int, seed: int) -> list[tuple[float, float]]:
    lat = np.array([y for _, y in G.nodes(data="y")])
    lon = np.array([x for _, x in G.nodes(data="x")])
    rng = np.random.default_rng(seed)
    return list(zip(rng.uniform(lat.min(), lat.max(), count),
                    rng.uniform(lon.min(), lon.max(), count), strict=True))


def test_the_zalipie_village_graph_loads_with_travel_times(zalipie_path: Path) -> None:
    G = load_graph(zalipie_path)

    assert 20 <= len(G) <= 33
    assert all(data["travel_time"] > 0 for _, _, data in G.edges(data=True))


def test_the_chelm_graph_keeps_its_strongly_connected_core(chelm_graph: nx.MultiDiGraph) -> None:
    assert len(chelm_graph) == 1416  # of 1421 nodes in the file
    assert nx.is_strongly_connected(chelm_graph)
    speeds = {data["speed_kph"] for _, _, data in chelm_graph.edges(data=True)}
    assert min(speeds) >= 20
    assert max(speeds) <= 90


def test_a_chelm_matrix_is_finite_positive_and_no_faster_than_the_fastest_road(
    chelm_graph: nx.MultiDiGraph,
) -> None:
    m = travel_matrices(chelm_graph, random_points(chelm_graph, 50, seed=0))

    off_diagonal = ~np.eye(50, dtype=bool)
    assert (m.duration_s[off_diagonal] > 0).all()
    assert (m.distance_m[off_diagonal] > 0).all()
    assert (np.diag(m.duration_s) == 0).all()
    top_mps = max(max(d["speed_kph"] for _, _, d in chelm_graph.edges(data=True)),
                  ACCESS_SPEED_KPH) / 3.6
    assert (m.duration_s + 1 >= m.distance_m / top_mps).all()
    assert m.duration_s.max() < 3600  # anywhere to anywhere in a 60k town within an hour


def test_chelm_matrix_times_agree_with_networkx_shortest_paths(
    chelm_graph: nx.MultiDiGraph,
) -> None:
    points = random_points(chelm_graph, 12, seed=3)
    m = travel_matrices(chelm_graph, points, access_speed_kph=ACCESS_SPEED_KPH)

    for i, j in [(0, 1), (1, 0), (2, 7), (7, 2), (4, 11), (11, 5)]:
        road_s = nx.shortest_path_length(chelm_graph, m.snapped_node[i], m.snapped_node[j],
                                         weight="travel_time")
        access_s = (m.access_m[i] + m.access_m[j]) / (ACCESS_SPEED_KPH / 3.6)
        assert m.duration_s[i, j] == pytest.approx(road_s + access_s, abs=1)
