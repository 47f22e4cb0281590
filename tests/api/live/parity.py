"""What the path-parity tests share: the demo weekday's records posted to a live server,
the command line's plan of the same file with given solve parameters, and the parts of
two plans that must be equal (every stop, and the tasks left out)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from api.formats.resources import records_from_scenario
from api.formats.scenario_schema import ScenarioIn

WEEKDAY = Path(__file__).resolve().parents[3] / "data" / "scenarios" / "starachowice_day.json"
CLI_TIMEOUT_S = 900


def post_records(api: httpx.Client, scenario: ScenarioIn) -> None:
    """The scenario's records posted one by one (a coordinator's client), in file order:
    each outbound trip before its return."""
    for kind, items in records_from_scenario(scenario).items():
        for item in items:
            answer = api.post(f"/{kind}", json=item.model_dump(mode="json"))
            assert answer.status_code == 201, (kind, answer.text)


def plan_with_cli(scenario: Path, graph: Path, out: Path, *, seed: int, max_solutions: int,
                  stall_solutions: int | None, time_limit_s: float) -> dict[str, Any]:
    """`trasa plan SCENARIO` on `graph` with these parameters and one search (as a job
    searches): its plan.json."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "plan", str(scenario), "--graph", str(graph),
         "--seed", str(seed), "--max-solutions", str(max_solutions),
         "--stall-solutions", str(stall_solutions or 0), "--time-limit", str(time_limit_s),
         "--searches", "1", "--quiet", "--out", str(out)],
        capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return plan


def stops(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every stop of every route: worker, shift, task, action, place and times."""
    return [(route["worker"], route["shift"], s["task"], s["action"], s["location"],
             s["arrival"], s["start"], s["end"])
            for route in plan["routes"] for s in route["stops"]]


def unserved(plan: dict[str, Any]) -> list[str]:
    """The tasks left out, in the plan's order."""
    return [u["task"] for u in plan["unassigned"]]
