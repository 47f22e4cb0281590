"""Re-planning over HTTP as the page does it: a sick worker on the demo day.

Starts a real server on the demo (`trasa serve --demo`, SQLite, loopback), plans and
publishes the demo weekday, then `--runs` times posts the event the page posts when a
worker falls ill at `--now` (`POST /plans/{id}/events` with the page's defaults, which
are every path's: no time limit nor solution count, so the re-planning search's own,
`api.services.parameters`) and times it until the job is done and its plan passed the
independent check. A pause before each run lets the server load its
next job process, as it has between a coordinator's clicks. Prints one row per run and

    replan_http: runs=5 median_s=X worst_s=Y target_median_s=2.0 met=yes

Then the same event once more, stopped by a solution count (`--same-max-solutions`, a
clock far beyond it) and the default seed, over HTTP and by `trasa replan` on the
plan's own scenario and document: the two plans side by side, per worker, and

    same plan: yes (N stops, K left out)

    python -m benchmarks.replan --http [--runs 5] [--now 10:00] [--pause 6]
                                       [--plan-max-solutions 200] [--same-max-solutions 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from api.services.parameters import Kind, default
from api.store.database import session_scope
from api.store.tables import Job
from benchmarks.common import REPO, machine_line
from benchmarks.demo_server import DAY, DemoServer, demo_server, wait_job

TARGET_MEDIAN_S = 2.0
FAR_S = 300  # the clock of the same-plan runs: the solution count ends them first


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http", action="store_true",
                        help="re-plan over HTTP on the demo day (this module's docstring)")
    parser.add_argument("--runs", type=int, default=5, help="with --http: timed re-plannings")
    parser.add_argument("--now", default="10:00", help="with --http: when the worker falls ill")
    parser.add_argument("--pause", type=float, default=6.0,
                        help="with --http: seconds before each run")
    parser.add_argument("--same-max-solutions", type=int, default=60,
                        help="with --http: the solution count of the same-plan comparison")


def stops(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every stop: worker, shift, task, action, place and times."""
    return [(r["worker"], r["shift"], s["task"], s["action"], s["location"], s["arrival"],
             s["start"], s["end"]) for r in plan["routes"] for s in r["stops"]]


def unserved(plan: dict[str, Any]) -> list[str]:
    return [u["task"] for u in plan["unassigned"]]


def _sick_worker(plan: dict[str, Any], now: str) -> str:
    """The worker with the most stops after `now` (HH:MM) on the day."""
    later = {r["worker"]: sum(1 for s in r["stops"] if s["start"][11:16] > now)
             for r in plan["routes"]}
    return max(sorted(later), key=lambda w: later[w])


def _span(job: dict[str, Any], start: str, end: str) -> float:
    """Seconds between two of a job's moments (as the server wrote them)."""
    return (datetime.fromisoformat(job[end]) - datetime.fromisoformat(job[start])
            ).total_seconds()


def _replan(srv: DemoServer, plan_id: str, body: dict[str, Any]) -> tuple[float, dict]:
    t0 = time.perf_counter()
    answer = srv.api.post(f"/plans/{plan_id}/events", json=body)
    if answer.status_code != 202:
        raise SystemExit(f"POST /plans/{plan_id}/events: {answer.status_code} {answer.text}")
    job = wait_job(srv.api, answer.headers["Location"], poll_s=0.05)
    seconds = time.perf_counter() - t0
    if job["status"] != "done" or not job["plan"]["check"]["passed"]:
        raise SystemExit(f"re-planning job {job['id']}: {job['status']} {job['error']}")
    return seconds, job


def _cli_replan(srv: DemoServer, plan_job: str, document: dict[str, Any],
                events: dict[str, Any], max_solutions: int, folder: Path) -> dict[str, Any]:
    """`trasa replan` of the published document on the scenario its job planned."""
    with session_scope(srv.database) as session:
        scenario = session.get(Job, plan_job).request["scenario"]  # type: ignore[union-attr]
    for name, data in (("scenario.json", scenario), ("plan.json", document),
                       ("events.json", events)):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "replan", str(folder / "plan.json"),
         str(folder / "events.json"), "--scenario", str(folder / "scenario.json"),
         "--max-solutions", str(max_solutions), "--time-limit", str(FAR_S), "--no-pdf",
         "--out", str(folder / "cli")], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"trasa replan: exit {done.returncode}: {done.stderr[-2000:]}")
    return dict(json.loads((folder / "cli" / "plan.json").read_text("utf-8")))


