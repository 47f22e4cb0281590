"""Debian's Chromium driven by Playwright (never a browser download), and the page's
log-in, for the web tests and `python -m tests.web.pictures`."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`.ci/services` installs it)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


class NoChromium(RuntimeError):
    """Debian's chromium is not installed."""


def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.is_file():
        raise NoChromium(f"{CHROMIUM} is missing: install Debian's chromium "
                         "(apt-get install chromium; .ci/services does)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Log in on the page's form; returns once the role's own page has loaded."""
    page.goto(f"{base_url}/app/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url(lambda url: "/app/" in url and not url.endswith("/app/"))
