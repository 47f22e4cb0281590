"""The README's one-minute tour, run as written: `trasa plan docs/examples/two_workers.json
--graph ../shared/data/osm/Chelm_map.graphml --out out`, then `trasa check` and
`trasa sheets` of the plan it made, which read it back on the network the plan names
(its content hash). Another network is refused with exit 2; an older plan without a hash
is read back on the source it names, with a warning."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SOLVER_BUDGET = ["--max-solutions", "100", "--searches", "1"]  # stop by solutions, not time


def tour_commands() -> list[list[str]]:
    """The tour's `trasa` lines on two_workers.json, as the README writes them."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## A one-minute tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words and "docs/examples/two_workers.json" in words:
            assert words[0] == ".venv/bin/trasa", line
            commands.append(words[1:])
    return commands


def trasa(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory,
             shared_file: Callable[[str], Path]) -> Path:
    """A folder laid out like the repository beside ../shared (docs/ linked in), so the
    tour's relative paths hold and its `out/` is not written into the repository."""
    graph = shared_file("osm/Chelm_map.graphml")
    root = tmp_path_factory.mktemp("tour")
    (root / "trasa").mkdir()
    (root / "trasa" / "docs").symlink_to(REPO / "docs")
    (root / "shared").symlink_to(graph.parents[2])  # ../shared beside the checkout
    return root / "trasa"


@pytest.fixture(scope="module")
def toured(checkout: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    results = {}
    for words in tour_commands():
        extra = SOLVER_BUDGET if words[0] == "plan" else []
        results[words[0]] = trasa(checkout, *words, *extra)
    return results


def test_the_tour_plans_checks_and_writes_sheets_as_written(
        toured: dict[str, subprocess.CompletedProcess[str]], checkout: Path) -> None:
    assert list(toured) == ["plan", "check", "sheets"]
    for command, result in toured.items():
        assert result.returncode == 0, f"trasa {command}: {result.stdout}{result.stderr}"
    assert "passes the independent check" in " ".join(toured["check"].stdout.split())
    assert "NOT A REAL ROAD NETWORK" not in toured["check"].stdout
    plan = json.loads((checkout / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["network"]["source"] == "../shared/data/osm/Chelm_map.graphml"
    assert plan["network"]["content_hash"].startswith("sha256:")
    sheets = sorted(p.name for p in (checkout / "out" / "sheets").iterdir())
    assert {"fix-cus-2026-11-24.html", "fix-cus-2026-11-24.pdf"} <= set(sheets)


def _edited(checkout: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads((checkout / "out" / "plan.json").read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "sheets"])
def test_another_network_given_with_graph_is_refused_with_exit_2(
        toured: Any, checkout: Path, tmp_path: Path, command: str) -> None:
    extra = ["--out", str(tmp_path / "sheets")] if command == "sheets" else []
    result = trasa(checkout, command, "docs/examples/two_workers.json", "out/plan.json",
                   "--graph", "../shared/data/osm/Zalipie_map.graphml", *extra)
    assert result.returncode == 2, result.stdout + result.stderr
    error = " ".join(result.stderr.split())
    assert error.startswith("error: network.content_hash: the plan was made on a road network "
                            "with hash 'sha256:")
    assert "--graph '../shared/data/osm/Zalipie_map.graphml' has 'sha256:" in error
    assert not (tmp_path / "sheets").exists()


def test_a_plan_whose_recorded_hash_is_not_its_named_networks_is_refused(
        toured: Any, checkout: Path, tmp_path: Path) -> None:
    plan = _edited(checkout, tmp_path, lambda d: d["network"].update(
        content_hash="sha256:" + "0" * 64))
    result = trasa(checkout, "check", "docs/examples/two_workers.json", str(plan))
    assert result.returncode == 2, result.stdout + result.stderr
    error = " ".join(result.stderr.split())
    assert f"hash 'sha256:{'0' * 64}', but the plan's network.source " \
           "'../shared/data/osm/Chelm_map.graphml' has 'sha256:" in error


def test_an_older_plan_without_a_hash_is_read_on_its_named_source_with_a_warning(
        toured: Any, checkout: Path, tmp_path: Path) -> None:
    plan = _edited(checkout, tmp_path, lambda d: d["network"].pop("content_hash"))
    result = trasa(checkout, "check", "docs/examples/two_workers.json", str(plan))
    assert result.returncode == 0, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert "warning: the plan records no content hash of its road network" in out
    assert "the plan's network.source '../shared/data/osm/Chelm_map.graphml'" in out
    assert "passes the independent check" in out
