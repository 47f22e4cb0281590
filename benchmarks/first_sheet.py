"""The first route sheet of a published plan: seconds to serve it right after publishing
and right after the server restarts (target: 0.3 s; drawn from the plan's stored
reading, api/services/published_plan.py), beside the way it was (the reading made from
the road graph on the first read: what every read of a fresh process paid before).

Each run starts `trasa serve --demo` on loopback (SQLite, a temporary folder), plans
and publishes the demo day, and times a worker's sheet (HTML, the worker with the most
stops): the first read after publishing, a second read, the first read after a
restart, and the first read after another restart with the plan's stored reading
removed (as a plan stored before migration 0007). The server's log tells whether the
request loaded the road graph or built matrices. Prints one row per run and a last line
`first_sheet: runs=N after_publish_median_s=… after_publish_worst_s=…
after_restart_median_s=… after_restart_worst_s=… from_graph_median_s=…`.

    python -m benchmarks.first_sheet [--runs 5] [--max-solutions 50]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text

from api.store.database import engine_for, session_scope
from api.store.users import Role, add_user
from benchmarks.common import machine_line
from benchmarks.demo_server import free_port, wait_job

DAY = "2026-11-24"
WORKER, WORKER_PASSWORD = "sheet-worker", "first-sheet-password"
GRAPH_WORK = ("road graph loaded from", "travel matrices built for")


@dataclass
class DemoServer:
    folder: Path
    env: dict[str, str]
    base: str = ""
    process: subprocess.Popen[str] | None = None

    def start(self) -> list[str]:
        """Start it; the first lines it printed (the demo's log-in, the first time)."""
        self.base = f"http://127.0.0.1:{free_port()}"
        log = open(self.folder / "server.log", "a")  # noqa: SIM115 (the process keeps it)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--demo", "--port",
             self.base.rsplit(":", 1)[1]], env=self.env, stdout=subprocess.PIPE,
            stderr=log, text=True)
        lines = [self.process.stdout.readline() for _ in range(2)]  # type: ignore[union-attr]
        if "log in as" in lines[-1]:
            lines += [self.process.stdout.readline() for _ in range(2)]  # type: ignore
        for _ in range(600):
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return lines
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit("the demo server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def log_size(self) -> int:
        return (self.folder / "server.log").stat().st_size

    def graph_work_since(self, size: int) -> int:
        """Graph loads and matrix builds the server process logged after `size` bytes."""
        assert self.process is not None
        with (self.folder / "server.log").open("rb") as f:
            f.seek(size)
            lines = f.read().decode("utf-8", "replace").splitlines()
        mine = f"(process {self.process.pid})"
        return sum(1 for x in lines if mine in x and any(w in x for w in GRAPH_WORK))

    def token(self, username: str, password: str) -> str:
        answer = httpx.post(f"{self.base}/auth/token",
                            data={"username": username, "password": password}, timeout=30)
        answer.raise_for_status()
        return str(answer.json()["access_token"])


def _timed_sheet(server: DemoServer, url: str) -> tuple[float, int]:
    """Seconds to the worker's sheet (a fresh log-in first) and the graph work done."""
    headers = {"Authorization": f"Bearer {server.token(WORKER, WORKER_PASSWORD)}"}
    with httpx.Client(base_url=server.base, timeout=120, headers=headers) as api:
        size = server.log_size()
        start = time.perf_counter()
        answer = api.get(url, params={"format": "html"})
        seconds = time.perf_counter() - start
    if answer.status_code != 200 or "Karta trasy" not in answer.text:
        raise SystemExit(f"{url}: {answer.status_code} {answer.text[:300]}")
    return seconds, server.graph_work_since(size)


def one_run(max_solutions: int) -> dict[str, tuple[float, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRASA_") and k != "DATABASE_URL"}
        env.update(TRASA_DATA_DIR=tmp, TRASA_SECRET_KEY=secrets.token_hex(32),
                   TRASA_LOG_LEVEL="INFO")
        server = DemoServer(Path(tmp), env)
        try:
            return _run(server, Path(tmp), max_solutions)
        finally:
            server.stop()


def _run(server: DemoServer, tmp: Path, max_solutions: int) -> dict[str, tuple[float, int]]:
    login = re.search(r"username=([^&]+)&password=([^'\s]+)'", "".join(server.start()))
    if login is None:
        raise SystemExit("the demo server printed no log-in")
    api = httpx.Client(base_url=server.base, timeout=120, headers={
        "Authorization": f"Bearer {server.token(login[1], login[2])}"})
    job = wait_job(api, api.post("/plans/jobs", json={
        "records": {"first_day": DAY}, "max_solutions": max_solutions}).headers["Location"])
    plan_id = api.post("/plans", json={"job_id": job["id"]}).json()["id"]
    if api.post(f"/plans/{plan_id}/publish").status_code != 200:
        raise SystemExit("the demo plan was not published")
    worker_id = max(job["plan"]["routes"], key=lambda r: len(r["stops"]))["worker"]
    database = f"sqlite:///{tmp / 'trasa.db'}"
    with session_scope(database) as session:
        add_user(session, WORKER, WORKER_PASSWORD, Role.WORKER, worker_id)
    url = f"/days/{DAY}/workers/{worker_id}/sheet"
    times = {"after_publish": _timed_sheet(server, url), "again": _timed_sheet(server, url)}
    server.stop()
    server.start()
    times["after_restart"] = _timed_sheet(server, url)
    server.stop()
    with engine_for(database).begin() as db:  # the plan as stored before migration 0007
        db.execute(text("UPDATE plans SET verdict = NULL, reading = NULL WHERE id = :id"),
                   {"id": plan_id})
    server.start()
    times["from_graph"] = _timed_sheet(server, url)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-solutions", type=int, default=50)
    args = parser.parse_args(argv)
    print(machine_line(runs=args.runs, max_solutions=args.max_solutions, database="sqlite"))
    columns = ("after_publish", "again", "after_restart", "from_graph")
    print(f"{'run':>3} " + " ".join(f"{c + ' s':>15}" for c in columns)
          + "  (graph loads + matrix builds in the request)")
    runs = []
    for k in range(1, args.runs + 1):
        times = one_run(args.max_solutions)
        runs.append(times)
        print(f"{k:>3} " + " ".join(f"{times[c][0]:>10.3f} ({times[c][1]})" for c in columns),
              flush=True)
    figures = {c: [r[c][0] for r in runs] for c in columns}
    print(f"first_sheet: runs={args.runs} "
          f"after_publish_median_s={statistics.median(figures['after_publish']):.3f} "
          f"after_publish_worst_s={max(figures['after_publish']):.3f} "
          f"after_restart_median_s={statistics.median(figures['after_restart']):.3f} "
          f"after_restart_worst_s={max(figures['after_restart']):.3f} "
          f"from_graph_median_s={statistics.median(figures['from_graph']):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
