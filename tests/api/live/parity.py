"""What the path-parity tests share: the demo weekday's records posted to a live server,
the command line's plan of the same file with given solve parameters (the others its
defaults, which are every path's: `api.services.parameters`), and the parts of two
plans that must be equal (every stop, and the tasks left out)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.schemas.records import records_from_scenario
from api.schemas.scenario import ScenarioIn

WEEKDAY = Path(__file__).resolve().parents[3] / "data" / "scenarios" / "starachowice_day.json"
CLI_TIMEOUT_S = 900


def post_records(api: httpx.Client, scenario: ScenarioIn) -> None:
    """The scenario's records posted one by one (a coordinator's client), in file order:
    each outbound trip before its return."""
    for kind, items in records_from_scenario(scenario).items():
        for item in items:
            answer = api.post(f"/{kind}", json=item.model_dump(mode="json"))
            assert answer.status_code == 201, (kind, answer.text)


DEFAULT = "default"  # a parameter left to the command line's default


def plan_with_cli(scenario: Path, graph: Path, out: Path, *, max_solutions: int,
                  time_limit_s: float, seed: int | str = DEFAULT,
                  stall_solutions: int | None | str = DEFAULT,
                  searches: int | str = DEFAULT) -> dict[str, Any]:
    """`trasa plan SCENARIO` on `graph` with these parameters (stall_solutions None:
    never), the others left to its defaults: its plan.json."""
    given = {"--seed": seed, "--stall-solutions": stall_solutions, "--searches": searches}
    flags = [word for flag, value in given.items() if value != DEFAULT
             for word in (flag, str(value or 0))]
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "plan", str(scenario), "--graph", str(graph),
         "--max-solutions", str(max_solutions), "--time-limit", str(time_limit_s), *flags,
         "--quiet", "--out", str(out)],
        capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    plan: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return plan


def wait_job(api: httpx.Client, location: str, timeout_s: float = 600) -> dict[str, Any]:
    """The job at `location` once it has ended (done, failed or cancelled)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get(location).json()
        if job["status"] in {"done", "failed", "cancelled"}:
            return job
        time.sleep(0.5)
    raise AssertionError(f"{location}: not finished in {timeout_s} s")


def stops(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every stop of every route: worker, shift, task, action, place and times."""
    return [(route["worker"], route["shift"], s["task"], s["action"], s["location"],
             s["arrival"], s["start"], s["end"])
            for route in plan["routes"] for s in route["stops"]]


def unserved(plan: dict[str, Any]) -> list[str]:
    """The tasks left out, in the plan's order."""
    return [u["task"] for u in plan["unassigned"]]


def served(plan: dict[str, Any]) -> set[str]:
    """The tasks served (a trip once)."""
    return {s["task"] for route in plan["routes"] for s in route["stops"]}
