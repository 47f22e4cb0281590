"""Plans right for the people in them: one place at a time, trip pairs whole, returns
fetched where their outbound left the client, on the command line's path and the records'.

Each day is planned in-process with a solution budget (`--max-solutions`, the clock only a
safety net) and a seed, then its plan document (`trasa-plan/1`, as `trasa plan` writes it
and `/plans/{id}` serves it) is counted against the scenario file by a small counter of
its own (`count_people`; it does not call `optimiser.check` or `optimiser.presence`):

- clashes: pairs of one client's stops or absences that overlap in time: a visit or job at
  their home while a trip has them away (from a pickup at home, else the day's start,
  to the drop-off that brings them home, else the end of that day), two of their visits
  or jobs, or two absences;
- half pairs: an outbound trip served without its return, or a return without its
  outbound;
- misplaced returns: a served return picked up elsewhere than its outbound's drop-off
  (the file's, and the plan's when the outbound is served);

and served / total tasks, and served / total of the high and urgent ones.

Days: the demo weekday, Saturday and week (`data/scenarios/starachowice_*.json`) on a
generated Starachowice street grid written as GraphML (Starachowice's roads cannot be
downloaded here; `--graph` gives another file), each planned from the file (`file`) and
from its records (`records`: file -> `records_from_scenario` -> the store's JSON ->
`scenario_from_records` -> plan, as `trasa import` and a planning job do);
`../shared/examples/people/my_day.json` on `../shared/data/osm/Chelm_map.graphml`; the
generated Chełm home-care days of `benchmarks.cusday` (`--cusday 40,80`, seed 1).
Prints the machine and settings, a row per (day, path), what was found, and

    people: rows=N clashes=C half_pairs=H misplaced_returns=M served=S/T \
        high_urgent_served=A/B checker_failed=F max_solutions=K seed=Z

    python -m benchmarks.people [--max-solutions 100] [--seed 0] [--days weekday,saturday,
        week,my_day,cusday] [--cusday 40,80] [--graph STARACHOWICE.graphml]
    python -m benchmarks.people --count SCENARIO.json PLAN.json   # count one plan document
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import osmnx as ox

from api.convert.records_scenario import scenario_from_records
from api.convert.scenario import parse_scenario
from api.schemas.records import PlanningRequest, records_from_scenario
from api.schemas.scenario import ScenarioIn
from api.services.planning import plan_prepared, prepare
from benchmarks.common import REPO, SHARED_DATA, machine_line
from data.generate_cusday import build_cusday
from geo.synthetic import grid_graph
from optimiser.model import Plan
from optimiser.params import SolveParams

SCENARIOS = REPO / "data" / "scenarios"
DEMO = {"weekday": "starachowice_day.json", "saturday": "starachowice_saturday.json",
        "week": "starachowice_week.json"}
MY_DAY = REPO.parent / "shared" / "examples" / "people" / "my_day.json"
CHELM = SHARED_DATA / "osm" / "Chelm_map.graphml"
STARACHOWICE = (51.0447, 21.0859)  # the grid's centre, as the tests' starachowice_grid
HIGH = {"high", "urgent"}


# --- the counter: a plan document against its scenario file, nothing else -------------------

@dataclass(frozen=True)
class PeopleCount:
    """What one plan does to the people in it (each finding in words)."""

    clashes: tuple[str, ...]
    half_pairs: tuple[str, ...]
    misplaced_returns: tuple[str, ...]
    served: int
    total: int
    high_served: int  # high and urgent
    high_total: int
    high_left_out: tuple[str, ...] = ()  # "task (reason)"

    @property
    def findings(self) -> tuple[str, ...]:
        return self.clashes + self.half_pairs + self.misplaced_returns


@dataclass(frozen=True)
class _Span:
    start: datetime
    end: datetime
    what: str  # a task id, or "away on TRIP"
    home: bool  # a visit or job at the client's home
    away: bool  # an absence on trips


def count_people(scenario: dict[str, Any], plan: dict[str, Any]) -> PeopleCount:
    """Count `plan` (a plan document) against `scenario` (the scenario file's JSON)."""
    zone = ZoneInfo(scenario.get("timezone", "Europe/Warsaw"))
    places = {x["id"]: _place(x) for x in scenario["locations"]}
    homes = {c["id"]: places[c["location"]] for c in scenario.get("clients", [])}
    trips = {t["id"]: t for t in scenario.get("trips", [])}
    return_of = {t["id"]: t["return_of"] for t in trips.values() if t.get("return_of")}
    return_for = {out: ret for ret, out in return_of.items()}
    priority = {t["id"]: t.get("priority", "normal")
                for t in [*scenario.get("tasks", []), *trips.values()]}
    stops = {(s["task"], s["action"]): s for r in plan["routes"] for s in r["stops"]}
    served = {task for task, _ in stops}
    left_out = {u["task"]: u.get("priority", "normal") for u in plan["unassigned"]}
    high_left_out = tuple(f"{u['task']} ({u.get('priority')}, {u.get('reason')})"
                          for u in plan["unassigned"] if u.get("priority") in HIGH)

    half = tuple(f"trip {ret!r} and its outbound {out!r}: only "
                 f"{ret if ret in served else out!r} served"
                 for ret, out in sorted(return_of.items())
                 if (ret in served) != (out in served))

    misplaced = []
    for ret, out in sorted(return_of.items()):
        pickup = stops.get((ret, "pickup"))
        if pickup is None:
            continue
        wanted = {places[trips[out]["dropoff"]]}
        if (out, "dropoff") in stops:
            wanted.add(_place(stops[(out, "dropoff")]))
        if wanted != {_place(pickup)}:
            misplaced.append(f"return {ret!r} picked up at {pickup['location']!r}, its "
                             f"outbound {out!r} dropped off at {trips[out]['dropoff']!r}")

    spans: dict[str, list[_Span]] = {}
    for (task, action), stop in stops.items():
        client = stop.get("client")
        if action == "serve" and client is not None:
            spans.setdefault(client, []).append(_Span(
                _time(stop["start"]), _time(stop["end"]), task,
                home=_place(stop) == homes.get(client), away=False))
        elif action == "pickup" and client is not None and return_of.get(task) not in served:
            # (a served return lies in its outbound's absence)
            spans.setdefault(client, []).append(
                _absence(task, stop, stops, homes.get(client), return_for, zone))
    clashes = []
    for client, items in sorted(spans.items()):
        items.sort(key=lambda s: (s.start, s.what))
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.start >= a.end:
                    break
                if a.away == b.away or a.home or b.home:  # not a visit away from home
                    clashes.append(f"client {client!r}: {a.what} {_hm(a)} and {b.what} "
                                   f"{_hm(b)}")

    high_served = sum(priority.get(t.split("#")[0]) in HIGH for t in served)
    return PeopleCount(tuple(clashes), half, tuple(misplaced), len(served),
                       len(served) + len(left_out), high_served,
                       high_served + sum(p in HIGH for p in left_out.values()),
                       high_left_out)


def _absence(trip: str, pickup: dict[str, Any], stops: dict[tuple[str, str], dict[str, Any]],
             home: tuple[float, float] | None, return_for: dict[str, str], zone: ZoneInfo
             ) -> _Span:
    """Away from home: from a pickup at home (else the day's start) to the drop-off that
    brings the client home (this trip's, else its return's), else to the day's end."""
    boards = _time(pickup["start"])
    day = boards.astimezone(zone).date()
    start = boards if _place(pickup) == home else _midnight(day, zone)
    drop = stops.get((trip, "dropoff"))
    if drop is not None and _place(drop) != home:
        drop = stops.get((return_for.get(trip, ""), "dropoff"))
    end = _time(drop["end"]) if drop is not None else _midnight(day + timedelta(days=1), zone)
    return _Span(start, end, f"away on {trip}", home=False, away=True)


def _place(x: dict[str, Any]) -> tuple[float, float]:
    return round(float(x["lat"]), 5), round(float(x["lon"]), 5)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _hm(span: _Span) -> str:
    return f"{span.start:%a %H:%M}-{span.end:%H:%M}"


# --- the runs -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    day: str
    path: str
    count: PeopleCount
    checked: bool  # the plan document's own check passed
    solutions: int
    solve_s: float  # network, matrices, solve and check
    clock_stopped: bool  # the time limit, not the solution budget, ended a search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-solutions", type=int, default=100,
                        help="solutions each search accepts (the plan on any machine)")
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument("--time-limit", type=float, default=900.0,
                        help="safety net only: the solution budget should end each search")
    parser.add_argument("--days", default="weekday,saturday,week,my_day,cusday",
                        help="which days, comma-separated")
    parser.add_argument("--cusday", default="40,80",
                        help="sizes of the generated Chełm days (seed 1)")
    parser.add_argument("--graph", type=Path, default=None,
                        help="Starachowice road network for the demo days (GraphML; default: "
                             "a generated street grid written to a temporary file)")
    parser.add_argument("--count", nargs=2, type=Path, metavar=("SCENARIO", "PLAN"),
                        help="only count one plan document against its scenario file")
    args = parser.parse_args(argv)
    if args.count:
        return _count_one(*args.count)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    unknown = set(days) - {*DEMO, "my_day", "cusday"}
    if unknown:
        raise SystemExit(f"--days: unknown {', '.join(sorted(unknown))}")
    sizes = [int(x) for x in args.cusday.split(",") if x.strip()]
    print(machine_line(max_solutions=args.max_solutions, seed=args.seed,
                       time_limit_s=args.time_limit, days=",".join(days),
                       cusday=",".join(map(str, sizes))))
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph or write_starachowice_grid(Path(tmp) / "starachowice_grid.graphml")
        where = "a generated Starachowice grid" if args.graph is None else graph
        print(f"# networks: demo days on {where}, my_day and cusday on {CHELM.name}")
        print(f"{'day':<12} {'path':<8} {'served':>8} {'high+urg':>9} {'clashes':>7} "
              f"{'half':>4} {'misplaced':>9} {'checked':>7} {'sols':>5} {'wall s':>7}")
        rows = []
        for row in rows_for(days, sizes, graph, args):
            rows.append(row)
            print(_line(row), flush=True)
    for row in rows:
        for finding in row.count.findings:
            print(f"  {row.day}/{row.path}: {finding}")
        if row.count.high_left_out:
            print(f"  {row.day}/{row.path}: high or urgent left out: "
                  f"{', '.join(row.count.high_left_out)}")
        if row.clock_stopped:
            print(f"  {row.day}/{row.path}: stopped by the clock, not the solution budget")
    total = [r.count for r in rows]
    print(f"people: rows={len(rows)} clashes={sum(len(c.clashes) for c in total)} "
          f"half_pairs={sum(len(c.half_pairs) for c in total)} "
          f"misplaced_returns={sum(len(c.misplaced_returns) for c in total)} "
          f"served={sum(c.served for c in total)}/{sum(c.total for c in total)} "
          f"high_urgent_served={sum(c.high_served for c in total)}/"
          f"{sum(c.high_total for c in total)} "
          f"checker_failed={sum(not r.checked for r in rows)} "
          f"max_solutions={args.max_solutions} seed={args.seed}")
    return 1 if any(c.findings for c in total) else 0


