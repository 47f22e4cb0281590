"""The `trasa plan` command, run for real in a subprocess on the tiny Zalipie road network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import osmnx as ox
import pytest

from tests.api.cli_run import trasa

ZALIPIE = "osm/Zalipie_map.graphml"


@pytest.fixture(scope="module")
def zalipie(shared_file: Callable[[str], Path]) -> Path:
    return shared_file(ZALIPIE)


@pytest.fixture(scope="module")
def zalipie_points(zalipie: Path) -> list[tuple[float, float]]:
    """Eight (lat, lon) points a few metres off real Zalipie road nodes, spread over the map."""
    G = ox.load_graphml(zalipie)
    nodes = sorted(G.nodes(data=True))
    lats = [d["y"] for _, d in nodes]
    lons = [d["x"] for _, d in nodes]
    picked = nodes[:: max(1, len(nodes) // 8)][:8]
    points = [(d["y"] + 0.0001, d["x"] - 0.0001) for _, d in picked]
    for lat, lon in points:  # inside the map's bbox (with the small offset)
        assert min(lats) - 0.001 <= lat <= max(lats) + 0.001
        assert min(lons) - 0.001 <= lon <= max(lons) + 0.001
    return points


def scenario(points: list[tuple[float, float]], graph: Path) -> dict[str, Any]:
    depot, *homes = points
    return {
        "name": "Zalipie CLI test",
        "date": "2026-11-24",
        "timezone": "Europe/Warsaw",
        "network": {"source": str(graph)},
        "locations": [{"id": "depot", "lat": depot[0], "lon": depot[1]}]
        + [{"id": f"home-{i}", "lat": lat, "lon": lon} for i, (lat, lon) in enumerate(homes)],
        "providers": [{"id": "cus", "name": "CUS Zalipie", "kind": "cus"},
                      {"id": "pes", "name": "Spółdzielnia", "kind": "pes"}],
        "clients": [{"id": f"c{i}", "location": f"home-{i}"} for i in range(len(homes))],
        "workers": [
            {"id": "anna", "provider": "cus", "skills": ["physio"],
             "shifts": [{"start": "08:00", "end": "16:00"}], "start_location": "depot"},
            {"id": "jan", "provider": "pes", "skills": ["plumbing"],
             "shifts": [{"start": "2026-11-24T14:00:00+01:00", "end": "20:00"}],
             "start_location": "depot"},
        ],
        "tasks": [
            {"id": "v0", "kind": "visit", "client": "c0", "duration_min": 45,
             "windows": [{"start": "09:00", "end": "11:00"}], "skills": ["physio"]},
            {"id": "v1", "kind": "visit", "client": "c1", "duration_min": 60,
             "windows": [{"start": "08:30", "end": "10:30"}, {"start": "13:00", "end": "15:30"}]},
            {"id": "v2", "kind": "visit", "client": "c2", "duration_min": 45,
             "windows": [{"start": "11:00", "end": "14:00"}]},
            {"id": "j3", "kind": "job", "client": "c3", "duration_min": 90,
             "windows": [{"start": "14:00", "end": "19:00"}], "skills": ["plumbing"]},
            {"id": "j4", "kind": "job", "location": "home-4", "duration_min": 30,
             "windows": [{"start": "15:00", "end": "18:00"}], "priority": "high"},
        ],
    }


def write_scenario(folder: Path, data: dict[str, Any] | str, name: str = "day.json") -> Path:
    path = folder / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    return path


def plan_args(scenario_path: Path, out: Path, *extra: str) -> list[str]:
    return ["plan", str(scenario_path), "--out", str(out), "--max-solutions", "100", "--quiet",
            *extra]


def one_line(text: str) -> str:
    """stderr with line breaks removed, in case a terminal-width wrap split a long token."""
    return "".join(text.splitlines())


def flat(text: str) -> str:
    """Terminal output with rich's line wrapping undone (wraps fall between words)."""
    return " ".join(text.split())


# ----------------------------------------------------------------------------- success


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory, zalipie: Path,
            zalipie_points: list[tuple[float, float]]) -> tuple[subprocess.CompletedProcess[str],
                                                                dict[str, Any], Path]:
    folder = tmp_path_factory.mktemp("cli-ok")
    data = scenario(zalipie_points, zalipie)
    path = write_scenario(folder, data)
    result = trasa(folder, *plan_args(path, folder / "out"))
    return result, data, folder / "out" / "plan.json"


