"""Street names from the configured road network (`TRASA_GRAPH`), for finding a new
client's home offline as the coordinator types: `find_streets("zabk")` gives
"Ząbkowska" with a point on it. The index is built once per process and graph file
(the graph itself is kept by `geo.graph.load_graph`).

Names are the graph's edge `name`s (OSM's, without "ul."); a street drawn as several
edges is one entry whose point is the middle of the edge nearest the street's centre.
Also `town_streets`: the network's street lines of the town (the workers' bases and the
clients' homes near them), the records page's map base (no tile server needed)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.render.streets import street_lines, streets_document, town_box
from api.schemas.folding import folded
from geo.graph import load_graph
from geo.network import road_network

MAX_STREETS = 20
_PREFIXES = ("ulica ", "ul. ", "ul ", "aleja ", "al. ", "al ", "plac ", "pl. ", "os. ")


@dataclass(frozen=True)
class Street:
    name: str
    lat: float
    lon: float
    key: str  # the name folded (`api.schemas.folding.folded`)


def _names(value: Any) -> list[str]:
    """An edge's `name`: one string, a list, or its GraphML text `"['A', 'B']"`."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    text = str(value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        return [part.strip(" '\"") for part in text[1:-1].split(",") if part.strip(" '\"")]
    return [text] if text else []


def _middle(G: Any, u: Any, v: Any, data: dict[str, Any]) -> tuple[float, float]:
    shape = data.get("geometry")
    if shape is not None and hasattr(shape, "interpolate"):
        point = shape.interpolate(0.5, normalized=True)
        return float(point.y), float(point.x)
    a, b = G.nodes[u], G.nodes[v]
    return (float(a["y"]) + float(b["y"])) / 2, (float(a["x"]) + float(b["x"])) / 2


@lru_cache(maxsize=4)
def street_index(source: str, cache_dir: Path | None = None) -> tuple[Street, ...]:
    """Every named street of the graph at `source`, sorted by name."""
    G = load_graph(source, cache_dir=cache_dir)
    points: dict[str, list[tuple[float, float]]] = {}
    for u, v, data in G.edges(data=True):
        for name in _names(data.get("name")):
            points.setdefault(name, []).append(_middle(G, u, v, data))
    streets = []
    for name, spots in points.items():
        lat = sum(p[0] for p in spots) / len(spots)
        lon = sum(p[1] for p in spots) / len(spots)
        near = min(spots, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)
        streets.append(Street(name, round(near[0], 6), round(near[1], 6), folded(name)))
    return tuple(sorted(streets, key=lambda s: (s.key, s.name)))


def find_streets(source: str, query: str, *, cache_dir: Path | None = None,
                 limit: int = MAX_STREETS) -> list[Street]:
    """Streets whose folded name starts with the folded query (or one of its words does),
    then those containing it; "ul. " and the like before the query are ignored, and so is
    a house number after it ("Ząbkowska 12")."""
    key = folded(query)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    words = [w for w in key.split(" ") if not any(c.isdigit() for c in w)]
    key = " ".join(words)
    if not key:
        return []
    streets = street_index(source, cache_dir)
    first = [s for s in streets if s.key.startswith(key)
             or any(w.startswith(key) for w in s.key.split(" "))]
    rest = [s for s in streets if key in s.key and s not in first]
    return (first + rest)[:limit]


BOX_STEP = 0.01  # degrees: the map's box grows in steps, so that one new home rarely moves it


def town_map_box(homes: list[tuple[float, float]], bases: list[tuple[float, float]]
                 ) -> tuple[float, float, float, float]:
    """The town (`api.render.streets.town_box`: the bases and the homes near them), its
    edges rounded outwards to `BOX_STEP`."""
    south, west, north, east = town_box(homes, bases)
    return (round(math.floor(south / BOX_STEP) * BOX_STEP, 4),
            round(math.floor(west / BOX_STEP) * BOX_STEP, 4),
            round(math.ceil(north / BOX_STEP) * BOX_STEP, 4),
            round(math.ceil(east / BOX_STEP) * BOX_STEP, 4))


@lru_cache(maxsize=4)
def town_streets(source: str, box: tuple[float, float, float, float],
                 cache_dir: Path | None = None) -> dict[str, Any]:
    """The network's streets inside `box` as the page's GeoJSON (one MultiLineString)."""
    network = road_network(load_graph(source, cache_dir=cache_dir))
    return streets_document(street_lines(network, box))
