"""Promises in a scenario file, end to end on the command line: `tasks[i].promise` narrows
the task (a promise that fits no window is refused naming the field and value), the plan
document and the route sheet show it, and `trasa plan` / `trasa replan` that cannot keep
a promise exit 2 naming it and why, writing nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from api.convert.scenario import ScenarioError, parse_scenario
from api.services.planning import problem_without_travel
from tests.api.cli_run import trasa

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((REPO / "docs" / "examples" / "two_workers.json").read_text("utf-8"))
PROMISE = {"start": "16:00", "end": "16:30"}  # physio-01 (60 min): windows 9-11, 16-18


def _scenario(promise: dict[str, Any] | None = PROMISE, *, absent: bool = False
              ) -> dict[str, Any]:
    raw = copy.deepcopy(EXAMPLE)
    if promise is not None:
        raw["tasks"][0]["promise"] = promise
    if absent:  # the only physiotherapist is off that day
        raw["workers"][1]["absences"] = [{"start": "2026-11-24", "end": "2026-11-24"}]
    return raw


def test_a_promise_narrows_the_task_and_makes_it_mandatory() -> None:
    task = problem_without_travel(parse_scenario(_scenario())).task("physio-01")
    assert task.mandatory and task.promise is not None
    hhmm = [(w.start_s // 3600, w.start_s % 3600 // 60, w.end_s // 3600, w.end_s % 3600 // 60)
            for w in task.windows]
    assert hhmm == [(16, 0, 17, 30)]  # starts 16:00-16:30, each an hour long


@pytest.mark.parametrize("promise, message", [
    ({"start": "12:00", "end": "13:00"},
     "tasks[0].promise: {start '12:00', end '13:00'} fits none of the windows of 'physio-01'"),
    ({"start": "16:30", "end": "16:00"}, "tasks[0].promise: {start '16:30', end '16:00'}: end "
                                         "is not after start"),
    ({"start": "25:00", "end": "26:00"}, "tasks[0].promise.start"),
    ({"start": "16:00", "end": "16:30", "day": "2026-12-01"}, "tasks[0].promise.day"),
])
def test_a_promise_that_does_not_fit_is_refused_naming_the_field(
        promise: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        problem_without_travel(parse_scenario(_scenario(promise)))
    assert message in str(refused.value)


def test_a_week_promise_is_read_on_its_day_as_windows_are() -> None:
    raw = _scenario({"start": "09:00", "end": "09:30", "day": "thu"})
    raw["days"] = 3  # Tuesday to Thursday
    raw["tasks"][0]["windows"] = [{"start": "09:00", "end": "11:00", "day": "daily"}]
    problem = problem_without_travel(parse_scenario(raw))
    task = problem.task("physio-01")
    assert [problem.calendar.date_of(w.start_s).isoformat() for w in task.windows] == [
        "2026-11-26"]
    assert [problem.calendar.hhmm(w.start_s) + "-" + problem.calendar.hhmm(w.end_s)
            for w in task.windows] == ["09:00-10:30"]
    raw["tasks"][0]["promise"]["day"] = "fri"  # not in the horizon
    with pytest.raises(ScenarioError, match=r"tasks\[0\]\.promise\.day: 'fri' falls on 0"):
        problem_without_travel(parse_scenario(raw))


def test_a_series_cannot_carry_one_promise() -> None:
    raw = _scenario()
    raw["days"] = 3
    raw["tasks"][0]["series"] = {"sessions": 2}
    with pytest.raises(ScenarioError, match=r"tasks\[0\]\.promise: a series of 2 visits"):
        problem_without_travel(parse_scenario(raw))


def test_a_trip_promise_narrows_its_pickup() -> None:
    raw = json.loads((REPO / "docs" / "examples" / "senior_bus.json").read_text("utf-8"))
    trip = raw["trips"][0]
    trip["promise"] = {"start": "07:30", "end": "07:50"}
    scenario = parse_scenario(raw)
    task = problem_without_travel(scenario).task(trip["id"])
    assert task.mandatory and task.promise is not None
    assert all(w.start_s >= task.promise.start_s for w in task.windows)
    trip["promise"]["day"] = "2026-11-24"
    with pytest.raises(ScenarioError, match=r"trips\[0\]\.promise\.day"):
        problem_without_travel(parse_scenario(raw))


def _plan(folder: Path, raw: dict[str, Any], out: str, *extra: str) -> Any:
    (folder / "scenario.json").write_text(json.dumps(raw), "utf-8")
    return trasa(folder, "plan", "scenario.json", "--out", out, "--max-solutions", "40",
                 "--searches", "1", "--quiet", *extra)


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("promises")
    done = _plan(folder, _scenario(), "v1", "--sheets", "--no-pdf")
    assert done.returncode == 0, done.stderr
    return folder


def test_the_plan_keeps_the_promise_and_shows_it_on_the_stop_and_the_sheet(kept: Path) -> None:
    document = json.loads((kept / "v1" / "plan.json").read_text("utf-8"))
    stops = {s["task"]: s for r in document["routes"] for s in r["stops"]}
    assert stops["physio-01"]["promise"] == {"start": "2026-11-24T16:00:00+01:00",
                                             "end": "2026-11-24T16:30:00+01:00"}
    assert "16:00" <= stops["physio-01"]["start"][11:16] <= "16:30"
    assert stops["physio-02"]["promise"] is None
    sheet = next((kept / "v1" / "sheets").glob("physio-pes*.html")).read_text("utf-8")
    assert "obiecane 16:00–16:30" in sheet


def test_a_plan_that_cannot_keep_a_promise_exits_2_naming_it_and_writes_nothing(
        kept: Path) -> None:
    done = _plan(kept, _scenario(absent=True), "refused")
    assert done.returncode == 2, done.stdout
    assert "'physio-01' promised 16:00-16:30 on 2026-11-24" in done.stderr
    assert "no qualified worker is available" in done.stderr  # why
    assert "nothing is published" in done.stderr
    assert not (kept / "refused").exists()


def test_a_replan_that_cannot_keep_a_promise_exits_2_naming_it_and_writes_nothing(
        kept: Path) -> None:
    (kept / "scenario.json").write_text(json.dumps(_scenario()), "utf-8")
    (kept / "events.json").write_text(json.dumps({"now": "12:00", "events": [
        {"kind": "worker_unavailable", "worker": "physio-pes", "from": "15:00"}]}), "utf-8")
    done = trasa(kept, "replan", "v1/plan.json", "events.json", "--scenario",
                 "scenario.json", "--max-solutions", "30", "--no-pdf", "--out", "v2")
    assert done.returncode == 2, done.stdout
    assert "the re-plan cannot keep 1 promise(s)" in done.stderr
    assert "'physio-01' promised 16:00-16:30" in done.stderr
    assert not (kept / "v2").exists()
