"""Plans for planners: clients pseudonymised, homes without coordinates.

A pseudonym is a keyed hash of the client id (HMAC-SHA256 with the server's secret), so
the same client has the same pseudonym in every plan, and nobody without the key can
go back from it to the id."""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from collections.abc import Callable
from typing import Any

HOME_PREFIX = "home:"


def pseudonym(client_id: str, key: str) -> str:
    digest = hmac.new(key.encode(), client_id.encode(), hashlib.sha256).hexdigest()
    return f"client-{digest[:12]}"


def pseudonymised(document: dict[str, Any], key: str) -> dict[str, Any]:
    """A copy of a plan document with no client id, and no place tied to one."""
    out = copy.deepcopy(document)
    clients = {s["client"] for r in out["routes"] for s in r["stops"] if s.get("client")}
    for route in out["routes"]:
        for stop in route["stops"]:
            if stop.get("client"):
                stop["client"] = pseudonym(stop["client"], key)
                _unplaced(stop)
            elif str(stop.get("location", "")).startswith(HOME_PREFIX):
                _unplaced(stop)
    for item in out.get("unassigned", []):
        if item.get("client"):
            item["client"] = pseudonym(item["client"], key)
    if not clients:
        return out
    # Anything else naming a client (reasons, warnings) is rewritten as well.
    names = {c: pseudonym(c, key) for c in clients}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(c) for c in sorted(clients, key=len, reverse=True)) + r")(?![\w-])")
    return _replace_ids(out, lambda text: pattern.sub(lambda m: names[m[1]], text))


def _unplaced(stop: dict[str, Any]) -> None:
    """No place of a stop that may be a client's home: no id, name or coordinates."""
    stop["location"], stop["lat"], stop["lon"] = None, None, None
    if "place" in stop:
        stop["place"] = None


def _replace_ids(value: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {k: _replace_ids(v, rewrite) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_ids(v, rewrite) for v in value]
    if isinstance(value, str):
        return rewrite(value)
    return value
