"""Taking one client's personal data out of stored JSON documents (RODO art. 17).

A client's personal data is their name, address, phone, health note, the notes of
their tasks and their home's coordinates. In a scenario snapshot (a planning job's
request) the client's entry loses name, phone and note, their home location its name
(the address) and coordinates, their tasks and trips their notes; in a plan document
their stops lose `place` and coordinates. Then any string anywhere that still holds one
of those values has it replaced by `ERASED`, and any place at the home's coordinates
loses them. Ids, times, durations, kinds and services stay: the statistics (reports,
KPIs, counts) and the client's pseudonym (made from the id) are unchanged.

A scenario whose home has no coordinates no longer reads back: plans that served an
erased client keep their documents and figures, but their route sheets cannot be drawn
again (409). Nothing here knows the database.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ERASED = "[usunięto]"
MIN_SHOWN = 4  # shorter values ("", "tak") are not searched for inside other texts


@dataclass
class Personal:
    """What is known of one client: the values to erase wherever they are."""

    client_id: str
    texts: set[str] = field(default_factory=set)
    homes: set[str] = field(default_factory=set)  # location ids of their home
    points: set[tuple[float, float]] = field(default_factory=set)  # (lat, lon) of the home

    def add_text(self, *values: object) -> None:
        self.texts |= {v for v in values if isinstance(v, str) and len(v) >= MIN_SHOWN
                       and v != ERASED}

    def add_point(self, lat: object, lon: object) -> None:
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            self.points.add((float(lat), float(lon)))

    def learn_from_scenario(self, scenario: object) -> None:
        """The client's values as a scenario snapshot recorded them (maybe older)."""
        if not isinstance(scenario, dict):
            return
        for client in _items(scenario.get("clients")):
            if client.get("id") == self.client_id:
                self.add_text(client.get("name"), client.get("phone"),
                              client.get("health_note"))
                if isinstance(client.get("location"), str):
                    self.homes.add(client["location"])
        for location in _items(scenario.get("locations")):
            if location.get("id") in self.homes:
                self.add_text(location.get("name"))
                self.add_point(location.get("lat"), location.get("lon"))
        for task in [*_items(scenario.get("tasks")), *_items(scenario.get("trips"))]:
            if task.get("client") == self.client_id:
                self.add_text(task.get("note"))


def _items(value: object) -> Iterable[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def mentions(document: object, client_id: str) -> bool:
    """Whether `document` names the client at all (a quick test before erasing)."""
    if isinstance(document, dict):
        return any(mentions(v, client_id) for v in document.values())
    if isinstance(document, list):
        return any(mentions(v, client_id) for v in document)
    return document == client_id


def erase(document: Any, person: Personal, *, point: tuple[float, float] | None = None
          ) -> Any:
    """A copy of `document` without `person`'s data. Coordinates of their home become
    null, or `point` where the document's schema needs numbers (a stored trip's place)."""
    out = copy.deepcopy(document)
    if isinstance(out, dict):
        _erase_scenario(out, person)
        for key in ("scenario", "document", "plan"):  # a job's request holds these
            _erase_scenario(out.get(key), person)
    return _walk(out, person, point)


def _erase_scenario(scenario: object, person: Personal) -> None:
    if not isinstance(scenario, dict):
        return
    for client in _items(scenario.get("clients")):
        if client.get("id") == person.client_id:
            client.update({k: v for k, v in (("name", ERASED), ("phone", ""),
                                             ("health_note", "")) if k in client})
    for task in [*_items(scenario.get("tasks")), *_items(scenario.get("trips"))]:
        if task.get("client") == person.client_id and task.get("note"):
            task["note"] = ""


def _walk(value: Any, person: Personal, point: tuple[float, float] | None) -> Any:
    if isinstance(value, dict):
        out = {k: _walk(v, person, point) for k, v in value.items()}
        if _at_home(out, person):
            out["lat"], out["lon"] = point if point is not None else (None, None)
            for key in ("name", "place"):
                if key in out:
                    out[key] = ERASED
        if out.get("client") == person.client_id and isinstance(out.get("note"), str) \
                and out["note"]:
            out["note"] = ""
        return out
    if isinstance(value, list):
        return [_walk(v, person, point) for v in value]
    if isinstance(value, str):
        for text in sorted(person.texts, key=len, reverse=True):
            if text in value:
                value = ERASED if value == text else value.replace(text, ERASED)
        return value
    return value


def _at_home(place: dict[str, Any], person: Personal) -> bool:
    if "lat" not in place or "lon" not in place:
        return False
    if place.get("id") in person.homes or place.get("location") in person.homes:
        return True
    lat, lon = place["lat"], place["lon"]
    return (isinstance(lat, int | float) and isinstance(lon, int | float)
            and (float(lat), float(lon)) in person.points)