def _side_by_side(http: dict[str, Any], cli: dict[str, Any]) -> bool:
    def by_worker(plan: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for stop in stops(plan):
            out.setdefault(stop[0], []).append(stop)
        return out

    mine, theirs = by_worker(http), by_worker(cli)
    print(f"{'worker':<18} {'HTTP (POST events)':<34} {'trasa replan':<34} same")

    def shown(day: list[tuple[Any, ...]]) -> str:
        return (f"{len(day):>2} stops {day[0][6][11:16]}-{day[-1][7][11:16]}" if day
                else " 0 stops")

    for worker in sorted(set(mine) | set(theirs)):
        a, b = mine.get(worker, []), theirs.get(worker, [])
        print(f"{worker:<18} {shown(a):<34} {shown(b):<34} {'yes' if a == b else 'NO'}")
    print(f"{'left out':<18} {', '.join(unserved(http)) or '-':<34.34} "
          f"{', '.join(unserved(cli)) or '-':<34.34} "
          f"{'yes' if unserved(http) == unserved(cli) else 'NO'}")
    return stops(http) == stops(cli) and unserved(http) == unserved(cli)


def main(args: argparse.Namespace) -> int:
    print(machine_line(mode="http", runs=args.runs, now=args.now, pause_s=args.pause,
                       replan_time_limit_s=default(Kind.REPLAN, "time_limit_s"),
                       replan_max_solutions=default(Kind.REPLAN, "max_solutions"),
                       plan_max_solutions=args.plan_max_solutions,
                       same_max_solutions=args.same_max_solutions, database="sqlite",
                       job_workers=1, load_average=f"{os.getloadavg()[0]:.1f}"))
    with demo_server() as srv, tempfile.TemporaryDirectory() as tmp:
        started = srv.api.post("/plans/jobs", json={
            "records": {"first_day": DAY}, "max_solutions": args.plan_max_solutions,
            "time_limit_s": FAR_S})
        planned = wait_job(srv.api, started.headers["Location"])
        if planned["status"] != "done":
            raise SystemExit(f"the demo day's plan: {planned['status']} {planned['error']}")
        plan_id = srv.api.post("/plans", json={"job_id": planned["id"]}).json()["id"]
        srv.api.post(f"/plans/{plan_id}/publish").raise_for_status()
        document = srv.api.get(f"/plans/{plan_id}").json()["document"]
        worker = _sick_worker(document, args.now)
        events = {"now": args.now, "events": [
            {"kind": "worker_unavailable", "worker": worker, "from": args.now}]}
        print(f"# demo day {DAY} planned: {len(stops(document))} stops, "
              f"{len(unserved(document))} left out; {worker} falls ill at {args.now}")
        print(f"{'run':>3} {'s':>6} {'ran s':>6} {'stops':>5} {'left out':>8} "
              f"{'changed workers':>15}")
        times = []
        for run in range(1, args.runs + 1):
            time.sleep(args.pause)
            seconds, job = _replan(srv, plan_id, events)  # what the page posts
            new = job["plan"]
            times.append(seconds)
            ran = _span(job, "started_at", "finished_at")  # in its process, claimed to written
            print(f"{run:>3} {seconds:>6.2f} {ran:>6.2f} {len(stops(new)):>5} "
                  f"{len(unserved(new)):>8} {len(new['replanning']['changed_workers']):>15}")
        median, worst = statistics.median(times), max(times)
        print(f"# load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"replan_http: runs={len(times)} median_s={median:.2f} worst_s={worst:.2f} "
              f"target_median_s={TARGET_MEDIAN_S} "
              f"met={'yes' if median <= TARGET_MEDIAN_S else 'no'}")

        time.sleep(args.pause)
        _, job = _replan(srv, plan_id, {**events, "max_solutions": args.same_max_solutions,
                                        "time_limit_s": FAR_S})
        cli = _cli_replan(srv, planned["id"], document, events, args.same_max_solutions,
                          Path(tmp))
        print(f"# the same event stopped by {args.same_max_solutions} solutions, seed "
              f"{default(Kind.REPLAN, 'seed')}: over HTTP and by trasa replan")
        same = _side_by_side(job["plan"], cli)
        print(f"same plan: {'yes' if same else 'NO'} ({len(stops(cli))} stops, "
              f"{len(unserved(cli))} left out)")
    return 0 if same else 1
