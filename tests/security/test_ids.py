"""Issue 27, row 13: one id rule, on every path (a scenario file, the records API): no
slash or backslash, not `.` or `..`, nothing unprintable; the ids Trasa makes pass it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from api.convert.scenario import ScenarioError, parse_scenario, read_scenario
from api.schemas.records import records_from_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "scenarios" / "starachowice_week.json"
BAD = ["a/b", "..", ".", "back\\slash", "tab\there", "bell\x07"]


@pytest.mark.parametrize("bad", BAD)
def test_a_scenario_with_a_bad_task_id_is_refused_naming_the_field(bad: str) -> None:
    raw = json.loads((ROOT / "docs" / "examples" / "two_workers.json").read_text())
    raw["tasks"][0]["id"] = bad
    with pytest.raises(ScenarioError, match=r"tasks\[0\]\.id"):
        parse_scenario(raw)


def test_every_id_of_the_shipped_week_and_of_its_records_passes_the_rule() -> None:
    scenario = read_scenario(DEMO)  # series sessions "#k", homes, bases
    assert records_from_scenario(scenario)["tasks"]


@pytest.mark.parametrize("bad", ["..", "a\\b", "x\x01"])
def test_the_records_api_refuses_a_bad_id_with_422(coordinator: httpx.Client,
                                                   bad: str) -> None:
    answer = coordinator.post("/providers", json={"id": bad, "name": "PES", "kind": "pes"})
    assert answer.status_code == 422, answer.text
    assert "id" in answer.text
