"""Road graph: load it (GraphML, OSM XML file or place name), add speeds and travel times.

This module and :mod:`geo.network` are the only places that talk to osmnx / networkx.
Every loaded graph goes through :func:`prepare_graph`, so callers always get a
strongly connected drive network whose edges carry ``length`` (m), ``speed_kph``
and ``travel_time`` (s).

:func:`load_graph` loads each source once per process: it keeps the last
:data:`GRAPH_CACHE_SIZE` prepared graphs, keyed by the file's resolved path,
modification time and size (a changed file is loaded again) or by the place name and
cache folder, and returns the same frozen graph object each time. The graph is
shared: it cannot gain or lose nodes or edges (``networkx.freeze``) and its node and
edge attributes must not be changed either; take ``G.copy()`` for a graph of your own.
Its arrays and content hash (:func:`geo.network.network_hash`, which a plan records)
are therefore computed once per loaded graph.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import Any

import networkx as nx
import osmnx as ox

__all__ = [
    "GRAPH_CACHE_SIZE",
    "POLISH_IMPLICIT_MAXSPEEDS_KPH",
    "POLISH_SPEEDS_KPH",
    "GraphLoadError",
    "clear_graph_cache",
    "load_graph",
    "names_a_file",
    "prepare_graph",
]

logger = logging.getLogger(__name__)


class GraphLoadError(ValueError):
    """A road graph could not be loaded or is unusable for routing."""


# Free-flow speeds (km/h) by OSM ``highway`` class, used only where an edge has no
# usable ``maxspeed`` tag. Legal limits in Poland (Prawo o ruchu drogowym, art. 20):
# 50 in built-up areas, 20 in a living street (strefa zamieszkania), 90 on ordinary
# roads outside built-up areas, 100/120 on expressways, 140 on motorways. Where the
# legal limit overstates what a car achieves in a town (junctions, parked cars, speed
# bumps, many "strefa 30" zones), a realistic average is used instead.
POLISH_SPEEDS_KPH: dict[str, float] = {
    "motorway": 120.0,  # legal 140; 120 is a realistic cruising speed for a service car
    "trunk": 100.0,  # mostly expressways (S-roads) and dual-carriageway GP roads
    "primary": 70.0,  # national roads: 50 through towns, 90 outside; mixed average
    "secondary": 60.0,  # voivodeship roads: same mix, more junctions
    "tertiary": 50.0,  # district roads / town collectors: built-up limit
    "unclassified": 50.0,  # minor public roads: built-up limit
    "residential": 40.0,  # legal 50, but realistic speed is lower (zone 30, bumps, parking)
    "living_street": 20.0,  # strefa zamieszkania: legal limit 20
    "service": 20.0,  # access roads, car parks, yards
    "road": 40.0,  # unknown class: cautious town speed
    "motorway_link": 60.0,  # ramps: curves and merging
    "trunk_link": 50.0,
    "primary_link": 50.0,
    "secondary_link": 40.0,
    "tertiary_link": 40.0,
}

# Implicit Polish maxspeed values (OSM wiki, Key:maxspeed), which osmnx does not know
# and would otherwise ignore in favour of the class default.
POLISH_IMPLICIT_MAXSPEEDS_KPH: dict[str, float] = {
    "PL:urban": 50.0,
    "PL:rural": 90.0,
    "PL:expressway": 120.0,
    "PL:motorway": 140.0,
    "PL:living_street": 20.0,
    "PL:zone30": 30.0,
}

# Speed for a highway class missing from the table and without any maxspeed data:
# the built-up area limit.
_FALLBACK_SPEED_KPH = 50.0

_GRAPHML_SUFFIXES = (".graphml",)
_OSM_XML_SUFFIXES = (".osm", ".osm.bz2", ".xml")
_FILE_SUFFIXES = _GRAPHML_SUFFIXES + _OSM_XML_SUFFIXES

# The osmnx "drive" network filter (osmnx._overpass._get_network_filter), applied to
# the ways of a local OSM XML file, which osmnx.graph_from_xml does not filter.
_NOT_DRIVABLE_HIGHWAYS = frozenset({
    "abandoned", "bridleway", "bus_guideway", "construction", "corridor", "cycleway",
    "elevator", "escalator", "footway", "no", "path", "pedestrian", "planned", "platform",
    "proposed", "raceway", "razed", "rest_area", "service", "services", "steps", "track",
})
_NOT_DRIVABLE_SERVICES = frozenset({
    "alley", "driveway", "emergency_access", "parking", "parking_aisle", "private",
})
_EXTRA_WAY_TAGS = ("motor_vehicle", "motorcar")

# How many prepared graphs load_graph keeps in memory (least recently used dropped).
GRAPH_CACHE_SIZE = 4
_loaded: OrderedDict[Hashable, nx.MultiDiGraph] = OrderedDict()
_loaded_lock = Lock()


def load_graph(
    source: str | Path,
    *,
    cache_dir: Path | None = None,
    timeout_s: float = 10,
) -> nx.MultiDiGraph:
    """Load a drive network and prepare it for routing (see :func:`prepare_graph`).

    ``source`` is a ``.graphml`` file, an OSM XML file (``.osm``, ``.osm.bz2``,
    ``.xml``) or, when it is not a path, a place name geocoded and downloaded with
    osmnx (needs the internet; cached as ``cache_dir/<slug>.graphml`` when
    ``cache_dir`` is given). Raises :class:`GraphLoadError` naming the source and cause.

    The prepared graph is kept in memory (see the module docstring): a second call
    with an unchanged file, or the same place and ``cache_dir``, returns the same
    frozen graph object, which is shared and must not be modified.
    """
    is_file = _looks_like_path(source)
    if is_file:
        key: Hashable = ("file", *_file_identity(Path(source)))
    else:
        folder = None if cache_dir is None else str(Path(cache_dir).resolve())
        key = ("place", str(source), folder)
    with _loaded_lock:
        G = _loaded.get(key)
        if G is not None:
            _loaded.move_to_end(key)
            return G
    if is_file:
        G = _load_file(Path(source))
    else:
        G = _load_place(str(source), cache_dir=cache_dir, timeout_s=timeout_s)
    G = nx.freeze(prepare_graph(G))
    logger.info("road graph loaded from %s (process %d)", source, os.getpid())
    with _loaded_lock:
        _loaded[key] = G
        _loaded.move_to_end(key)
        while len(_loaded) > GRAPH_CACHE_SIZE:
            _loaded.popitem(last=False)
    return G


def clear_graph_cache() -> None:
    """Forget every graph :func:`load_graph` keeps in memory (the next call loads again)."""
    with _loaded_lock:
        _loaded.clear()


def _file_identity(path: Path) -> tuple[str, int, int]:
    """(resolved path, modification time ns, size) of a graph file; missing: a unique key."""
    try:
        stat = path.stat()
    except OSError:
        return str(path.resolve()), -1, -1  # not cached: _load_file reports it
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def prepare_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return the largest strongly connected part of ``G`` with speeds and travel times.

    Edges keep an explicit ``maxspeed`` (a number, or a Polish implicit value such as
    ``PL:urban``: :data:`POLISH_IMPLICIT_MAXSPEEDS_KPH`); the others get
    :data:`POLISH_SPEEDS_KPH` by highway class. Every edge then has ``speed_kph`` and
    ``travel_time`` (s). ``G`` itself is not modified.
    """
    _require_edges(G, "the road graph has no edges")
    G = G.copy()
    _normalise_speed_tags(G)
    ox.add_edge_speeds(G, hwy_speeds=POLISH_SPEEDS_KPH, fallback=_FALLBACK_SPEED_KPH)
    ox.add_edge_travel_times(G)
    core = ox.truncate.largest_component(G, strongly=True)
    _require_edges(core, "the largest strongly connected part of the road graph has no edges")
    logger.info(
        "road graph prepared: %d of %d nodes, %d edges kept",
        len(core),
        len(G),
        core.number_of_edges(),
    )
    return core


