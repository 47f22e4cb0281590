"""Words folded for a search as one types, and street names from a road network: "ł"
folds to "l", a phone matches by its digits only for a query of digits, and a street is
found by the start of any of its words, "ul." and a house number ignored."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import osmnx as ox

from api.schemas.folding import folded, matches
from api.services.street_names import _names, find_streets, street_index


def test_folding_drops_diacritics_and_case_and_keeps_l_with_stroke_as_l() -> None:
    assert folded("  Ząbkowska   ŁÓDŹ ") == "zabkowska lodz"
    assert matches("zabkowska 7", ["ul. Ząbkowska 7"])
    assert matches("7 ZĄBKOWSKA", ["ul. Ząbkowska 7"])  # words in any order
    assert not matches("zabkowska 8", ["ul. Ząbkowska 7"])


def test_a_phone_matches_by_digits_only_for_a_query_of_digits() -> None:
    phones = ["+48 600-100-205"]
    assert matches("100 205", [], phones) and matches("600100205", [], phones)
    assert matches("+48 600", [], phones)
    assert not matches("12", [], phones)  # too few digits
    assert not matches("nowak 100205", ["Jan Kowal"], phones)  # words are words


def test_an_edges_name_may_be_a_list_or_its_graphml_text() -> None:
    assert _names("Lubelska") == ["Lubelska"]
    assert _names(["Lubelska", "Lwowska"]) == ["Lubelska", "Lwowska"]
    assert _names("['Lubelska', 'Lwowska']") == ["Lubelska", "Lwowska"]
    assert _names(None) == [] and _names("") == []


def _grid(tmp_path: Path) -> Path:
    G = nx.MultiDiGraph(crs="epsg:4326")
    points = {1: (51.130, 23.470), 2: (51.131, 23.470), 3: (51.132, 23.470),
              4: (51.131, 23.472)}
    for node, (lat, lon) in points.items():
        G.add_node(node, y=lat, x=lon)
    for u, v, name in [(1, 2, "Ząbkowska"), (2, 3, "Ząbkowska"),
                       (2, 4, "['Pułkownika Stanisława Dąbka', 'Łąkowa']")]:
        for a, b in ((u, v), (v, u)):
            G.add_edge(a, b, name=name, length=100.0, highway="residential")
    path = tmp_path / "grid.graphml"
    ox.save_graphml(G, path)
    return path


def test_streets_are_found_by_the_start_of_any_word_as_one_types(tmp_path: Path) -> None:
    source = str(_grid(tmp_path))
    assert {s.name for s in street_index(source)} == {
        "Ząbkowska", "Pułkownika Stanisława Dąbka", "Łąkowa"}
    found = find_streets(source, "ul. zabk 12")
    assert [s.name for s in found] == ["Ząbkowska"]
    assert 51.130 <= found[0].lat <= 51.132 and found[0].lon == 23.47
    assert [s.name for s in find_streets(source, "dabk")] == ["Pułkownika Stanisława Dąbka"]
    assert [s.name for s in find_streets(source, "lak")] == ["Łąkowa"]
    assert [s.name for s in find_streets(source, "bkow")] == ["Ząbkowska"]  # inside a word
    assert [s.name for s in find_streets(source, "kow")] == [
        "Łąkowa", "Pułkownika Stanisława Dąbka", "Ząbkowska"]
    assert [s.name for s in find_streets(source, "stanis")] == ["Pułkownika Stanisława Dąbka"]
    assert find_streets(source, "12") == []
