"""What-if sweeps on the real Chełm roads: the same rows serially, on a local pool and on
a Dask LocalCluster; resuming; more staff never serves fewer mandatory tasks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from api.schemas.sweep_row import Row
from api.services.sweep import SweepError, read_sweep
from api.services.sweep_runs import monotonicity_flags, run_dask, run_local, run_serial, run_sweep
from tests.api.sweep_data import sweep_scenario


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory: pytest.TempPathFactory,
               shared_file: Callable[[str], Path]) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "day.json").write_text(json.dumps(sweep_scenario()), encoding="utf-8")
    spec = {"scenario": "day.json", "seed": 0, "max_solutions": 40,
            "graph": str(shared_file("osm/Chelm_map.graphml")),
            "templates": {"physio": {"worker": "ewa"}, "bus": {"vehicle": "bus", "driver": "jan"},
                          "pes_evening": {"worker": "kasia",
                                          "shift": {"start": "09:00", "end": "11:30"}}},
            "vary": {"physio": [1, 2], "bus": [0, 1], "pes_evening": [0, 1]},
            "rates": {"per_km": 1.2, "per_hour": {"cus": 55, "pes": 48},
                      "per_vehicle_day": 150}}
    path = folder / "sweep.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def serial_rows(sweep_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Row]:
    return run_sweep(read_sweep(sweep_file), tmp_path_factory.mktemp("serial"), run_serial)


def test_the_grid_has_a_row_per_variant_with_its_staff(serial_rows: list[Row]) -> None:
    assert [r.variant for r in serial_rows][:2] == ["physio=1,bus=0,pes_evening=0",
                                                     "physio=1,bus=0,pes_evening=1"]
    assert len(serial_rows) == 8
    by = {r.variant: r for r in serial_rows}
    base = by["physio=1,bus=1,pes_evening=0"]
    assert (base.workers, base.vehicles) == (3, 1)  # the scenario as it is
    assert (by["physio=2,bus=0,pes_evening=1"].workers,
            by["physio=2,bus=0,pes_evening=1"].vehicles) == (4, 0)  # +physio, -bus, +PES
    assert by["physio=1,bus=0,pes_evening=0"].served_share_by_service["transport"] == 0
    assert base.served_share_by_service["transport"] == 1
    for row in serial_rows:
        assert row.served + sum(row.unassigned_by_reason.values()) == row.tasks
    # One physio serves two of the four 09-11 visits; a second, or the PES shift, more.
    assert by["physio=2,bus=1,pes_evening=1"].served > base.served


def test_more_staff_never_serves_fewer_mandatory_tasks_and_a_break_would_be_flagged(
        serial_rows: list[Row]) -> None:
    assert monotonicity_flags(serial_rows) == []
    worse = Row(**{**serial_rows[-1].__dict__, "mandatory_unassigned": 99})
    flags = monotonicity_flags([*serial_rows[:-1], worse])
    assert flags and all(f.startswith(worse.variant) for f in flags)


def test_the_local_pool_and_a_dask_cluster_give_the_same_rows(
        sweep_file: Path, serial_rows: list[Row], tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    sweep = read_sweep(sweep_file)
    assert run_sweep(sweep, tmp_path / "pool", run_local(2)) == serial_rows
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert run_sweep(sweep, tmp_path / "dask", run_dask(client)) == serial_rows


def test_a_sweep_stopped_half_way_resumes_with_the_rows_it_has(
        sweep_file: Path, serial_rows: list[Row], tmp_path: Path) -> None:
    (tmp_path / "rows.jsonl").write_text(
        "".join(json.dumps(r.__dict__) + "\n" for r in serial_rows[:5]), encoding="utf-8")
    solved: list[int] = []
    rows = run_sweep(read_sweep(sweep_file), tmp_path, run_serial,
                     progress=lambda done, total: solved.append(done))
    assert rows == serial_rows and solved == [6, 7, 8]  # only the three missing
    assert len(json.loads((tmp_path / "rows.json").read_text(encoding="utf-8"))) == 8
    assert (tmp_path / "rows.csv").read_text(encoding="utf-8").count("\n") == 9


def test_a_bad_sweep_file_names_the_field(sweep_file: Path, tmp_path: Path) -> None:
    spec = json.loads(sweep_file.read_text(encoding="utf-8"))
    (tmp_path / "day.json").write_text(json.dumps(sweep_scenario()), encoding="utf-8")
    for change, field in (({"vary": {"nobody": [1]}}, "vary.nobody"),
                          ({"templates": {**spec["templates"], "physio": {"worker": "zenon"}}},
                           "templates.physio"),
                          ({"max_solutions": 0}, "max_solutions")):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**spec, **change}), encoding="utf-8")
        with pytest.raises(SweepError, match=field):
            read_sweep(bad)


def test_the_frontier_holds_only_undominated_variants_and_the_report_shows_every_row(
        serial_rows: list[Row], tmp_path: Path) -> None:
    from api.render.sweep_charts import frontier, sweep_report_html, write_charts

    best = frontier(serial_rows)
    assert best
    for r in best:
        assert not any(o.served >= r.served and o.cost < r.cost for o in serial_rows)
    for r in serial_rows:  # every other variant is matched or beaten by one on the frontier
        assert r in best or any(b.served >= r.served and b.cost <= r.cost for b in best)
    pngs = write_charts(serial_rows, tmp_path)
    assert set(pngs) == {"served", "cost", "pes"}
    for name, png in pngs.items():
        assert png.startswith(b"\x89PNG")
        assert (tmp_path / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    html = sweep_report_html(serial_rows, pngs, [], "test")
    assert all(r.variant in html for r in serial_rows)


def test_trasa_sweep_takes_a_scenario_with_vary_options(
        sweep_file: Path, serial_rows: list[Row], tmp_path: Path,
        shared_file: Callable[[str], Path]) -> None:
    from api.cli.main import main

    out = tmp_path / "out"
    code = main(["sweep", str(sweep_file.with_name("day.json")), "--vary", "workers.ewa=1..2",
                 "--vary", "vehicles.bus=0..1", "--vary", "shifts.kasia@09:00-11:30=0..1",
                 "--max-solutions", "40", "--graph", str(shared_file("osm/Chelm_map.graphml")),
                 "--out", str(out), "--jobs", "1"])
    assert code == 0
    rows = json.loads((out / "rows.json").read_text(encoding="utf-8"))
    assert len(rows) == 8 and {"served.png", "cost.svg", "report.html"} <= {
        p.name for p in out.iterdir()}
    served = {r["variant"].replace("workers.ewa", "physio").replace("vehicles.bus", "bus")
              .replace("shifts.kasia@09:00-11:30", "pes_evening"): r["served"] for r in rows}
    assert served == {r.variant: r.served for r in serial_rows}  # the file's grid, same rows
    assert main(["sweep", str(sweep_file.with_name("day.json")), "--vary", "workers.ewa=2",
                 "--out", str(tmp_path / "bad")]) == 2
