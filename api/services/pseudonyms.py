"""What a planner sees: any outgoing document with clients pseudonymised, homes as areas.

A pseudonym is a keyed hash of the client id (HMAC-SHA256 with the server's secret), so
the same client has the same pseudonym in every answer, and nobody without the key can
go back from it to the id.

`planner_view(document, privacy)` is the one walk every route a planner may call puts
its answer through (records, plan documents, job results, GeoJSON, reports): whatever
the document's shape, it
- turns every `client` value, and every client id inside a text, into its pseudonym;
- empties `address`, `phone`, `health_note`, `client_name` and `note` (a task's note is
  for the worker at the door: "the key is with the neighbour"), and a worker's
  `attributes` and a client's `refuses_workers`, `requires` and `prefers_workers` (who
  may come to whom is the coordinator's to know);
- replaces any place at a client's home (a `home:` location, or coordinates within
  ~30 m of a home: a return trip's drop-off, an outbound's pick-up, given as places of
  their own) by its area: the coordinates rounded to 0.01° (~1.1 km north-south, ~0.7
  km east-west), the name `HOME_AREA`, no id; GeoJSON points and [lon, lat] pairs too;
- takes a stop of a plan (it names a client) off the map altogether, as before;
- cuts every client's name, address, phone and health note out of any text (reasons,
  warnings, errors), should one have slipped into one.
Clinics, hospitals, day centres and the workers' bases stay as they are."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

HOME_PREFIX = "home:"
HOME_AREA = "home area"
AREA_DECIMALS = 2
NEAR_HOME_DEG = 0.0003  # ~30 m: a place this close to a home is the home
HIDDEN = "…"
PERSONAL_KEYS = frozenset({"address", "phone", "health_note", "client_name", "note",
                           "attributes", "refuses_workers", "requires", "prefers_workers",
                           "familiar_workers"})
SECRET_MIN_LEN = 4  # shorter values (initials) would cut ordinary words
PSEUDONYM = re.compile(r"client-[0-9a-f]{12}")


def pseudonym(client_id: str, key: str) -> str:
    digest = hmac.new(key.encode(), client_id.encode(), hashlib.sha256).hexdigest()
    return f"client-{digest[:12]}"


@dataclass(frozen=True)
class Privacy:
    """What to hide: the key of the pseudonyms, the clients' ids, homes and values."""

    key: str
    ids: frozenset[str] = frozenset()
    homes: frozenset[tuple[float, float]] = frozenset()
    secrets: frozenset[str] = frozenset()
    _cells: dict[tuple[int, int], list[tuple[float, float]]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, key: str, clients: Iterable[Mapping[str, Any]]) -> Privacy:
        """From client records or a scenario's clients (`id`, `name`, `address`, `phone`,
        `health_note`, `lat`, `lon`; missing ones are skipped)."""
        ids, homes, secrets = set(), set(), set()
        for c in clients:
            if c.get("id"):
                ids.add(str(c["id"]))
            if _number(c.get("lat")) and _number(c.get("lon")):
                homes.add((float(c["lat"]), float(c["lon"])))
            secrets |= {text for k in ("name", "address", "phone", "health_note")
                        if len(text := str(c.get(k) or "").strip()) >= SECRET_MIN_LEN}
        privacy = cls(key, frozenset(ids), frozenset(homes), frozenset(secrets))
        for lat, lon in homes:
            privacy._cells.setdefault(_cell(lat, lon), []).append((lat, lon))
        return privacy

    def pseudonym(self, client_id: str) -> str:
        if PSEUDONYM.fullmatch(client_id) and client_id not in self.ids:
            return client_id  # already one
        return pseudonym(client_id, self.key)

    def is_home(self, lat: Any, lon: Any) -> bool:
        if not (_number(lat) and _number(lon)):
            return False
        i, j = _cell(lat, lon)
        return any(abs(lat - a) <= NEAR_HOME_DEG and abs(lon - b) <= NEAR_HOME_DEG
                   for di in (-1, 0, 1) for dj in (-1, 0, 1)
                   for a, b in self._cells.get((i + di, j + dj), ()))


