"""Shared fixtures for geo tests: the real OSM graphs in ../shared/data/osm (via the
`shared_file` fixture, which fails when they are missing) and tiny hand-built graphs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

# node id -> (lat, lon)
Nodes = Mapping[int, tuple[float, float]]
# (u, v, attributes) for one directed edge
Edges = Iterable[tuple[int, int, dict[str, Any]]]
GraphBuilder = Callable[[Nodes, Edges], nx.MultiDiGraph]


@pytest.fixture(autouse=True)
def _fresh_graph_cache() -> Iterator[None]:
    """Each test starts and ends with an empty in-process graph cache (geo.graph.load_graph)."""
    from geo.graph import clear_graph_cache

    clear_graph_cache()
    yield
    clear_graph_cache()


@pytest.fixture(scope="session")
def chelm_path(shared_file: Callable[[str], Path]) -> Path:
    return shared_file("osm/Chelm_map.graphml")


@pytest.fixture(scope="session")
def zalipie_path(shared_file: Callable[[str], Path]) -> Path:
    return shared_file("osm/Zalipie_map.graphml")


@pytest.fixture(scope="session")
def chelm_graph(chelm_path: Path) -> nx.MultiDiGraph:
    from geo.graph import load_graph

    return load_graph(chelm_path)


@pytest.fixture
def build_graph() -> GraphBuilder:
    """Return a builder of tiny osmnx-compatible graphs from nodes and directed edges."""
    return make_graph


def make_graph(nodes: Nodes, edges: Edges) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(crs="epsg:4326")
    for node, (lat, lon) in nodes.items():
        G.add_node(node, y=lat, x=lon)
    for u, v, attributes in edges:
        G.add_edge(u, v, **{"oneway": False, "highway": "residential", **attributes})
    return G

