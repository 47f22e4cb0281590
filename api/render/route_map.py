"""A small map of one day's route, drawn from the road network's streets (Pillow).

No map tiles: the streets around the route are grey lines (`Streets`: the street lines
of the plan's town, [lon, lat] points, as a plan's stored reading keeps them, made by
`api.render.streets.street_lines` from the road graph), the route follows its legs along
the streets, stops are numbered circles, the base a square. The map shows the town:
stops more than `FAR_M` from the base (a clinic in another city) are named in a line
under it instead, and the route runs off the edge towards them. The picture is a PNG
(bytes) for the route sheet.

Drawn with Pillow at twice the size and scaled down (smooth lines), saved as a
paletted PNG: tens of milliseconds, where a plotting library took most of a sheet's
second.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Sequence
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from api.render.route_sheet import RouteSheet, Streets
from api.render.words import gettext as _
from geo.network import EARTH_RADIUS_M

MARGIN = 0.08  # of the route's extent, on each side
FAR_M = 8_000  # stops farther than this from the base are named, not drawn
ROUTE_COLOUR = (0xC0, 0x39, 0x2B)
STREET_COLOUR = (0xB8, 0xB8, 0xB8)
BASE_COLOUR = (0x2C, 0x3E, 0x50)
SCALE = 2  # drawn this many times larger, then scaled down (averaged)
COLOURS = 32  # of the PNG's palette: a few colours and their blends

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def route_map_png(sheet: RouteSheet, streets: Streets | None, *,
                  width_cm: float = 17.0, height_cm: float = 9.0, dpi: int = 150) -> bytes:
    base_lat, base_lon = sheet.bases[0]

    def near(p: tuple[float, float]) -> bool:
        return _metres(p[0], p[1], base_lat, base_lon) <= FAR_M

    far = [r for r in sheet.stops if r.lat is not None and r.lon is not None
           and not near((r.lat, r.lon))]
    width, height = round(width_cm / 2.54 * dpi) * SCALE, round(height_cm / 2.54 * dpi) * SCALE
    pt = dpi / 72 * SCALE  # pixels of a typographic point
    small, bold = _font(7 * pt), _font(6.5 * pt, bold=True)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    top = round(12 * pt)  # the title's line
    lines = textwrap.wrap(_("Off the map: {stops}").format(stops="; ".join(
        f"{r.number}. {r.address}" for r in far)),
                          95) if far else []
    bottom = height - round((len(lines) * 9 + 3) * pt)
    box = (round(3 * pt), top, width - round(3 * pt), bottom)  # the map's frame
    project = _projection([p for leg in sheet.path for p in leg if near(p)]
                          + list(sheet.bases), box)
    if streets:
        for line in streets:
            points = [project(lat, lon) for lon, lat in line]
            if any(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in points):
                draw.line(points, fill=STREET_COLOUR, width=max(1, round(0.4 * pt)))
    for leg in sheet.path:
        if len(leg) > 1:
            draw.line([project(lat, lon) for lat, lon in leg], fill=ROUTE_COLOUR,
                      width=round(1.6 * pt), joint="curve")
    # white outside the frame: the route may run off it towards a far stop
    for outside in ((0, 0, width, box[1]), (0, box[3], width, height),
                    (0, 0, box[0], height), (box[2], 0, width, height)):
        draw.rectangle(outside, fill="white")
    draw.rectangle(box, outline="#888888", width=max(1, round(0.5 * pt)))
    x, y = project(base_lat, base_lon)
    half = 4.5 * pt
    draw.rectangle((x - half, y - half, x + half, y + half), fill=BASE_COLOUR)
    numbers: dict[tuple[float, float], list[str]] = {}  # one label per place: "1, 5"
    for row in sheet.stops:
        if row.lat is not None and row.lon is not None and near((row.lat, row.lon)):
            numbers.setdefault((row.lat, row.lon), []).append(str(row.number))
    for (lat, lon), label in numbers.items():
        _label(draw, project(lat, lon), ", ".join(label), bold, pt)
    title = _("The day's route (square: base; numbers: order of the stops)")
    draw.text((box[0], top - 2 * pt), title, fill="black", font=small, anchor="ld")
    for k, text in enumerate(lines):
        draw.text((box[0], bottom + (k + 1) * 9 * pt), text, fill="black", font=small,
                  anchor="ld")
    out = io.BytesIO()
    image.reduce(SCALE).quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE).save(
        out, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return out.getvalue()


def _projection(points: Sequence[tuple[float, float]], box: tuple[int, int, int, int]
                ) -> Callable[[float, float], tuple[float, float]]:
    """(lat, lon) -> pixel in `box`, around `points` with a margin, north up, metres to
    the same scale both ways (longitudes shrink by the latitude's cosine)."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad_lat = max((max(lats) - min(lats)) * MARGIN, 0.002)
    pad_lon = max((max(lons) - min(lons)) * MARGIN, 0.003)
    south, north = min(lats) - pad_lat, max(lats) + pad_lat
    west, east = min(lons) - pad_lon, max(lons) + pad_lon
    squeeze = math.cos(math.radians((south + north) / 2))
    left, top, right, bottom = box
    scale = min((right - left) / ((east - west) * squeeze), (bottom - top) / (north - south))
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (centre_x + (lon - centre_lon) * squeeze * scale,
                centre_y - (lat - centre_lat) * scale)

    return project


def _label(draw: ImageDraw.ImageDraw, at: tuple[float, float], text: str, font: Font,
           pt: float) -> None:
    """A stop's number(s): a white circle (a rounded box for several) edged in red."""
    x, y = at
    left, top, right, bottom = draw.textbbox((x, y), text, font=font, anchor="mm")
    pad = 2.2 * pt
    half_w, half_h = max((right - left) / 2, (bottom - top) / 2) + pad, (bottom - top) / 2 + pad
    edge = round(1.2 * pt)
    half_w = max(half_w, half_h)
    if half_w == half_h:
        draw.ellipse((x - half_w, y - half_h, x + half_w, y + half_h), fill="white",
                     outline=ROUTE_COLOUR, width=edge)
    else:  # a pill: two half circles and the band between (fast to draw)
        ends = half_w - half_h
        for end in (x - ends, x + ends):
            draw.ellipse((end - half_h, y - half_h, end + half_h, y + half_h), fill="white",
                         outline=ROUTE_COLOUR, width=edge)
        draw.rectangle((x - ends, y - half_h, x + ends, y + half_h), fill="white")
        for side in (y - half_h, y + half_h - edge + 1):
            draw.rectangle((x - ends, side, x + ends, side + edge - 1), fill=ROUTE_COLOUR)
    draw.text((x, y), text, fill="black", font=font, anchor="mm")


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (`geo.network.haversine_m` for one pair, without
    numpy's overhead: a map asks for hundreds)."""
    a = (math.sin(math.radians(lat2 - lat1) / 2) ** 2 + math.cos(math.radians(lat1))
         * math.cos(math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@lru_cache(maxsize=8)
def _font(size: float, *, bold: bool = False) -> Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, round(size))
    except OSError:  # no DejaVu installed: Pillow's own
        return ImageFont.load_default(size=round(size))
