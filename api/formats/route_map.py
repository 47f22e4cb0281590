"""A small map of one day's route, drawn from the road network's streets (matplotlib, Agg).

No map tiles: the streets around the route are grey lines (`Streets`: the street lines
of the plan's town, [lon, lat] points, as a plan's stored reading keeps them, made by
`api.web.streets.street_lines` from the road graph), the route
follows its legs along the streets, stops are numbered circles, the base a square.
The map shows the town: stops more than `FAR_M` from the base (a clinic in another
city) are named in a line under it instead, and the route runs off the edge towards
them. The picture is a PNG (bytes) for the route sheet.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (the backend is chosen first)
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from api.formats.route_sheet import RouteSheet, Streets  # noqa: E402
from geo.network import haversine_m  # noqa: E402

MARGIN = 0.08  # of the route's extent, on each side
FAR_M = 8_000  # stops farther than this from the base are named, not drawn
ROUTE_COLOUR = "#c0392b"


def route_map_png(sheet: RouteSheet, streets: Streets | None, *,
                  width_cm: float = 17.0, height_cm: float = 9.0, dpi: int = 150) -> bytes:
    base_lat, base_lon = sheet.bases[0]

    def near(p: tuple[float, float]) -> bool:
        return float(haversine_m(p[0], p[1], base_lat, base_lon)) <= FAR_M

    far = [r for r in sheet.stops if r.lat is not None and r.lon is not None
           and not near((r.lat, r.lon))]
    points = [p for leg in sheet.path for p in leg if near(p)] + list(sheet.bases)
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    pad_lat = max(float(np.ptp(lat)) * MARGIN, 0.002)
    pad_lon = max(float(np.ptp(lon)) * MARGIN, 0.003)
    south, north = lat.min() - pad_lat, lat.max() + pad_lat
    west, east = lon.min() - pad_lon, lon.max() + pad_lon
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
    if streets:
        ax.add_collection(LineCollection(_streets(streets, south, north, west, east),
                                         colors="#b8b8b8", linewidths=0.4, zorder=1))
    for leg in sheet.path:
        ax.plot([p[1] for p in leg], [p[0] for p in leg], color=ROUTE_COLOUR, lw=1.6,
                alpha=0.85, zorder=2, solid_capstyle="round")
    ax.plot(base_lon, base_lat, marker="s", ms=9, color="#2c3e50", zorder=3)
    numbers: dict[tuple[float, float], list[str]] = {}  # one label per place: "1, 5"
    for row in sheet.stops:
        if row.lat is not None and row.lon is not None and near((row.lat, row.lon)):
            numbers.setdefault((row.lat, row.lon), []).append(str(row.number))
    for (lat_, lon_), label in numbers.items():
        ax.annotate(", ".join(label), (lon_, lat_), ha="center", va="center", fontsize=6.5,
                    fontweight="bold", zorder=5,
                    bbox={"boxstyle": "circle,pad=0.25" if len(label) == 1 else
                          "round,pad=0.25", "fc": "white", "ec": ROUTE_COLOUR, "lw": 1.2})
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#888888")
    ax.set_title("Trasa dnia (kwadrat: baza; numery: kolejność przystanków)", fontsize=7,
                 loc="left")
    if far:
        ax.set_xlabel(textwrap.fill("Poza mapą: " + "; ".join(
            f"{r.number}. {r.address}" for r in far), 95), fontsize=7, loc="left")
    fig.tight_layout(pad=0.2)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    plt.close(fig)
    return out.getvalue()


def _streets(streets: Streets, south: float, north: float, west: float, east: float
             ) -> list[Sequence[Sequence[float]]]:
    """The street lines with a point inside the box (the axes clip the rest)."""
    return [line for line in streets
            if any(south <= lat <= north and west <= lon <= east for lon, lat in line)]