def _line(row: Row) -> str:
    c = row.count
    return (f"{row.day:<12} {row.path:<8} {f'{c.served}/{c.total}':>8} "
            f"{f'{c.high_served}/{c.high_total}':>9} {len(c.clashes):>7} "
            f"{len(c.half_pairs):>4} {len(c.misplaced_returns):>9} "
            f"{'yes' if row.checked else 'NO':>7} {row.solutions:>5} {row.solve_s:>7.1f}")


def _count_one(scenario_path: Path, plan_path: Path) -> int:
    scenario = json.loads(scenario_path.read_text(encoding="utf-8"))
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    count = count_people(scenario, plan)
    for finding in count.findings:
        print(f"  {finding}")
    if count.high_left_out:
        print(f"  high or urgent left out: {', '.join(count.high_left_out)}")
    print(f"people: clashes={len(count.clashes)} half_pairs={len(count.half_pairs)} "
          f"misplaced_returns={len(count.misplaced_returns)} "
          f"served={count.served}/{count.total} "
          f"high_urgent_served={count.high_served}/{count.high_total}")
    return 1 if count.findings else 0


def write_starachowice_grid(path: Path) -> Path:
    """The generated Starachowice street grid as GraphML (as the tests' fixture writes it)."""
    ox.save_graphml(grid_graph(*STARACHOWICE, half_size_m=6000), filepath=path)
    return path


