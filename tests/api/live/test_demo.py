"""`trasa serve --demo`: one command gives a newcomer a server with the demo day to plan."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.live.conftest import _free_port
from tests.api.live.jobs import FINISHED, wait_for


def test_serve_demo_prints_a_log_in_that_plans_the_demo_day(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TRASA_") and k != "DATABASE_URL"}
    env["TRASA_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen([sys.executable, "-m", "api.cli.main", "serve", "--demo",
                               "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        lines = [server.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
        login = re.search(r"username=([^&]+)&password=([^'\s]+)'", "".join(lines))
        assert login, lines
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                token = httpx.post(f"{base}/auth/token", data={
                    "username": login[1], "password": login[2]})
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert token.status_code == 200, token.text
        api = httpx.Client(base_url=base, timeout=30, headers={
            "Authorization": f"Bearer {token.json()['access_token']}"})
        assert api.get("/tasks").json()["total"] > 20
        answer = api.post("/plans/jobs", json={"records": {"first_day": "2026-11-24"},
                                               "max_solutions": 100})
        assert answer.status_code == 202, answer.text
        job = wait_for(api, answer.headers["Location"], lambda j: j["status"] in FINISHED)
        assert job["status"] == "done", job["error"]
        assert job["plan"]["check"]["passed"]
        assert sum(len(r["stops"]) for r in job["plan"]["routes"]) > 20
    finally:
        server.terminate()
        server.wait(timeout=30)
