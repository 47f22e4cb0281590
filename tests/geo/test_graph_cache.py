"""load_graph keeps each prepared graph in memory; road_network the arrays of a frozen one."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import osmnx as ox
import pytest

from geo import graph as graph_module
from geo.graph import GRAPH_CACHE_SIZE, clear_graph_cache, load_graph, prepare_graph
from geo.matrix import travel_matrices
from geo.network import road_network
from geo.synthetic import grid_graph

CENTRE = (51.13, 23.47)


def save_grid(path: Path, half_size_m: float = 400) -> Path:
    ox.save_graphml(grid_graph(*CENTRE, half_size_m=half_size_m, spacing_m=200), filepath=path)
    return path


def test_an_unchanged_file_gives_the_same_graph_object(tmp_path: Path) -> None:
    path = save_grid(tmp_path / "town.graphml")

    first = load_graph(path)
    again = load_graph(str(path))

    assert again is first


def test_a_relative_path_to_the_same_file_is_the_same_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_grid(tmp_path / "town.graphml")
    first = load_graph(path)
    monkeypatch.chdir(tmp_path)

    assert load_graph("town.graphml") is first


def test_a_file_touched_since_is_loaded_again(tmp_path: Path) -> None:
    path = save_grid(tmp_path / "town.graphml")
    first = load_graph(path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    again = load_graph(path)

    assert again is not first
    assert sorted(again.nodes) == sorted(first.nodes)
    assert load_graph(path) is again  # and the new version is kept


def test_a_rewritten_file_gives_its_new_content(tmp_path: Path) -> None:
    path = save_grid(tmp_path / "town.graphml", half_size_m=400)
    small = load_graph(path)
    save_grid(path, half_size_m=600)

    bigger = load_graph(path)

    assert (len(small), len(bigger)) == (25, 49)


def test_only_the_last_few_graphs_are_kept(tmp_path: Path) -> None:
    paths = [save_grid(tmp_path / f"town{k}.graphml") for k in range(GRAPH_CACHE_SIZE + 1)]
    loaded = [load_graph(path) for path in paths]

    assert load_graph(paths[-1]) is loaded[-1]
    assert load_graph(paths[1]) is loaded[1]
    assert load_graph(paths[0]) is not loaded[0]  # the least recently used was dropped


def test_clear_graph_cache_forgets_the_graphs(tmp_path: Path) -> None:
    path = save_grid(tmp_path / "town.graphml")
    first = load_graph(path)

    clear_graph_cache()

    assert load_graph(path) is not first


def test_the_shared_graph_cannot_gain_or_lose_edges_but_a_copy_can(tmp_path: Path) -> None:
    G = load_graph(save_grid(tmp_path / "town.graphml"))
    u, v = next(iter(G.edges()))

    with pytest.raises(nx.NetworkXError, match="[Ff]rozen"):
        G.add_edge(u, v, length=1.0, travel_time=0.1)
    with pytest.raises(nx.NetworkXError, match="[Ff]rozen"):
        G.remove_node(u)
    mine = G.copy()
    mine.remove_node(u)

    assert u in load_graph(tmp_path / "town.graphml")
    assert len(prepare_graph(G)) == len(G)  # preparing it again works on a copy


def test_a_place_is_downloaded_once_per_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    downloads: list[str] = []

    def download(query: str, *, network_type: str) -> nx.MultiDiGraph:
        downloads.append(query)
        return grid_graph(*CENTRE, half_size_m=400, spacing_m=200)

    monkeypatch.setattr(ox, "graph_from_place", download)

    first = load_graph("Chełm, Poland")
    again = load_graph("Chełm, Poland")
    elsewhere = load_graph("Zamość, Poland")

    assert downloads == ["Chełm, Poland", "Zamość, Poland"]
    assert again is first
    assert elsewhere is not first


def test_a_failed_load_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "later.graphml"
    with pytest.raises(graph_module.GraphLoadError, match="not found"):
        load_graph(path)
    save_grid(path)

    assert len(load_graph(path)) == 25


def test_the_arrays_of_a_loaded_graph_are_built_once(tmp_path: Path) -> None:
    G = load_graph(save_grid(tmp_path / "town.graphml"))
    network = road_network(G)
    points = [CENTRE, (CENTRE[0] + 0.002, CENTRE[1] + 0.002)]

    first = travel_matrices(G, points)
    again = travel_matrices(G, points)

    assert road_network(G) is network
    assert first.paths is not None and again.paths is not None
    assert first.paths.network is network and again.paths.network is network
    assert network.lat.flags.writeable is False
    assert network.travel_time_s.data.flags.writeable is False


def test_a_mutable_graph_is_converted_afresh_so_its_changes_are_seen() -> None:
    G = prepare_graph(grid_graph(*CENTRE, half_size_m=400, spacing_m=200))
    points = [CENTRE, (CENTRE[0] + 0.0036, CENTRE[1])]  # two blocks north
    before = travel_matrices(G, points).duration_s[0, 1]

    for _, _, data in G.edges(data=True):
        data["travel_time"] *= 2

    assert road_network(G) is not road_network(G)
    assert travel_matrices(G, points).duration_s[0, 1] > before
