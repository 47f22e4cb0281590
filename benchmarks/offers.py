"""Offers on the phone against the batch plan: `python -m benchmarks.offers`.

Starts a real server (`trasa serve` on loopback, SQLite in a temporary folder, the road
network loaded once) per horizon and seed, with the master data of a shipped generator's
scenario stored as records and none of its tasks. Then it replays the scenario's tasks as
requests arriving one at a time (in a shuffled order), each with the windows the generator
gives it as the caller's wishes: `POST /offers` (timed over HTTP), and the first offer
accepted. At the end it plans the whole day or week from the records (`POST /plans/jobs`,
every promise a hard window) and counts the promises the plan keeps, then publishes it
and re-plans after a sick-worker event (the busiest worker off) and counts again (a
re-plan that cannot keep one fails naming it: counted as not kept). Alongside, the batch
baseline plans the same requests known all in advance with the callers' full windows, at
the same budget (solutions). It prints a table per seed and one line per horizon with the
worst seed's figures:

    offers: horizon=day queries=N p50_ms=… p95_ms=… kept_pct=… served_pct=… baseline_served_pct=…

A day is `data.generate_cusday` over Chełm (../shared/data/osm); a week is
`data.generate_week` (Starachowice) over the synthetic street grid around its homes (no
internet: the real Starachowice graph cannot be downloaded), saved once as a file.

    python -m benchmarks.offers [--day-seeds 1,2,3] [--day-tasks 60]
                                [--week-seeds 2021,2022] [--week-days 7]
                                [--max-solutions 300] [--skip-week]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from api.settings import Settings
from benchmarks.common import SHARED_DATA, machine_line
from benchmarks.demo_server import free_port, wait_job

CHELM = SHARED_DATA / "osm" / "Chelm_map.graphml"
PASSWORD = "benchmark offers password"


@dataclass
class Run:
    horizon: str
    seed: int
    queries: int
    latencies_ms: list[float]
    served: int
    promised: int
    kept: int
    replan_kept: int
    baseline_served: int

    @property
    def served_pct(self) -> float:
        return 100 * self.served / self.queries if self.queries else 0.0

    @property
    def kept_pct(self) -> float:
        return 100 * min(self.kept, self.replan_kept) / self.promised if self.promised else 100.0

    @property
    def baseline_pct(self) -> float:
        return 100 * self.baseline_served / self.queries if self.queries else 0.0

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _hhmm(text: str) -> str:
    return text[11:16] if "T" in text else text


def requests_of(scenario: dict[str, Any], days: int) -> list[tuple[str, dict[str, Any]]]:
    """(request id, offer request) for each task and trip of the scenario; a trip's
    return rides with its outbound (`with_return`)."""
    first = date.fromisoformat(scenario["date"])
    last = first + timedelta(days=days - 1)
    places = {x["id"]: x for x in scenario["locations"]}
    homes = {c["id"]: c["location"] for c in scenario["clients"]}
    out: list[tuple[str, dict[str, Any]]] = []
    for t in scenario["tasks"]:
        windows = [dict(w) for w in t["windows"]]
        if t["kind"] == "job":
            release = max(date.fromisoformat(t.get("release_date") or first.isoformat()), first)
            due = min(date.fromisoformat(t.get("due_date") or last.isoformat()), last)
            span = [release + timedelta(days=k) for k in range((due - release).days + 1)]
            windows = [{**w, "day": d.isoformat()} for w in windows for d in span
                       if w.get("day") in (None, "daily")] or windows
        body: dict[str, Any] = {
            "kind": "series" if t.get("series") else t["kind"], "client": t["client"],
            "first_day": first.isoformat(), "days": days, "duration_min": t["duration_min"],
            "skills": t.get("skills", []), "windows": windows,
            "priority": t.get("priority", "normal")}
        if t.get("series"):
            body["sessions"] = t["series"]["sessions"]
            body["min_gap_days"] = t["series"].get("min_gap_days", 1)
        out.append((t["id"], body))
    backs = {r["return_of"]: r for r in scenario.get("trips", []) if r.get("return_of")}
    for r in scenario.get("trips", []):
        if r.get("return_of"):
            continue
        drop = places[r["dropoff"]]
        pickup = places[r["pickup"]] if r.get("pickup") else None
        back = backs.get(r["id"])
        body = {"kind": "trip", "client": r["client"],
                "first_day": r.get("day") or _day_of(r, first), "days": 1,
                "dropoff": {"id": drop["id"], "name": drop.get("name", ""),
                            "lat": drop["lat"], "lon": drop["lon"]},
                "passengers": r.get("passengers", {"seated": 1}),
                "priority": r.get("priority", "normal"), "with_return": back is not None,
                "appointment_min": (back or {}).get("appointment_min", 0)}
        if pickup is not None and pickup["id"] != homes.get(r["client"]):
            body["pickup"] = {"id": pickup["id"], "lat": pickup["lat"], "lon": pickup["lon"]}
        if r.get("arrive_by"):
            body["arrive_by"] = _hhmm(r["arrive_by"])
        if r.get("pickup_window"):
            body["windows"] = [{"start": _hhmm(r["pickup_window"]["start"]),
                                "end": _hhmm(r["pickup_window"]["end"])}]
        out.append((r["id"], body))
    return out


def _day_of(trip: dict[str, Any], first: date) -> str:
    for key in ("arrive_by",):
        if trip.get(key) and "T" in trip[key]:
            return str(trip[key][:10])
    window = trip.get("pickup_window") or {}
    return str(window.get("start", "")[:10]) if "T" in window.get("start", "") else \
        first.isoformat()


def _store_master_data(url: str, scenario: dict[str, Any]) -> None:
    from api.schemas.records import records_from_scenario
    from api.schemas.scenario import ScenarioIn
    from api.store import records
    from api.store.database import migrate, session_scope
    from api.store.users import Role, add_user

    migrate(url)
    bare = ScenarioIn.model_validate({**scenario, "tasks": [], "trips": []})
    kept = records_from_scenario(bare)
    with session_scope(url) as session:
        add_user(session, "coordinator", PASSWORD, Role.COORDINATOR, None)
        records.create_records(session, {k: v for k, v in kept.items()
                                         if k not in ("tasks", "trips")})


class Server:
    def __init__(self, folder: Path, graph: Path, scenario: dict[str, Any],
                 window_min: int) -> None:
        self.url = f"sqlite:///{folder / 'trasa.db'}"
        _store_master_data(self.url, scenario)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRASA_") and k != "DATABASE_URL"}
        env.update(DATABASE_URL=self.url, TRASA_DATA_DIR=str(folder), TRASA_GRAPH=str(graph),
                   TRASA_SECRET_KEY=uuid.uuid4().hex, TRASA_JOB_WORKERS="1",
                   TRASA_TODAY="2026-01-01", TRASA_JOB_TIME_LIMIT_S="3600",
                   TRASA_OFFER_WINDOW_MIN=str(window_min))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        token = httpx.post(f"{self.base}/auth/token", data={
            "username": "coordinator", "password": PASSWORD}).json()["access_token"]
        self.api = httpx.Client(base_url=self.base, timeout=600,
                                headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        self.api.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def replay(server: Server, requests: list[tuple[str, dict[str, Any]]]
           ) -> tuple[list[float], int, dict[str, list[dict[str, Any]]]]:
    """Each request asked and its first offer accepted: latencies (ms), requests served,
    and the windows promised per request (a request not served has none)."""
    latencies, served, promised = [], 0, {}
    no_offer: Counter[str] = Counter()  # kind/reason of the requests that got none
    for request_id, body in requests:
        t0 = time.perf_counter()
        answer = server.api.post("/offers", json=body)
        latencies.append(1000 * (time.perf_counter() - t0))
        if answer.status_code != 200:
            print(f"  {request_id}: {answer.status_code} {answer.text[:200]}")
            continue
        offers = answer.json()["offers"]
        if not offers:
            no_offer[f"{body['kind']}/{answer.json().get('reason')}"] += 1
            continue
        accepted = server.api.post("/offers/accept", json={"token": offers[0]["token"]})
        if accepted.status_code == 201:
            served += 1
            promised[request_id] = offers[0]["windows"]
    if no_offer:
        print("  no offer: " + ", ".join(f"{k}={n}" for k, n in sorted(no_offer.items())))
    return latencies, served, promised


def kept_in(plan: dict[str, Any], promised: dict[str, list[dict[str, Any]]]) -> int:
    """How many promised windows the plan keeps (its first stop starts inside)."""
    starts: dict[str, str] = {}
    for route in plan.get("routes", []):
        for stop in route["stops"]:
            task = stop["task"].split("~moved")[0]
            if stop.get("action", "serve") in ("serve", "pickup") and task not in starts:
                starts[task] = stop["start"]
    kept = 0
    for windows in promised.values():
        for w in windows:
            task = w["task"].replace("#", "-s")
            start = starts.get(task)
            if start is not None and start[:10] == w["day"] and \
                    w["start"] <= start[11:16] <= w["end"]:
                kept += 1
    return kept


def final_and_replan(server: Server, first_day: str, days: int, budget: int,
                     promised: dict[str, list[dict[str, Any]]]) -> tuple[int, int]:
    """Promises kept by the plan of every record, and by its re-plan after a sick worker."""
    job = server.api.post("/plans/jobs", json={
        "records": {"first_day": first_day, "days": days}, "max_solutions": budget,
        "time_limit_s": 3600})
    if job.status_code != 202:
        print(f"  final plan refused: {job.status_code} {job.text[:300]}")
        return 0, 0
    done = wait_job(server.api, job.headers["Location"], timeout_s=3600)
    if done["status"] != "done":
        print(f"  final plan {done['status']}: {done.get('error')}")
        return 0, 0
    kept = kept_in(done["plan"], promised)
    draft = server.api.post("/plans", json={"job_id": done["id"]}).json()
    server.api.post(f"/plans/{draft['id']}/publish")
    busiest = max(done["plan"]["routes"], key=lambda r: len(r["stops"]))["worker"]
    events = server.api.post(f"/plans/{draft['id']}/events", json={
        "now": "00:00", "events": [{"kind": "worker_unavailable", "worker": busiest}],
        "max_solutions": budget, "time_limit_s": 3600})
    if events.status_code != 202:
        print(f"  re-plan refused: {events.status_code} {events.text[:300]}")
        return kept, 0
    again = wait_job(server.api, events.headers["Location"], timeout_s=3600)
    if again["status"] != "done":
        error = str(again.get("error"))
        print(f"  re-plan {again['status']} (publishes nothing): {error[:300]}")
        # a re-plan that names the promise it cannot keep and publishes nothing keeps
        # every promise of the published plan
        return kept, kept if "promise" in error else 0
    return kept, kept_in(again["plan"], promised)


def baseline(server: Server, scenario: dict[str, Any], budget: int,
             requests: list[tuple[str, dict[str, Any]]]) -> set[str]:
    """The requests the batch plan serves knowing them all, with their full windows."""
    document = {**scenario, "network": {"fallback_grid": False}}
    job = server.api.post("/plans/jobs", json={"scenario": document, "max_solutions": budget,
                                               "time_limit_s": 3600})
    if job.status_code != 202:
        print(f"  baseline refused: {job.status_code} {job.text[:300]}")
        return set()
    done = wait_job(server.api, job.headers["Location"], timeout_s=3600)
    if done["status"] != "done":
        print(f"  baseline {done['status']}: {done.get('error')}")
        return set()
    left = {u["task"].split("#")[0] for u in done["plan"].get("unassigned", [])}
    left |= {t.removesuffix("-back") for t in left}
    return {request_id for request_id, _ in requests if request_id not in left}


def run_one(horizon: str, seed: int, scenario: dict[str, Any], graph: Path, days: int,
            budget: int, window_min: int) -> Run:
    requests = requests_of(scenario, days)
    random.Random(seed).shuffle(requests)
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), graph, scenario, window_min)
        try:
            latencies, served, promised = replay(server, requests)
            count = sum(len(w) for w in promised.values())
            kept, again = final_and_replan(server, scenario["date"], days, budget, promised)
            base = baseline(server, scenario, budget, requests)
        finally:
            server.close()
    lost = sorted(base - set(promised))
    print(f"  no offer, though the batch plan serves it: {len(lost)} {lost[:12]}")
    return Run(horizon, seed, len(requests), latencies, served, count, kept, again,
               len(base))


def week_graph(scenario: dict[str, Any], folder: Path) -> Path:
    """The synthetic street grid around the week's homes, saved once as GraphML."""
    import osmnx as ox

    from geo.synthetic import grid_graph

    lat = statistics.median(x["lat"] for x in scenario["locations"])
    lon = statistics.median(x["lon"] for x in scenario["locations"])
    path = folder / f"grid-{lat:.4f}-{lon:.4f}.graphml"
    if not path.exists():
        ox.save_graphml(grid_graph(lat, lon), filepath=path)
    return path


