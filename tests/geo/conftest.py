"""Shared fixtures for geo tests: the real OSM graphs beside the repo and tiny hand-built graphs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

# ../shared/data/osm beside the repository; never copied into it.
SHARED_OSM_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "osm"

# node id -> (lat, lon)
Nodes = Mapping[int, tuple[float, float]]
# (u, v, attributes) for one directed edge
Edges = Iterable[tuple[int, int, dict[str, Any]]]
GraphBuilder = Callable[[Nodes, Edges], nx.MultiDiGraph]


@pytest.fixture(scope="session")
def shared_osm_dir() -> Path:
    if not SHARED_OSM_DIR.is_dir():
        pytest.fail(
            f"shared OSM data not found at {SHARED_OSM_DIR}: the real-network tests need "
            "../shared/data/osm/ (Chelm_map.graphml, Zalipie_map.graphml) beside the repository"
        )
    return SHARED_OSM_DIR


@pytest.fixture(scope="session")
def chelm_path(shared_osm_dir: Path) -> Path:
    return _existing(shared_osm_dir / "Chelm_map.graphml")


@pytest.fixture(scope="session")
def zalipie_path(shared_osm_dir: Path) -> Path:
    return _existing(shared_osm_dir / "Zalipie_map.graphml")


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


def _existing(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"shared OSM graph missing: {path}")
    return path
