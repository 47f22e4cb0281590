from __future__ import annotations

import bz2
from pathlib import Path

import networkx as nx
import osmnx as ox
import pytest

from geo.graph import GraphLoadError, clear_graph_cache, load_graph
from geo.synthetic import grid_graph

# A tiny OSM extract: a square of drivable streets (nodes 1-4), a footway to node 5
# and a building outline (nodes 6-7) that must not become roads.
OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-written test fixture">
  <node id="1" lat="51.1300" lon="23.4700"/>
  <node id="2" lat="51.1300" lon="23.4730"/>
  <node id="3" lat="51.1320" lon="23.4730"/>
  <node id="4" lat="51.1320" lon="23.4700"/>
  <node id="5" lat="51.1340" lon="23.4715"/>
  <node id="6" lat="51.1310" lon="23.4710"/>
  <node id="7" lat="51.1311" lon="23.4712"/>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="name" v="Lubelska"/>
  </way>
  <way id="11">
    <nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="highway" v="tertiary"/><tag k="maxspeed" v="30"/>
  </way>
  <way id="12">
    <nd ref="2"/><nd ref="4"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="yes"/>
  </way>
  <way id="13">
    <nd ref="3"/><nd ref="5"/>
    <tag k="highway" v="footway"/>
  </way>
  <way id="14">
    <nd ref="6"/><nd ref="7"/><nd ref="6"/>
    <tag k="building" v="yes"/>
  </way>
</osm>
"""


def test_a_missing_graphml_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.graphml"

    with pytest.raises(GraphLoadError, match="not found") as error:
        load_graph(missing)

    assert str(missing) in str(error.value)


def test_a_corrupt_graphml_file_is_reported_with_its_path(tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.graphml"
    corrupt.write_bytes(b"\x00\xff\xfe not xml at all <graphml")

    with pytest.raises(GraphLoadError, match="cannot read GraphML") as error:
        load_graph(corrupt)

    assert str(corrupt) in str(error.value)


def test_a_file_with_an_unsupported_suffix_is_reported_with_its_path(tmp_path: Path) -> None:
    table = tmp_path / "roads.csv"
    table.write_text("u,v,length\n1,2,100\n")

    with pytest.raises(GraphLoadError, match="unsupported") as error:
        load_graph(str(table))

    assert str(table) in str(error.value)


def test_an_osm_xml_file_loads_as_a_drive_network(tmp_path: Path) -> None:
    path = tmp_path / "square.osm"
    path.write_text(OSM_XML, encoding="utf-8")

    G = load_graph(path)

    assert set(G.nodes) <= {1, 2, 3, 4}
    assert len(G) >= 2
    highways = {str(data["highway"]) for _, _, data in G.edges(data=True)}
    assert "footway" not in " ".join(highways)
    assert all(data["travel_time"] > 0 for _, _, data in G.edges(data=True))
    one_way = [(u, v) for u, v, data in G.edges(data=True) if data["oneway"] is True]
    assert one_way == [(2, 4)]  # way 12 is drivable from 2 to 4 only


def test_a_bz2_compressed_osm_xml_file_loads_like_the_plain_one(tmp_path: Path) -> None:
    plain = tmp_path / "square.osm"
    plain.write_text(OSM_XML, encoding="utf-8")
    packed = tmp_path / "square.osm.bz2"
    packed.write_bytes(bz2.compress(OSM_XML.encode("utf-8")))

    assert sorted(load_graph(packed).nodes) == sorted(load_graph(plain).nodes)


def test_an_osm_xml_file_with_only_footways_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "park.osm"
    path.write_text(OSM_XML.replace('v="residential"', 'v="footway"')
                    .replace('v="tertiary"', 'v="path"'), encoding="utf-8")

    with pytest.raises(GraphLoadError, match="no drivable roads") as error:
        load_graph(path)

    assert str(path) in str(error.value)


def test_a_place_that_cannot_be_downloaded_is_reported_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def offline(query: str, **_: object) -> nx.MultiDiGraph:
        raise ConnectionError("network is unreachable")

    monkeypatch.setattr(ox, "graph_from_place", offline)

    with pytest.raises(GraphLoadError, match="Starachowice, Poland") as error:
        load_graph("Starachowice, Poland", timeout_s=1)

    assert "network is unreachable" in str(error.value)


def test_a_downloaded_place_is_cached_and_then_loaded_without_the_internet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen_timeouts: list[float] = []

    def download(query: str, *, network_type: str) -> nx.MultiDiGraph:
        assert network_type == "drive"
        seen_timeouts.append(ox.settings.requests_timeout)
        return grid_graph(51.13, 23.47, half_size_m=400, spacing_m=200)

    timeout_before = ox.settings.requests_timeout
    monkeypatch.setattr(ox, "graph_from_place", download)
    first = load_graph("Chełm, Poland", cache_dir=tmp_path, timeout_s=7)

    def offline(query: str, **_: object) -> nx.MultiDiGraph:
        raise ConnectionError("network is unreachable")

    monkeypatch.setattr(ox, "graph_from_place", offline)
    clear_graph_cache()  # read it back from the file, not from memory
    second = load_graph("Chełm, Poland", cache_dir=tmp_path, timeout_s=7)

    assert seen_timeouts == [7]
    assert ox.settings.requests_timeout == timeout_before
    assert (tmp_path / "chelm-poland.graphml").is_file()
    assert sorted(second.nodes) == sorted(first.nodes)
    assert second.number_of_edges() == first.number_of_edges() == 5 * 4 * 2 * 2