def planner_view(document: Any, privacy: Privacy, *, clients: Iterable[str] = ()) -> Any:
    """A copy of `document` as a planner may see it (see the module's docstring);
    `clients`: ids beyond `privacy.ids` to pseudonymise in texts (a scenario's own)."""
    ids = privacy.ids | set(clients) | client_values(document)
    rewrite = _text_rewriter(privacy, ids)
    return _walk(document, privacy, rewrite)


def _walk(value: Any, privacy: Privacy, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return _dict(value, privacy, rewrite)
    if isinstance(value, list):
        if len(value) == 2 and privacy.is_home(value[1], value[0]):  # GeoJSON [lon, lat]
            return [_area(value[0]), _area(value[1])]
        return [_walk(v, privacy, rewrite) for v in value]
    if isinstance(value, str):
        return rewrite(value)
    return value


def _dict(value: dict[str, Any], privacy: Privacy, rewrite: Callable[[str], str]
          ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k == "client" and isinstance(v, str) and v:
            out[k] = privacy.pseudonym(v)
        elif k in PERSONAL_KEYS:
            out[k] = "" if isinstance(v, str) else [] if isinstance(v, list) else None
        else:
            out[k] = _walk(v, privacy, rewrite)
    if out.get("client") and "task" in out and ("location" in out or "lat" in out):
        _unplaced(out)  # a stop of a plan: no place tied to its client
    elif _at_home(value, privacy):
        _areaed(out)
    return out


def _at_home(place: dict[str, Any], privacy: Privacy) -> bool:
    if any(str(place.get(k) or "").startswith(HOME_PREFIX) for k in ("id", "location")):
        return True
    return privacy.is_home(place.get("lat"), place.get("lon"))


def _areaed(place: dict[str, Any]) -> None:
    """A place at a client's home, as its area: coordinates ~1 km, no id or name."""
    if _number(place.get("lat")) and _number(place.get("lon")):
        place["lat"], place["lon"] = _area(place["lat"]), _area(place["lon"])
    for k in ("id", "location"):
        if k in place:
            place[k] = None
    for k in ("name", "place"):
        if k in place:
            place[k] = HOME_AREA


def _unplaced(stop: dict[str, Any]) -> None:
    """No place of a stop that may be a client's home: no id, name or coordinates."""
    stop["location"], stop["lat"], stop["lon"] = None, None, None
    if "place" in stop:
        stop["place"] = None


def _area(x: float) -> float:
    return round(float(x), AREA_DECIMALS)


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and x == x


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // NEAR_HOME_DEG), int(lon // NEAR_HOME_DEG)


def client_values(value: Any) -> set[str]:
    """The `client` values anywhere in a document."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("client"), str) and item["client"]:
                found.add(item["client"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _text_rewriter(privacy: Privacy, ids: Iterable[str]) -> Callable[[str], str]:
    """Client ids in a text as pseudonyms, personal values cut out."""
    wanted = {c for c in ids if not (PSEUDONYM.fullmatch(c) and c not in privacy.ids)}
    id_pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(c) for c in sorted(wanted, key=len, reverse=True)) + r")(?![\w-])"
    ) if wanted else None
    cut = _Cutter(privacy.secrets)

    def rewrite(text: str) -> str:
        text = cut(text)
        if id_pattern is not None:
            text = id_pattern.sub(lambda m: privacy.pseudonym(m[1]), text)
        return text

    return rewrite


class _Cutter:
    """Cuts any of many values out of a text in one pass: a value is looked up by its
    first `SECRET_MIN_LEN` characters at each place (one regex alternating thousands of
    names would try each of them everywhere: ~6x slower on a page of trips)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.by_start: dict[str, list[str]] = {}
        for s in sorted(secrets, key=len, reverse=True):  # the longest first
            self.by_start.setdefault(s[:SECRET_MIN_LEN], []).append(s)

    def __call__(self, text: str) -> str:
        if not self.by_start or len(text) < SECRET_MIN_LEN:
            return text
        parts, start, i = [], 0, 0
        while i <= len(text) - SECRET_MIN_LEN:
            found = next((s for s in self.by_start.get(text[i:i + SECRET_MIN_LEN], ())
                          if text.startswith(s, i)), None)
            if found is None:
                i += 1
                continue
            parts += [text[start:i], HIDDEN]
            i = start = i + len(found)
        return "".join(parts) + text[start:] if parts else text
