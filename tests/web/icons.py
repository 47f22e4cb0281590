"""The phone app's icons: `python -m tests.web.icons` draws api/web/static/favicon.svg
with Debian's Chromium at 192 and 512 pixels into icon-192.png and icon-512.png beside it
(the web app manifest names them; phones want PNGs to install an app). Run it again
after changing the favicon."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.browser import launch

STATIC = Path(__file__).resolve().parents[2] / "api" / "web" / "static"
SIZES = (192, 512)


def draw(static: Path = STATIC) -> list[Path]:
    svg = (static / "favicon.svg").read_text(encoding="utf-8")
    written = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content("<style>html,body{margin:0}svg{display:block;width:100vw;"
                             "height:100vh}</style>" + svg)
            out = static / f"icon-{size}.png"
            page.screenshot(path=str(out), omit_background=True)
            page.close()
            written.append(out)
        browser.close()
    return written


if __name__ == "__main__":
    for path in draw():
        sys.stdout.write(f"{path}\n")
