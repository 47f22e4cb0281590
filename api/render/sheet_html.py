"""Pages as printable HTML (Jinja2; A4 print CSS) and PDF (WeasyPrint): route sheets,
the day overview.

The one adapter for both libraries. The PDF needs Debian's pango and the DejaVu fonts
(`libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core`), which print Polish letters."""

from __future__ import annotations

import base64
import logging
from functools import lru_cache

from jinja2 import Environment, PackageLoader, Template, select_autoescape

from api.render import jinja as render_jinja
from api.render.numbers import weekday
from api.render.route_sheet import RouteSheet
from api.render.words import warning_text


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return render_jinja.install(Environment(loader=PackageLoader("api.render", "templates"),
                                            autoescape=select_autoescape(["html", "j2"])))


def template(name: str) -> Template:
    """A page template of `api/render/templates`."""
    return _environment().get_template(name)


def sheet_html(sheet: RouteSheet, *, map_png: bytes | None = None,
               timezone: str = "Europe/Warsaw") -> str:
    return template("route_sheet.html.j2").render(
        sheet=sheet, weekday=weekday(sheet.day), timezone=timezone,
        warning=warning_text(sheet.warning),
        map_png=base64.b64encode(map_png).decode() if map_png else "")


def html_pdf(html: str) -> bytes:
    from weasyprint import HTML  # loads pango: only when a PDF is made

    # WeasyPrint warns on every PDF that it subsets fonts with fontTools: not for users.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
