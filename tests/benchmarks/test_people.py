"""The people benchmark's counter: 0 on a planned demo Saturday (from the file and from its
records), and it does count a plan doctored to take a client two places at once, leave a
trip pair half-served and fetch a return from the wrong place."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.convert.scenario import parse_scenario
from benchmarks.people import (
    DEMO,
    SCENARIOS,
    count_people,
    from_records,
    main,
    planned_document,
)
from optimiser.params import SolveParams

BUDGET = SolveParams(time_limit_s=120, max_solutions=20)


@pytest.fixture(scope="module")
def saturday() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((SCENARIOS / DEMO["saturday"]).read_text(encoding="utf-8"))
    return raw


@pytest.fixture(scope="module")
def saturday_plan(saturday: dict[str, Any], starachowice_grid: Path) -> dict[str, Any]:
    document, _ = planned_document(from_records(parse_scenario(saturday)), starachowice_grid,
                                   BUDGET)
    return document


def test_the_demo_saturday_from_its_records_has_no_one_in_two_places(
        saturday: dict[str, Any], saturday_plan: dict[str, Any]) -> None:
    count = count_people(saturday, saturday_plan)
    assert count.findings == ()
    assert count.total == len(saturday["tasks"]) + len(saturday["trips"]) == 14
    high = [t for t in saturday["tasks"] + saturday["trips"]
            if t.get("priority") in ("high", "urgent")]
    assert 0 < count.served <= count.total and count.high_total == len(high) > 0


def _stops(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for r in plan["routes"] for s in r["stops"]]


def test_the_counter_counts_a_doctored_plan(saturday: dict[str, Any],
                                            saturday_plan: dict[str, Any]) -> None:
    trips = {t["id"]: t for t in saturday["trips"]}
    served = {s["task"] for s in _stops(saturday_plan)}
    pairs = [(t["return_of"], t["id"]) for t in trips.values()
             if t.get("return_of") in served and t["id"] in served]
    visits = [s for s in _stops(saturday_plan) if s["action"] == "serve"]
    assert pairs and visits, "the plan serves a trip pair and a visit to doctor"
    out, back = pairs[0]
    client = trips[out]["client"]
    home = next(c["location"] for c in saturday["clients"] if c["id"] == client)
    place = next(x for x in saturday["locations"] if x["id"] == home)
    boards = next(s for s in _stops(saturday_plan) if (s["task"], s["action"]) == (out, "pickup"))

    into_absence = copy.deepcopy(saturday_plan)  # another visit at their home while away
    visit = next(s for s in _stops(into_absence) if s["task"] == visits[0]["task"])
    on_board = datetime.fromisoformat(boards["end"])
    visit.update(client=client, location=home, lat=place["lat"], lon=place["lon"],
                 start=on_board.isoformat(), end=(on_board + timedelta(minutes=10)).isoformat())
    assert len(count_people(saturday, into_absence).clashes) >= 1

    half = copy.deepcopy(saturday_plan)  # taken there, never fetched
    for route in half["routes"]:
        route["stops"] = [s for s in route["stops"] if s["task"] != back]
    assert len(count_people(saturday, half).half_pairs) == 1

    wrong = copy.deepcopy(saturday_plan)  # fetched from home, not from the clinic
    fetch = next(s for s in _stops(wrong) if (s["task"], s["action"]) == (back, "pickup"))
    fetch.update(location=home, lat=place["lat"], lon=place["lon"])
    assert len(count_people(saturday, wrong).misplaced_returns) == 1
    assert count_people(saturday, saturday_plan).findings == ()  # the copies were copies


def test_the_benchmark_prints_a_row_per_path_and_the_summary(
        starachowice_grid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--days", "saturday", "--max-solutions", "20",
                 "--graph", str(starachowice_grid)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("# machine:") and "max_solutions=20" in lines[0]
    assert [x.split()[:2] for x in lines if x.startswith("saturday")] == [
        ["saturday", "file"], ["saturday", "records"]]
    assert lines[-1].startswith("people: rows=2 clashes=0 half_pairs=0 misplaced_returns=0 ")
