"""A real Trasa server (uvicorn, SQLite, the Chełm road network) per test module with
the Chełm day's records, and Debian's Chromium. A missing /usr/bin/chromium fails the
tests: it never skips them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.api.live.conftest import Server, add_worker_accounts, start_server
from tests.web.browser import DESKTOP, NoChromium, launch
from tests.web.chelm_day import load_day

expect.set_options(timeout=30_000)  # a job's first solve loads the road network


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory, chelm_graph: Path
               ) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("web-server")
    srv = start_server(f"sqlite:///{tmp / 'trasa.db'}", tmp, chelm_graph, workers=False)
    with closing(srv.client("coordinator")) as api:
        load_day(api, days=("2026-11-24", "2026-11-25"))
    add_worker_accounts(srv)  # the day's w-anna and w-piotr are stored now
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except NoChromium as exc:
            pytest.fail(str(exc), pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, web_server: Server) -> Iterator[Page]:
    """A fresh tab (its own sessionStorage) at 1366x768 that fails the test on a script
    error or a request to anywhere but the Trasa server."""
    context = browser.new_context(viewport=DESKTOP, locale="pl-PL",
                                  timezone_id="Europe/Warsaw", accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("request", lambda r: None if r.url.startswith((web_server.url, "blob:", "data:"))
           else outside.append(r.url))
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
    assert not errors, errors
    assert not outside, outside
