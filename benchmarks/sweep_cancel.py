"""A big sweep stops when asked, and a plan started meanwhile is not held up by it.

Starts `trasa serve` on loopback (SQLite in a temporary folder, the Chełm road network,
one job process: TRASA_JOB_WORKERS=1), then, as two users:

- a planner starts a sweep of a generated `--tasks`-task day (`thousand_task_day`)
  whose variants search `--max-solutions` solutions each, under a per-variant time
  limit long enough never to be what stops them;
- `--plan-at` seconds later a coordinator starts a plan of a generated 40-task day
  with a time limit of `--plan-time-limit` seconds (no solution budget: the clock ends
  it), and waits for it;
- `--cancel-at` seconds after the sweep was posted the planner cancels it (DELETE)
  and waits until the job says `cancelled`.

Prints the machine, a table of the moments, and

    sweep_cancel: tasks=N max_solutions=S cancel_at_s=C stopped_after_s=X \
        plan_limit_s=L plan_took_s=P plan_over_limit_s=O plan_alone_s=A sweep_rows=R

`stopped_after_s`: from the DELETE to the job's `cancelled`; `plan_over_limit_s`: the
plan's time from its POST to `done`, less its time limit; `plan_alone_s`: the same plan
on the same server before the sweep (the machine's own pace, under its load then);
`plan_solver_s`, `plan_alone_solver_s`: the solver's own time in each (the rest is the
job's reading, network and matrix, checking and writing).

    python -m benchmarks.sweep_cancel [--tasks 1000] [--max-solutions 2000]
        [--cancel-at 45] [--plan-at 20] [--plan-time-limit 10]
        [--plan-max-solutions N] [--graph FILE]
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api.store.database import migrate, session_scope
from api.store.users import Role, add_user
from benchmarks.common import SHARED_DATA, machine_line
from benchmarks.demo_server import free_port
from data.generate_cusday import build_cusday

PASSWORD = "sweep-cancel-password"
FINISHED = {"done", "failed", "cancelled"}
VARIANT_TIME_LIMIT_S = 1200  # per variant: the solution budget, not the clock, ends one


def thousand_task_day(graph: Path | str, tasks: int = 1000, seed: int = 1) -> dict[str, Any]:
    """A generated home-care day of `tasks` tasks on `graph`, for the server's network.

    Chełm's road network has room for about 500 distinct homes (`build_cusday` places
    one client a home), so a day of more takes `build_cusday` of half the tasks and
    gives each home a second client with a copy of its task and a second staff."""
    half = min(tasks, max(4, tasks // 2))
    day = build_cusday(graph, tasks=half, seed=seed)
    if tasks > half:
        day["clients"] += [dict(c, id=f"{c['id']}-b", name=f"{c['name']} B")
                           for c in day["clients"]]
        day["tasks"] += [dict(copy.deepcopy(t), id=f"{t['id']}-b", client=f"{t['client']}-b")
                         for t in day["tasks"]][:tasks - half]
        day["workers"] += [dict(copy.deepcopy(w), id=f"{w['id']}-b") for w in day["workers"]]
    del day["network"]  # a job plans on the server's network (TRASA_GRAPH)
    return day


def _login(url: str, user: str) -> httpx.Client:
    api = httpx.Client(base_url=url, timeout=60)
    answer = api.post("/auth/token", data={"username": user, "password": PASSWORD})
    answer.raise_for_status()
    api.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return api


def _serve(folder: Path, graph: Path) -> tuple[subprocess.Popen[bytes], str]:
    url = f"sqlite:///{folder / 'trasa.db'}"
    migrate(url)
    with session_scope(url) as session:
        add_user(session, "planner", PASSWORD, Role.PLANNER)
        add_user(session, "coordinator", PASSWORD, Role.COORDINATOR)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TRASA_DATA_DIR": str(folder),
           "TRASA_GRAPH": str(graph), "TRASA_JOB_WORKERS": "1",
           "TRASA_JOB_TIME_LIMIT_S": str(VARIANT_TIME_LIMIT_S),
           "TRASA_SWEEP_MAX_SECONDS": str(2 * VARIANT_TIME_LIMIT_S),
           "TRASA_SECRET_KEY": "sweep-cancel-benchmark", "TRASA_LOG_LEVEL": "INFO"}
    log = open(folder / "server.log", "ab")  # noqa: SIM115 (kept open for the process)
    server = subprocess.Popen([sys.executable, "-m", "api.cli.main", "serve", "--port",
                               str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit((folder / "server.log").read_text()[-3000:])
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start in 120 s")


def _status(api: httpx.Client, where: str) -> dict[str, Any]:
    return dict(api.get(where).json())


def measure(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    graph = Path(args.graph)
    sweep_body = {"scenario": thousand_task_day(graph, args.tasks), "seed": 0,
                  "max_solutions": args.max_solutions, "time_limit_s": VARIANT_TIME_LIMIT_S,
                  "templates": {"carer": {"worker": "cus-00"}}, "vary": {"carer": [1, 2]}}
    plan_body = {"scenario": thousand_task_day(graph, 40, seed=2),
                 "time_limit_s": args.plan_time_limit,
                 "max_solutions": args.plan_max_solutions}
    server, url = _serve(folder, graph)
    moments: list[tuple[str, float]] = []
    try:
        planner, coordinator = _login(url, "planner"), _login(url, "coordinator")
        # The same plan alone first (once a job process is loaded): what it takes on this
        # machine, under its load now.
        deadline = time.monotonic() + 120
        while b"search steps compiled" not in (folder / "server.log").read_bytes() \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        alone_started = time.monotonic()
        answer = coordinator.post("/plans/jobs", json=plan_body)
        answer.raise_for_status()
        while (alone := _status(coordinator, answer.headers["Location"]))["status"] \
                not in FINISHED:
            time.sleep(0.2)
        plan_alone = time.monotonic() - alone_started
        solver_alone = (alone.get("plan") or {}).get("solver", {}).get("solve_time_s")
        answer = planner.post("/sweeps/jobs", json=sweep_body)
        if answer.status_code != 202:
            raise SystemExit(f"sweep refused: {answer.status_code} {answer.text[:300]}")
        t0 = time.monotonic()
        sweep_at = answer.headers["Location"]
        moments.append(("sweep posted", 0.0))
        plan_at, plan_posted, plan_done, cancel_asked, sweep_done = None, None, None, None, None
        solver_meanwhile = None
        sweep: dict[str, Any] = {}
        last_status = "queued"
        while sweep_done is None or plan_done is None:
            now = time.monotonic() - t0
            if plan_posted is None and now >= args.plan_at:
                answer = coordinator.post("/plans/jobs", json=plan_body)
                answer.raise_for_status()
                plan_at, plan_posted = answer.headers["Location"], now
                moments.append(("plan posted", now))
            if plan_at is not None and plan_done is None:
                plan = _status(coordinator, plan_at)
                if plan["status"] in FINISHED:
                    plan_done = now
                    solver_meanwhile = (plan.get("plan") or {}).get("solver", {}).get(
                        "solve_time_s")
                    moments.append((f"plan {plan['status']}", now))
            if cancel_asked is None and now >= args.cancel_at:
                planner.delete(sweep_at).raise_for_status()
                cancel_asked = now
                moments.append(("sweep DELETE", now))
            if sweep_done is None:
                sweep = _status(planner, sweep_at)
                if sweep["status"] != last_status:
                    last_status = sweep["status"]
                    moments.append((f"sweep {last_status}", now))
                if sweep["status"] in FINISHED:
                    sweep_done = now
            if now > args.cancel_at + 600:
                raise SystemExit("the sweep did not stop within 600 s of its cancel")
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert plan_posted is not None and plan_done is not None and sweep_done is not None
    return {"moments": moments, "sweep": sweep, "stopped_after_s": sweep_done - (
        cancel_asked if cancel_asked is not None else sweep_done),
        "plan_took_s": plan_done - plan_posted, "plan_alone_s": plan_alone,
        "solver_s": (solver_alone, solver_meanwhile),
        "cancelled": cancel_asked is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--max-solutions", type=int, default=2000)
    parser.add_argument("--cancel-at", type=float, default=45.0)
    parser.add_argument("--plan-at", type=float, default=20.0)
    parser.add_argument("--plan-time-limit", type=float, default=10.0)
    parser.add_argument("--plan-max-solutions", type=int, default=None,
                        help="a solution budget for the plan (default none: its clock)")
    parser.add_argument("--graph", default=str(SHARED_DATA / "osm" / "Chelm_map.graphml"))
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log here")
    args = parser.parse_args(argv)
    print(machine_line(tasks=args.tasks, max_solutions=args.max_solutions,
                       job_workers=1))
    with tempfile.TemporaryDirectory(prefix="trasa-sweep-cancel-") as tmp:
        try:
            result = measure(args, Path(tmp))
        finally:
            if args.log is not None:
                args.log.write_bytes((Path(tmp) / "server.log").read_bytes())
    print(f"{'moment':<22} {'s after the sweep POST':>22}")
    for name, at in result["moments"]:
        print(f"{name:<22} {at:>22.1f}")
    sweep = result["sweep"]
    rows = len((sweep.get("plan") or {}).get("rows", []))
    print(f"sweep_cancel: tasks={args.tasks} max_solutions={args.max_solutions} "
          f"cancel_at_s={args.cancel_at:g} status={sweep.get('status')} "
          f"stopped_after_s={result['stopped_after_s']:.1f} "
          f"plan_limit_s={args.plan_time_limit:g} plan_took_s={result['plan_took_s']:.1f} "
          f"plan_over_limit_s={result['plan_took_s'] - args.plan_time_limit:.1f} "
          f"plan_alone_s={result['plan_alone_s']:.1f} "
          f"plan_solver_s={result['solver_s'][1]} plan_alone_solver_s={result['solver_s'][0]} "
          f"sweep_rows={rows} sweep_attempts={sweep.get('attempts')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