def test_plan_command_exits_0_and_writes_plan_json(planned: Any) -> None:
    result, _, plan_file = planned
    assert result.returncode == 0, result.stderr
    assert plan_file.is_file()


def test_written_plan_passed_the_independent_check(planned: Any) -> None:
    _, _, plan_file = planned
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert plan["check"] == {"passed": True, "violations": []}
    assert plan["network"]["synthetic"] is False


def test_every_task_is_either_in_a_route_or_unassigned_exactly_once(planned: Any) -> None:
    _, data, plan_file = planned
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    served = [s["task"] for r in plan["routes"] for s in r["stops"]]
    unassigned = [u["task"] for u in plan["unassigned"]]
    assert sorted(served + unassigned) == sorted(t["id"] for t in data["tasks"])
    assert served, "an easy day on a tiny map should serve at least one task"


def test_all_plan_times_are_iso_strings_with_an_offset(planned: Any) -> None:
    _, _, plan_file = planned
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    times = [r[key] for r in plan["routes"] for key in ("start", "end")]
    times += [s[key] for r in plan["routes"] for s in r["stops"]
              for key in ("arrival", "start", "end")]
    times += [b[key] for r in plan["routes"] for b in r["breaks"] for key in ("start", "end")]
    assert times
    for text in times:
        assert isinstance(text, str)
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() is not None, text
        assert text.endswith("+01:00"), text  # CET on 2026-11-24
        assert moment.date().isoformat() == "2026-11-24"


def test_served_stops_lie_inside_a_window_of_their_task(planned: Any) -> None:
    _, data, plan_file = planned
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    windows = {"v0": [("09:00", "11:00")], "v1": [("08:30", "10:30"), ("13:00", "15:30")],
               "v2": [("11:00", "14:00")], "j3": [("14:00", "19:00")],
               "j4": [("15:00", "18:00")]}
    assert set(windows) == {t["id"] for t in data["tasks"]}
    for route in plan["routes"]:
        for stop in route["stops"]:
            start = datetime.fromisoformat(stop["start"]).strftime("%H:%M")
            end = datetime.fromisoformat(stop["end"]).strftime("%H:%M")
            assert any(a <= start and end <= b for a, b in windows[stop["task"]]), stop


# ----------------------------------------------------------------------------- bad input


def test_malformed_json_exits_2_and_names_the_file(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, '{"date": "2026-11-24", "locations": [', name="broken.json")
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 2
    assert "broken.json" in one_line(result.stderr)
    assert not (tmp_path / "out" / "plan.json").exists()


def test_missing_scenario_file_exits_2_and_names_the_file(tmp_path: Path) -> None:
    result = trasa(tmp_path, *plan_args(tmp_path / "nowhere.json", tmp_path / "out"))
    assert result.returncode == 2
    assert "nowhere.json" in one_line(result.stderr)


def test_scenario_with_bad_field_exits_2_naming_the_field_and_value(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]]) -> None:
    data = scenario(zalipie_points, zalipie)
    data["tasks"][2]["duration_min"] = -15
    path = write_scenario(tmp_path, data)
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 2
    assert "tasks[2].duration_min" in result.stderr
    assert "-15" in result.stderr
    assert not (tmp_path / "out" / "plan.json").exists()


def test_scenario_with_reversed_shift_exits_2_naming_the_field_and_value(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]]) -> None:
    data = scenario(zalipie_points, zalipie)
    data["workers"][0]["shifts"] = [{"start": "16:00", "end": "08:00"}]
    path = write_scenario(tmp_path, data)
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 2
    assert "workers[0].shifts[0]" in result.stderr
    assert "16:00" in result.stderr


def test_missing_graph_file_exits_2_and_names_the_path(
        tmp_path: Path, zalipie_points: list[tuple[float, float]]) -> None:
    missing = tmp_path / "maps" / "no_such_town.graphml"
    path = write_scenario(tmp_path, scenario(zalipie_points, missing))
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 2
    assert str(missing) in result.stderr
    assert not (tmp_path / "out" / "plan.json").exists()


def test_missing_graph_given_with_graph_option_exits_2_and_names_the_path(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]]) -> None:
    missing = tmp_path / "no_such_town.graphml"
    path = write_scenario(tmp_path, scenario(zalipie_points, zalipie))
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out", "--graph", str(missing)))
    assert result.returncode == 2
    assert str(missing) in result.stderr


