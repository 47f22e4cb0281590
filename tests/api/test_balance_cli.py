"""`trasa plan --balance`: the workers' days evened out from the command line (issue 31),
on Chełm's roads: six visits at one house go to one worker when travel alone counts, and
are shared when visits are balanced."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.api.cli_run import trasa

ROOT = Path(__file__).resolve().parents[2]


def _scenario() -> dict[str, object]:
    base = {"id": "cus", "name": "CUS", "lat": 51.132, "lon": 23.478}
    home = {"id": "home-01", "lat": 51.118, "lon": 23.46}
    return {
        "name": "balance", "date": "2026-12-08", "timezone": "Europe/Warsaw",
        "locations": [base, home], "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "clients": [{"id": "c1", "name": "Zofia", "location": "home-01"}],
        "workers": [{"id": f"w{k}", "name": f"W{k}", "provider": "cus", "skills": ["care"],
                     "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "cus"}
                    for k in (1, 2)],
        "tasks": [{"id": f"t{k}", "kind": "visit", "client": "c1", "duration_min": 30,
                   "windows": [{"start": "08:00", "end": "16:00"}], "skills": ["care"]}
                  for k in range(6)],
    }


def _spread(tmp: Path, chelm_graph: Path, *more: str) -> int:
    out = tmp / ("balanced" if more else "plain")
    done = trasa(ROOT, "plan", str(tmp / "s.json"), "--graph", str(chelm_graph),
                 "--max-solutions", "50", "--quiet", "--out", str(out), *more)
    assert done.returncode == 0, done.stderr
    # set-up (network, matrices) and search are timed apart
    assert re.search(r"set-up \d+\.\d s \(road network and matrices\), search \d+\.\d s",
                     " ".join(done.stdout.split())), done.stdout
    kpis = json.loads((out / "plan.json").read_text(encoding="utf-8"))["kpis"]
    assert kpis["served"] == 6
    return int(kpis["visits_spread"])


def test_balanced_visits_are_shared(tmp_path: Path, chelm_graph: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps(_scenario()), encoding="utf-8")
    assert _spread(tmp_path, chelm_graph) == 6
    assert _spread(tmp_path, chelm_graph, "--balance", "visits") <= 2
