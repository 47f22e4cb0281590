"""The HTTP mode of benchmarks.replan in a small mode: a real demo server re-plans a
sick worker's day as the page asks it, and, both stopped by the same solution count and
seed, gives the plan `trasa replan` gives on the same day."""

from __future__ import annotations

import re

import pytest

from benchmarks.replan import main


def test_re_planning_over_http_times_each_run_and_gives_trasa_replans_plan(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--http", "--runs", "1", "--pause", "2", "--plan-max-solutions", "30",
                 "--same-max-solutions", "15"])
    out = capsys.readouterr().out
    timed = next(line for line in out.splitlines() if line.startswith("replan_http:"))
    figures = dict(re.findall(r"(\w+)=(\S+)", timed))
    assert figures["runs"] == "1" and float(figures["median_s"]) > 0, timed
    assert re.search(r"^same plan: yes \(\d+ stops, \d+ left out\)$", out, re.M), out
    assert code == 0, out
