"""Wrong input refused before solving on the command line: the people's Chełm files
(../shared/examples/people) exit 2 from `trasa plan`, `trasa check` and `trasa sheets`,
naming the field and the value, and nothing is written; `my_day.json` is planned."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from api.cli.main import main
from tests.api.refusals_data import REFUSED, people_file


def trasa(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def my_day_plan(tmp_path_factory: pytest.TempPathFactory,
                shared_file: Callable[[str], Path]) -> Path:
    """my_day.json planned on the real Chełm network: accepted, and a plan to check."""
    out = tmp_path_factory.mktemp("my-day") / "out"
    result = trasa(out.parent, "plan", str(people_file("my_day.json")), "--graph",
                   str(shared_file("osm/Chelm_map.graphml")), "--out", str(out),
                   "--max-solutions", "50", "--searches", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["check"]["passed"]
    return out / "plan.json"


def test_my_day_is_accepted_and_checked_on_the_network_its_plan_names(
        my_day_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(people_file("my_day.json")), str(my_day_plan)]) == 0
    assert "passes the independent check" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_trasa_plan_refuses_a_bad_file_with_exit_2_naming_field_and_value(
        name: str, tmp_path: Path, shared_file: Callable[[str], Path]) -> None:
    result = trasa(tmp_path, "plan", str(people_file(name)), "--graph",
                   str(shared_file("osm/Chelm_map.graphml")), "--out", str(tmp_path / "out"),
                   "--max-solutions", "50", "--searches", "1", "--quiet")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: {REFUSED[name]}" in "".join(result.stderr.splitlines())
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # refused before solving: nothing written


@pytest.mark.parametrize("command", ["check", "sheets"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_trasa_check_and_sheets_refuse_a_bad_file_with_exit_2(
        name: str, command: str, my_day_plan: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--out", str(tmp_path / "sheets"), "--no-pdf"] if command == "sheets" else []
    assert main([command, str(people_file(name)), str(my_day_plan), *extra]) == 2
    assert f"error: {REFUSED[name]}" in capsys.readouterr().err
    assert not (tmp_path / "sheets").exists()