def rows_for(days: Iterable[str], sizes: Iterable[int], graph: Path,
             args: argparse.Namespace) -> Iterator[Row]:
    params = SolveParams(time_limit_s=args.time_limit, seed=args.seed,
                         max_solutions=args.max_solutions)
    for day in days:
        if day in DEMO:
            raw = json.loads((SCENARIOS / DEMO[day]).read_text(encoding="utf-8"))
            yield plan_row(day, "file", raw, parse_scenario(raw), graph, params)
            yield plan_row(day, "records", raw, from_records(parse_scenario(raw)), graph,
                           params)
        elif day == "my_day":
            raw = json.loads(MY_DAY.read_text(encoding="utf-8"))
            yield plan_row(day, "file", raw, parse_scenario(raw), CHELM, params)
        else:
            for size in sizes:
                raw = build_cusday(CHELM, size, seed=1)
                yield plan_row(f"cusday {size}/1", "file", raw, parse_scenario(raw), CHELM,
                               params)


def from_records(scenario: ScenarioIn) -> ScenarioIn:
    """The scenario as a planning job builds it from the records `trasa import` stores (the
    records through their JSON, as the store gives them back, in id order)."""
    request = PlanningRequest(first_day=scenario.date, days=scenario.days,
                              timezone=scenario.timezone, goals=scenario.goals,
                              rules=scenario.rules, trip_rules=scenario.trip_rules)
    stored: dict[str, Any] = {
        kind: sorted((type(r).model_validate(r.model_dump(mode="json")) for r in items),
                     key=lambda r: str(getattr(r, "id", "")))
        for kind, items in records_from_scenario(scenario).items()}
    return scenario_from_records(request, network=scenario.network.model_dump(), **stored)


def planned_document(scenario: ScenarioIn, graph: Path, params: SolveParams
                     ) -> tuple[dict[str, Any], Plan]:
    """The plan document of `scenario` on `graph` (as `trasa plan` writes it) and its plan."""
    prepared = prepare(scenario, base_dir=SCENARIOS, graph=str(graph))
    planned = plan_prepared(prepared, params=params)
    return planned.document(), planned.plan


def plan_row(day: str, path: str, raw: dict[str, Any], scenario: ScenarioIn, graph: Path,
             params: SolveParams) -> Row:
    started = time.perf_counter()
    document, plan = planned_document(scenario, graph, params)
    return Row(day, path, count_people(raw, document), bool(document["check"]["passed"]),
               plan.stats.solutions, time.perf_counter() - started,
               clock_stopped=plan.stats.time_s >= params.time_limit_s)


if __name__ == "__main__":
    sys.exit(main())