def test_task_needing_a_skill_nobody_has_is_refused_before_solving_and_nothing_written(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]]) -> None:
    data = scenario(zalipie_points, zalipie)
    data["tasks"][1]["skills"] = ["roofing"]
    path = write_scenario(tmp_path, data)
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "tasks[1].skills: 'roofing' is a skill no worker has" in one_line(result.stderr)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("option", "value"), [("--time-limit", "0"), ("--max-solutions", "0")])
def test_non_positive_solver_limit_exits_2_naming_the_option_without_a_traceback(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]],
        option: str, value: str) -> None:
    path = write_scenario(tmp_path, scenario(zalipie_points, zalipie))
    args = ["plan", str(path), "--out", str(tmp_path / "out"), "--quiet", option, value]
    result = trasa(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert option.removeprefix("--").replace("-", "_") in result.stderr.replace("-", "_")


# ----------------------------------------------------------------------------- check mode


def test_check_command_passes_the_plan_it_wrote(planned: Any, zalipie: Path) -> None:
    _, _, plan_file = planned
    folder = plan_file.parent.parent
    result = trasa(folder, "check", str(folder / "day.json"), str(plan_file))
    assert result.returncode == 0, result.stderr
    assert "passes the independent check" in flat(result.stdout)


def test_check_command_exits_1_naming_the_rule_of_a_hand_edited_plan(
        planned: Any, tmp_path: Path) -> None:
    _, _, plan_file = planned
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    route = next(r for r in document["routes"] if r["stops"])
    route["stops"][0]["start"] = "2026-11-24T05:00:00+01:00"  # before every window and shift
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    result = trasa(plan_file.parent.parent, "check", "day.json", str(edited))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "violation" in result.stderr and "[" in result.stderr  # "[rule] message" lines


def test_check_command_exits_2_naming_a_bad_field_of_the_plan(planned: Any,
                                                              tmp_path: Path) -> None:
    _, _, plan_file = planned
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["routes"][0]["start"] = "half past eight"
    edited = tmp_path / "bad.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    result = trasa(plan_file.parent.parent, "check", "day.json", str(edited))
    assert result.returncode == 2
    assert "routes[0].start: 'half past eight' is not an ISO 8601 date-time" in one_line(
        result.stderr)
    assert "Traceback" not in result.stderr


# ----------------------------------------------------------------------------- output and demo


def test_out_naming_an_existing_file_exits_2_and_leaves_the_file_alone(
        tmp_path: Path, zalipie: Path, zalipie_points: list[tuple[float, float]]) -> None:
    path = write_scenario(tmp_path, scenario(zalipie_points, zalipie))
    taken = tmp_path / "taken"
    taken.write_text("keep me", encoding="utf-8")
    result = trasa(tmp_path, *plan_args(path, taken))
    assert result.returncode == 2
    assert f"--out: '{taken}' is a file, not a folder" in one_line(result.stderr)
    assert "Traceback" not in result.stderr
    assert taken.read_text(encoding="utf-8") == "keep me"


def test_unloadable_network_with_fallback_prints_the_banner_and_flags_the_plan(
        tmp_path: Path, zalipie_points: list[tuple[float, float]]) -> None:
    data = scenario(zalipie_points, tmp_path / "missing.graphml")
    data["network"]["fallback_grid"] = True
    path = write_scenario(tmp_path, data)
    result = trasa(tmp_path, *plan_args(path, tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "NOT A REAL ROAD NETWORK" in flat(result.stdout)
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["network"]["synthetic"] is True
    assert "NOT A REAL ROAD NETWORK" in plan["network"]["warning"]
    assert plan["check"]["passed"] is True


def test_demo_plans_the_embedded_scenario_from_any_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    env["TRASA_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, "-m", "api.cli.main", "demo", "--max-solutions", "30", "--quiet",
         "--out", str(tmp_path / "demo")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    plan = json.loads((tmp_path / "demo" / "plan.json").read_text(encoding="utf-8"))
    assert plan["check"]["passed"] is True
    assert plan["scenario"] and plan["kpis"]["served"] > 0
    # Offline the demo falls back to a generated grid, and then it must say so.
    assert ("NOT A REAL ROAD NETWORK" in flat(result.stdout)) == plan["network"]["synthetic"]


def test_the_entry_point_imports_no_command_so_spawned_searches_start_at_once():
    # Side-by-side searches and the server's job pool are spawned processes that import the
    # main module first; with every command behind it they lost ~6 s of a 10 s limit.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, api.cli.main; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert "api.cli.main" in loaded
    heavy = {"api.cli.common", "api.cli.plan", "optimiser", "geo", "weasyprint", "matplotlib",
             "osmnx"}
    assert heavy.isdisjoint(loaded)
