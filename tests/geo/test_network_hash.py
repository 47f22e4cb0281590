"""geo.network.network_hash: the same roads give the same hash, other roads another; the
snap distance a scenario's places are measured by (road_distance_m)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import networkx as nx
import pytest

from geo.graph import load_graph, prepare_graph
from geo.network import network_hash, road_distance_m, road_network
from geo.synthetic import grid_graph
from tests.geo.conftest import GraphBuilder

ORIGIN = (51.1300, 23.4700)
NODES = {10: ORIGIN, 20: (51.1300, 23.4843), 30: (51.1390, 23.4843)}


def road(length_m: float, time_s: float) -> dict[str, float]:
    return {"length": length_m, "travel_time": time_s}


def edges(time_20_30: float = 80.0) -> list[tuple[int, int, dict[str, float]]]:
    return [(10, 20, road(1000, 72)), (20, 10, road(1000, 72)),
            (20, 30, road(1000, time_20_30)), (30, 20, road(1000, 80))]


def test_the_hash_names_its_algorithm_and_is_the_same_for_the_same_roads(
        build_graph: GraphBuilder) -> None:
    first = network_hash(build_graph(NODES, edges()))
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 64
    assert network_hash(build_graph(NODES, edges())) == first


def test_the_order_nodes_and_edges_are_listed_in_does_not_change_the_hash(
        build_graph: GraphBuilder) -> None:
    reordered = build_graph(dict(reversed(list(NODES.items()))), list(reversed(edges())))
    assert network_hash(reordered) == network_hash(build_graph(NODES, edges()))


def test_another_travel_time_a_moved_node_or_a_missing_edge_change_the_hash(
        build_graph: GraphBuilder) -> None:
    same = network_hash(build_graph(NODES, edges()))
    assert network_hash(build_graph(NODES, edges(time_20_30=81.0))) != same
    moved = {**NODES, 30: (51.1391, 23.4843)}
    assert network_hash(build_graph(moved, edges())) != same
    assert network_hash(build_graph(NODES, edges()[:-1])) != same


def test_the_synthetic_grid_around_the_same_point_has_one_hash_and_another_elsewhere() -> None:
    here = network_hash(prepare_graph(grid_graph(*ORIGIN)))
    assert network_hash(prepare_graph(grid_graph(*ORIGIN))) == here
    assert network_hash(prepare_graph(grid_graph(ORIGIN[0] + 0.01, ORIGIN[1]))) != here


def test_a_loaded_graph_computes_its_hash_once_and_a_copied_file_gives_the_same(
        chelm_path: Path, tmp_path: Path) -> None:
    G = load_graph(chelm_path)
    first = network_hash(G)
    assert road_network(G).__dict__["content_hash"] == first  # kept with the network
    copy = tmp_path / "elsewhere.graphml"
    shutil.copyfile(chelm_path, copy)
    assert network_hash(load_graph(copy)) == first
    assert network_hash(nx.MultiDiGraph(G)) == first  # an unfrozen copy of the same roads


def test_road_distance_is_the_straight_distance_to_the_nearest_node(
        build_graph: GraphBuilder) -> None:
    G = build_graph(NODES, edges())
    south = (ORIGIN[0] - 0.009, ORIGIN[1])  # about 1 km due south of node 10
    metres = road_distance_m(G, [ORIGIN, south])
    assert metres[0] == pytest.approx(0.0, abs=1e-6)
    assert metres[1] == pytest.approx(math.radians(0.009) * 6_371_009.0, rel=1e-6)
    assert len(road_distance_m(G, [])) == 0
