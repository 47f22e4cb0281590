"""What the records page's browser tests share: opening the page as a role, and
screenshots kept in `tmp_path` (and in $TRASA_TEST_PICTURES when set, to look at)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.api.live.conftest import PASSWORD, Server
from tests.web.browser import log_in

CALLER = "Nazwisko, telefon lub adres — wpisuj, gdy mówi"  # the caller search's label


def shot(page: Page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    keep = os.environ.get("TRASA_TEST_PICTURES")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(keep) / f"{name}.png", full_page=True)
    assert path.stat().st_size > 10_000
    return path


def open_records(page: Page, server: Server, username: str) -> None:
    """Log in as `username` and open Kartoteka from the menu, its lists loaded."""
    log_in(page, server.url, username, PASSWORD)
    page.get_by_role("link", name="Kartoteka").click()
    expect(page).to_have_url(re.compile(r"/app/kartoteka"))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
