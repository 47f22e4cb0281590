"""Reads under load while a solve runs: 50 clients reading route data, p50/p99 latency.

Starts `trasa serve --demo` on loopback (SQLite, a temporary folder), plans and
publishes the demo day, starts a long solve, and runs locust headless (bounded in
time) with workers reading their published day and coordinators the plan. Clients
join at `--spawn-rate` a second and the figures count from when all have joined
(locust's --reset-stats): steady reading, not the herd of first connections. Prints
one row per request kind and a last line
`load: clients=50 p50_ms=X p99_ms=Y errors=N`.

    python -m benchmarks.load [--clients 50] [--seconds 30] [--spawn-rate 10]
                              [--profile FILE]

`--profile FILE` samples the server with py-spy during the steady phase (the bench
extra) and writes where the request threads' time went (`benchmarks.load_profile`).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from api.store.database import session_scope
from api.store.users import Role, add_user
from benchmarks.common import machine_line
from benchmarks.demo_server import free_port, wait_job
from benchmarks.load_profile import raw_of, record, summarise

LOCUSTFILE = Path(__file__).with_name("locust_day.py")
DAY = "2026-11-24"
WORKER_PASSWORD = "load-test-password"


def cpu_seconds(pid: int) -> float:
    """The CPU time process `pid` has used (user and system; Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=10,
                        help="clients joining per second (counted once all have joined)")
    parser.add_argument("--profile", type=Path, default=None, metavar="FILE",
                        help="sample the server with py-spy while the clients read and write "
                             "where a read's time went to FILE (and FILE.raw)")
    args = parser.parse_args(argv)
    print(machine_line(clients=args.clients, seconds=args.seconds,
                       spawn_rate=args.spawn_rate, database="sqlite",
                       job_workers=1))
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRASA_") and k != "DATABASE_URL"}
        env["TRASA_DATA_DIR"] = tmp
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--demo", "--port", str(port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            return _run(args, base, Path(tmp), server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _run(args: argparse.Namespace, base: str, tmp: Path, server: subprocess.Popen[str]) -> int:
    lines = [server.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
    login = re.search(r"username=([^&]+)&password=([^'\s]+)'", "".join(lines))
    if login is None:
        raise SystemExit(f"the demo server printed no log-in: {lines}")
    for _ in range(300):
        try:
            token = httpx.post(f"{base}/auth/token",
                               data={"username": login[1], "password": login[2]}).json()
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    api = httpx.Client(base_url=base, timeout=60,
                       headers={"Authorization": f"Bearer {token['access_token']}"})
    job = wait_job(api, api.post("/plans/jobs", json={
        "records": {"first_day": DAY}, "max_solutions": 200}).headers["Location"])
    plan_id = api.post("/plans", json={"job_id": job["id"]}).json()["id"]
    api.post(f"/plans/{plan_id}/publish")
    worker_id = max(job["plan"]["routes"], key=lambda r: len(r["stops"]))["worker"]
    with session_scope(f"sqlite:///{tmp / 'trasa.db'}") as session:
        add_user(session, "load-worker", WORKER_PASSWORD, Role.WORKER, worker_id)
    worker_token = httpx.post(f"{base}/auth/token", data={
        "username": "load-worker", "password": WORKER_PASSWORD}).json()["access_token"]
    # The solve that runs while the clients read.
    api.post("/plans/jobs", json={"records": {"first_day": DAY},
                                  "time_limit_s": args.seconds + 60, "stall_solutions": None})
    env = {**os.environ, "TRASA_LOAD_DAY": DAY, "TRASA_LOAD_WORKER": worker_id,
           "TRASA_LOAD_PLAN": plan_id, "TRASA_LOAD_WORKER_TOKEN": worker_token,
           "TRASA_LOAD_COORDINATOR_TOKEN": token["access_token"]}
    prefix = tmp / "locust"
    ramp_s = math.ceil(args.clients / args.spawn_rate)
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
               "-u", str(args.clients), "-r", str(args.spawn_rate),
               "-t", f"{args.seconds + ramp_s}s", "--host", base, "--csv", str(prefix),
               "--only-summary", "--reset-stats", "--loglevel", "ERROR"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as running:
        time.sleep(ramp_s)  # the steady phase only, as the figures
        cpu_before = cpu_seconds(server.pid)
        if args.profile is not None:
            record(server.pid, args.seconds, args.profile)
        else:
            time.sleep(args.seconds)
        cpu = cpu_seconds(server.pid) - cpu_before
        out, err = running.communicate(timeout=args.seconds + ramp_s + 120)
    if running.returncode != 0:
        raise SystemExit(f"locust failed ({running.returncode}): {err[-2000:]}")
    locust = subprocess.CompletedProcess(command, running.returncode, out, err)
    if os.environ.get("TRASA_LOAD_DEBUG"):
        print(locust.stdout[-3000:], locust.stderr[-3000:])
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(f"{'request':<34} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7}")
    for row in rows:
        print(f"{row['Name']:<34} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{row['50%']:>7} {row['99%']:>7}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    # the server's own CPU (its threads; the solve runs in another process) per request
    served = int(total["Request Count"])  # counted from when all have joined, as the CPU
    print(f"load: clients={args.clients} p50_ms={total['50%']} p99_ms={total['99%']} "
          f"errors={total['Failure Count']} server_cpu_ms_per_request="
          f"{cpu * 1000 / max(served, 1):.2f}")
    if args.profile is not None:
        summary = summarise(raw_of(args.profile), requests=int(total["Request Count"]),
                            seconds=args.seconds)
        args.profile.write_text(summary, encoding="utf-8")
        print(f"profile: {args.profile} (raw stacks: {raw_of(args.profile)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