def print_runs(runs: list[Run]) -> None:
    print(f"{'horizon':8} {'seed':>5} {'queries':>7} {'p50_ms':>7} {'p95_ms':>7} "
          f"{'max_ms':>7} {'served%':>8} {'promises':>8} {'kept':>5} {'replan':>6} "
          f"{'kept%':>6} {'base%':>6}")
    for r in runs:
        print(f"{r.horizon:8} {r.seed:>5} {r.queries:>7} {r.p(0.5):>7.0f} {r.p(0.95):>7.0f} "
              f"{max(r.latencies_ms or [0]):>7.0f} {r.served_pct:>8.1f} {r.promised:>8} "
              f"{r.kept:>5} {r.replan_kept:>6} {r.kept_pct:>6.1f} {r.baseline_pct:>6.1f}")


def summary(horizon: str, runs: list[Run]) -> None:
    mine = [r for r in runs if r.horizon == horizon]
    if not mine:
        return
    worst = max(mine, key=lambda r: (r.p(0.95), -r.kept_pct,
                                     r.baseline_pct - r.served_pct))
    median_p95 = statistics.median(r.p(0.95) for r in mine)
    print(f"offers: horizon={horizon} queries={worst.queries} p50_ms={worst.p(0.5):.0f} "
          f"p95_ms={worst.p(0.95):.0f} kept_pct={min(r.kept_pct for r in mine):.1f} "
          f"served_pct={worst.served_pct:.1f} baseline_served_pct={worst.baseline_pct:.1f}"
          f"  (worst seed {worst.seed}; median p95_ms={median_p95:.0f}; worst served gap "
          f"{max(r.baseline_pct - r.served_pct for r in mine):.1f} points)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day-seeds", default="1,2,3")
    parser.add_argument("--day-tasks", type=int, default=60)
    parser.add_argument("--week-seeds", default="2021,2022")
    parser.add_argument("--week-days", type=int, default=7)
    parser.add_argument("--max-solutions", type=int, default=300)
    parser.add_argument("--skip-week", action="store_true")
    parser.add_argument("--skip-day", action="store_true")
    parser.add_argument("--window-min", type=int,
                        default=Settings.model_fields["offer_window_min"].default,
                        help="the offered windows' length (TRASA_OFFER_WINDOW_MIN)")
    args = parser.parse_args()
    print(machine_line(max_solutions=args.max_solutions, window_min=args.window_min))
    from data.generate_cusday import build_cusday
    from data.generate_week import build_week

    runs: list[Run] = []
    if not args.skip_day:
        for seed in (int(s) for s in args.day_seeds.split(",")):
            scenario = build_cusday(CHELM, tasks=args.day_tasks, seed=seed)
            scenario["network"] = {"fallback_grid": False}
            runs.append(run_one("day", seed, scenario, CHELM, 1, args.max_solutions,
                                args.window_min))
            print_runs(runs[-1:])
    if not args.skip_week:
        with tempfile.TemporaryDirectory() as tmp:
            for seed in (int(s) for s in args.week_seeds.split(",")):
                scenario = build_week(seed, days=args.week_days)
                graph = week_graph(scenario, Path(tmp))
                scenario["network"] = {"fallback_grid": False}
                runs.append(run_one("week", seed, scenario, graph, args.week_days,
                                    args.max_solutions, args.window_min))
                print_runs(runs[-1:])
    print()
    print_runs(runs)
    summary("day", runs)
    summary("week", runs)


if __name__ == "__main__":
    main()
