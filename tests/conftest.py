"""Shared test helpers: the real data kept beside the repository in ../shared/data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# ../shared/data beside the repository; never copied into it.
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"  # tests/ -> repo -> ..


def _shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.is_file():
        pytest.fail(
            f"shared test data missing: {path} (this test needs the real data in "
            f"../shared/data/ beside the repository, e.g. ../shared/data/{relative})",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder; the test fails with a clear message when it is absent."""
    if not SHARED.is_dir():
        pytest.fail(f"shared test data folder not found: {SHARED} (expected ../shared/data "
                    "beside the repository)", pytrace=False)
    return SHARED


@pytest.fixture(scope="session")
def shared_file() -> Callable[[str], Path]:
    """`shared_file("osm/Chelm_map.graphml")`: the path, or a failed test if it is missing."""
    return _shared_file


@pytest.fixture(scope="session")
def chelm_graph() -> Path:
    """The real Chełm road network the live servers plan on."""
    return _shared_file("osm/Chelm_map.graphml")


@pytest.fixture(scope="session")
def starachowice_grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated street grid over Starachowice as a GraphML file: the demo scenarios are
    in Starachowice, whose road network cannot be downloaded here; a file both the command
    line (`--graph`) and a server (`TRASA_GRAPH`) read gives them one network."""
    import osmnx as ox

    from geo.synthetic import grid_graph

    path = tmp_path_factory.mktemp("starachowice") / "starachowice_grid.graphml"
    ox.save_graphml(grid_graph(51.0447, 21.0859, half_size_m=6000), filepath=path)
    return path
