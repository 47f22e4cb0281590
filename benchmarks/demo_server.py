"""A real Trasa server on the demo day for the benchmarks: `trasa serve --demo` on
loopback (SQLite in a temporary folder, TRASA_* settings of the shell left out), logged
in as the demo's coordinator."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

DAY = "2026-11-24"  # the demo weekday


@dataclass(frozen=True)
class DemoServer:
    base: str
    folder: Path  # the server's TRASA_DATA_DIR (trasa.db in it)
    api: httpx.Client  # logged in as the demo's coordinator

    @property
    def database(self) -> str:
        return f"sqlite:///{self.folder / 'trasa.db'}"


def free_port() -> int:
    """A port on loopback no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def demo_server(**settings: str) -> Iterator[DemoServer]:
    """The server, up and logged in; `settings` are extra environment variables."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRASA_") and k != "DATABASE_URL"}
        env.update(TRASA_DATA_DIR=tmp, **settings)
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--demo", "--port", str(port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            lines = [server.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
            login = re.search(r"username=([^&]+)&password=([^'\s]+)'", "".join(lines))
            if login is None:
                raise SystemExit(f"the demo server printed no log-in: {lines}")
            token = None
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    token = httpx.post(f"{base}/auth/token", data={
                        "username": login[1], "password": login[2]}).json()["access_token"]
                    break
                time.sleep(0.2)
            if token is None:
                raise SystemExit(f"{base}: no answer to log in")
            with httpx.Client(base_url=base, timeout=60,
                              headers={"Authorization": f"Bearer {token}"}) as api:
                yield DemoServer(base, Path(tmp), api)
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_job(api: httpx.Client, location: str, *, timeout_s: float = 600,
             poll_s: float = 0.5) -> dict[str, Any]:
    """The job at `location` once it has ended (done, failed or cancelled)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = api.get(location).json()
        if job["status"] in {"done", "failed", "cancelled"}:
            return dict(job)
        time.sleep(poll_s)
    raise SystemExit(f"{location}: not finished after {timeout_s} s")