def _normalise_speed_tags(G: nx.MultiDiGraph) -> None:
    """Give untagged edges highway "road"; replace ``PL:...`` maxspeeds by numbers."""
    for _, _, data in G.edges(data=True):
        if not data.get("highway"):
            data["highway"] = "road"
        maxspeed = data.get("maxspeed")
        if isinstance(maxspeed, list):
            data["maxspeed"] = [_numeric_maxspeed(value) for value in maxspeed]
        elif isinstance(maxspeed, str):
            data["maxspeed"] = _numeric_maxspeed(maxspeed)


def _numeric_maxspeed(value: str) -> str:
    speed = POLISH_IMPLICIT_MAXSPEEDS_KPH.get(value)
    return value if speed is None else f"{speed:g}"


def _require_edges(G: nx.MultiDiGraph, message: str) -> None:
    if G.number_of_edges() == 0:
        raise GraphLoadError(f"{message} ({len(G)} nodes)")


def names_a_file(source: str | Path) -> bool:
    """Whether :func:`load_graph` reads ``source`` as a file (else: a place name)."""
    return _looks_like_path(source)


def _looks_like_path(source: str | Path) -> bool:
    if isinstance(source, Path):
        return True
    return "/" in source or os.sep in source or source.lower().endswith(_FILE_SUFFIXES)


