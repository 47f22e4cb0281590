"""The sweep_cancel benchmark in a small mode: a 60-task sweep cancelled while a plan
started after it has already ended in its own time."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.sweep_cancel import main, thousand_task_day


def test_a_day_of_more_tasks_than_homes_doubles_the_clients(
        shared_file: Callable[[str], Path]) -> None:
    day = thousand_task_day(shared_file("osm/Chelm_map.graphml"), 1000)
    assert len(day["tasks"]) == 1000 and len({t["id"] for t in day["tasks"]}) == 1000
    assert {t["client"] for t in day["tasks"]} <= {c["id"] for c in day["clients"]}
    assert "network" not in day


def test_a_cancelled_sweep_stops_within_seconds_and_a_plan_is_not_held_up(
        shared_file: Callable[[str], Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--tasks", "60", "--max-solutions", "2000", "--plan-at", "3",
                 "--cancel-at", "20", "--plan-time-limit", "15", "--plan-max-solutions", "30",
                 "--graph", str(shared_file("osm/Chelm_map.graphml"))]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    figures = dict(re.findall(r"(\w+)=(\S+)", line))
    assert figures["status"] == "cancelled", line
    assert float(figures["stopped_after_s"]) <= 5, line
    # The plan waits for the sweep's process at most the grace a stop is given, and the
    # plan itself (budget-ended) takes what it takes alone on this machine now.
    assert float(figures["plan_took_s"]) <= float(figures["plan_alone_s"]) + 8, line
