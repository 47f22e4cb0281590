"""The first `trasa plan` after installing, on a cold compile cache (an empty numba cache
folder): the search steps are compiled once, before the searches start, and each is
written to the cache once (not by both searches side by side, inside their time
limit); the next plan compiles nothing. `trasa warm-up` fills the cache the same way."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "docs" / "examples" / "two_workers.json"  # visits: the VRPTW steps
BUDGET = ["--searches", "2", "--max-solutions", "50", "--quiet"]  # by solutions, not time
SAVED = re.compile(r"\[cache\] data saved to '([^']+)'")


def trasa(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
           "NUMBA_DEBUG_CACHE": "1"}  # numba says each cache file it writes and reads
    return subprocess.run([sys.executable, "-m", "api.cli.main", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)


def test_a_first_plan_writes_each_step_once_and_the_next_plan_compiles_nothing(
        tmp_path: Path) -> None:
    first = trasa(tmp_path, "plan", str(SCENARIO), "--out", "first", *BUDGET)
    assert first.returncode == 0, first.stderr
    saved = Counter(SAVED.findall(first.stdout))
    assert any("vrptw_loop.run" in path for path in saved), first.stdout[-2000:]
    assert [path for path, times in saved.items() if times > 1] == []

    again = trasa(tmp_path, "plan", str(SCENARIO), "--out", "again", *BUDGET)
    assert again.returncode == 0, again.stderr
    assert SAVED.findall(again.stdout) == []
    assert "data loaded" in again.stdout  # the searches did run the compiled steps

    warm = trasa(tmp_path, "warm-up")
    assert warm.returncode == 0, warm.stderr
    assert "search steps ready in" in warm.stdout and SAVED.findall(warm.stdout) == []
