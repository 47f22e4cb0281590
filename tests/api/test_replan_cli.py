"""`trasa replan PLAN EVENTS --now` run for real on the Chełm road network: a new checked
plan with its changes, sheets only for the workers whose day changed, read back by
`trasa check`; a refused event exits 2 naming it and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.cli_run import trasa

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "two_workers.json"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, chelm_graph: Path) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("replan")
    done = trasa(folder, "plan", str(EXAMPLE), "--graph", str(chelm_graph), "--out", "v1",
                 "--max-solutions", "40", "--searches", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    document = json.loads((folder / "v1" / "plan.json").read_text("utf-8"))
    return {"folder": folder, "document": document, "graph": chelm_graph}


def _replan(published: dict[str, Any], events: dict[str, Any], *extra: str) -> Any:
    folder: Path = published["folder"]
    (folder / "events.json").write_text(json.dumps(events), "utf-8")
    return trasa(folder, "replan", "v1/plan.json", "events.json", "--scenario", str(EXAMPLE),
                 "--graph", str(published["graph"]), "--max-solutions", "30", "--no-pdf",
                 *extra)


def test_replan_writes_a_checked_version_and_sheets_of_changed_workers_only(
        published: dict[str, Any]) -> None:
    routes = published["document"]["routes"]
    first = min((s for r in routes for s in r["stops"]), key=lambda s: s["start"])
    later = max((s for r in routes for s in r["stops"]), key=lambda s: s["start"])
    who = next(r["worker"] for r in routes if later in r["stops"])
    now = first["start"][11:16]
    done = _replan(published, {"events": [{"kind": "cancelled", "task": later["task"]}]},
                   "--now", now, "--out", "v2")
    assert done.returncode == 0, done.stderr
    assert "cancelled" in done.stdout and "independent check: passed" in done.stdout
    folder: Path = published["folder"]
    new = json.loads((folder / "v2" / "plan.json").read_text("utf-8"))
    assert new["check"]["passed"]
    assert later["task"] not in [s["task"] for r in new["routes"] for s in r["stops"]]
    block = new["replanning"]
    assert block["facts"]["cancelled"] == [later["task"]]
    assert who in block["changed_workers"]
    sheets = {p.name.rsplit("-", 3)[0] for p in (folder / "v2" / "sheets").glob("*.html")}
    assert sheets == set(block["changed_workers"])  # only whose day changed
    assert (folder / "v2" / "plan.geojson").exists()
    check = trasa(folder, "check", str(EXAMPLE), "v2/plan.json", "--graph",
                  str(published["graph"]))
    assert check.returncode == 0, check.stderr  # reads back as the day happened


def test_a_refused_event_exits_2_naming_it_and_writes_nothing(
        published: dict[str, Any]) -> None:
    done = _replan(published, {"now": "09:00", "events": [
        {"kind": "late", "task": "no-such-visit", "minutes": 10}]}, "--out", "bad")
    assert done.returncode == 2
    assert "events[0].task: unknown task 'no-such-visit'" in done.stderr
    assert not (published["folder"] / "bad").exists()
    done = _replan(published, {"now": "09:00", "events": [{"kind": "late", "task": "x"}]},
                   "--out", "bad")
    assert done.returncode == 2 and "minutes" in done.stderr
