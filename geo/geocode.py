"""Addresses to coordinates through osmnx's Nominatim geocoder, its answers cached.

Works only online; offline (or when Nominatim finds nothing) it raises `GeocodeError`
naming the address, so the caller can ask for coordinates instead."""

from __future__ import annotations

from pathlib import Path

import osmnx as ox

from geo.graph import osmnx_settings

GEOCODE_TIMEOUT_S = 10.0


class GeocodeError(ValueError):
    pass


def geocode(address: str, *, cache_dir: Path | None, timeout_s: float = GEOCODE_TIMEOUT_S
            ) -> tuple[float, float]:
    """(lat, lon) of `address`; osmnx keeps each answer in `cache_dir`/http."""
    cache = ({"use_cache": True, "cache_folder": str(cache_dir / "http")} if cache_dir
             else {"use_cache": False})
    try:
        with osmnx_settings(requests_timeout=timeout_s, **cache):
            lat, lon = ox.geocode(address)
    except Exception as exc:  # HTTP, DNS and "nothing found" errors of many types
        raise GeocodeError(f"address {address!r} could not be geocoded ({type(exc).__name__};"
                           " offline, or not found): give lat and lon") from exc
    return float(lat), float(lon)