def _load_file(path: Path) -> nx.MultiDiGraph:
    name = path.name.lower()
    if not path.is_file():
        raise GraphLoadError(f"road graph file not found: {path}")
    reader: Callable[[Path], nx.MultiDiGraph]
    if name.endswith(_GRAPHML_SUFFIXES):
        reader, kind = ox.load_graphml, "GraphML"
    elif name.endswith(_OSM_XML_SUFFIXES):
        reader, kind = _drive_graph_from_xml, "OSM XML"
    else:
        supported = ", ".join(_FILE_SUFFIXES)
        raise GraphLoadError(f"unsupported road graph file {path}: expected one of {supported}")
    try:
        G = reader(path)
    except Exception as exc:  # osmnx/lxml/networkx raise many types for a bad file
        raise GraphLoadError(f"cannot read {kind} road graph {path}: {exc!r}") from exc
    logger.info("loaded %s %s: %d nodes, %d edges", kind, path, len(G), G.number_of_edges())
    return G


def _drive_graph_from_xml(path: Path) -> nx.MultiDiGraph:
    tags = list(dict.fromkeys([*ox.settings.useful_tags_way, *_EXTRA_WAY_TAGS]))
    with osmnx_settings(useful_tags_way=tags):
        G = ox.graph_from_xml(path, simplify=False, retain_all=True)
    not_drivable = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if not _drivable(d)]
    G.remove_edges_from(not_drivable)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    _require_edges(G, f"OSM XML file {path} has no drivable roads")
    return ox.simplify_graph(G)


def _drivable(edge: dict[str, Any]) -> bool:
    highway = edge.get("highway")
    return (
        isinstance(highway, str)
        and highway not in _NOT_DRIVABLE_HIGHWAYS
        and edge.get("area") != "yes"
        and edge.get("access") != "private"
        and edge.get("motor_vehicle") != "no"
        and edge.get("motorcar") != "no"
        and edge.get("service") not in _NOT_DRIVABLE_SERVICES
    )


def _load_place(place: str, *, cache_dir: Path | None, timeout_s: float) -> nx.MultiDiGraph:
    cached = cache_dir / f"{_slug(place)}.graphml" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        logger.info("loading cached road graph for %r from %s", place, cached)
        return _load_file(cached)
    G = _download_place(place, cache_dir=cache_dir, timeout_s=timeout_s)
    if cached is not None:
        _save_atomically(G, cached)
    return G


def _download_place(place: str, *, cache_dir: Path | None, timeout_s: float) -> nx.MultiDiGraph:
    http_cache: dict[str, Any] = {"use_cache": False}
    if cache_dir is not None:
        http_cache = {"use_cache": True, "cache_folder": str(cache_dir / "http")}
    try:
        with osmnx_settings(requests_timeout=timeout_s, **http_cache):
            return ox.graph_from_place(place, network_type="drive")
    except Exception as exc:  # geocoder, HTTP and Overpass errors of many types
        raise GraphLoadError(
            f"cannot download the road graph for place {place!r} "
            f"(internet needed, timeout {timeout_s} s): {exc!r}"
        ) from exc


def _save_atomically(G: nx.MultiDiGraph, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    ox.save_graphml(G, filepath=partial)
    partial.replace(path)
    logger.info("cached road graph at %s", path)


def _slug(place: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", place.replace("ł", "l").replace("Ł", "L"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "place"


@contextmanager
def osmnx_settings(**overrides: Any) -> Iterator[None]:
    """Set osmnx global settings for the duration of a block, then restore them."""
    saved = {name: getattr(ox.settings, name) for name in overrides}
    try:
        for name, value in overrides.items():
            setattr(ox.settings, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)
