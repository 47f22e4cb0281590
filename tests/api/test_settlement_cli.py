"""`trasa settlement` and `trasa report --actuals` as a user runs them: files written, and
bad actuals, rates or providers an error naming the flag, the field and the value."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.api.cli_run import trasa
from tests.api.report_data import WEEK_46

ACTUALS = """task_id,outcome,start,end,reason
care-2,done,2026-11-11T10:00:00+01:00,2026-11-11T12:30:00+01:00,
fix-1,absent,,,
care-3,done,2026-11-15T23:00:00+01:00,2026-11-16T00:30:00+01:00,
"""
RATES = """[rates]
per_hour = { "pes-opieka" = 40.0 }
[rates.per_service_hour.pes-opieka.care]
weekday = 50.0
night = 70.0
weekend_holiday = 80.0
"""


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    plan = tmp_path / "week.json"
    plan.write_text(json.dumps(WEEK_46), encoding="utf-8")
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(ACTUALS, encoding="utf-8")
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    return plan, actuals, rates


def test_trasa_settlement_writes_the_priced_month(tmp_path: Path) -> None:
    plan, actuals, rates = _files(tmp_path)
    done = trasa(tmp_path, "settlement", "2026-11", str(plan), "--provider", "pes-opieka",
                 "--actuals", str(actuals), "--rates", str(rates), "--out", "out")
    assert done.returncode == 0, done.stderr
    # care-2: 11 Nov is a holiday, 2.5 h at 80; care-3: Sunday 23:00-24:00 weekend (80),
    # Monday 00:00-00:30 night (70): 200 + 80 + 35 = 315
    assert "315.00 PLN" in " ".join(done.stdout.split())
    sheet = openpyxl.load_workbook(tmp_path / "out" / "settlement-2026-11-pes-opieka.xlsx")
    rows = list(sheet["Rozliczenie"].iter_rows(values_only=True))
    assert [r[1:3] for r in rows[1:3]] == [("dni robocze, noc 22–6", 0.5),
                                           ("soboty, niedziele i święta (cała doba)", 3.5)]
    report = trasa(tmp_path, "report", str(plan), "--month", "2026-11", "--actuals",
                   str(actuals), "--out", "report")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "report-2026-11-delivered.csv").exists()


def test_bad_actuals_rates_and_providers_are_errors_naming_the_field(tmp_path: Path) -> None:
    plan, actuals, rates = _files(tmp_path)
    args = ["settlement", "2026-11", str(plan), "--provider", "pes-opieka"]
    bad_rates = tmp_path / "bad.toml"
    bad_rates.write_text('[rates.per_ride]\n"pes-opieka" = -5\n', encoding="utf-8")
    bad_actuals = tmp_path / "bad.csv"
    bad_actuals.write_text("task_id,outcome\ncare-2,finished\n", encoding="utf-8")
    cases = [
        (["--actuals", str(actuals), "--rates", str(bad_rates)],
         "--rates: " + str(bad_rates) + ": rates.per_ride.pes-opieka: "),
        (["--actuals", str(bad_actuals), "--rates", str(rates)],
         "actuals[0].outcome: 'finished' is not one of"),
        (["--actuals", str(tmp_path / "none.csv"), "--rates", str(rates)],
         "--actuals: cannot read"),
        (["--actuals", str(actuals), "--rates", str(tmp_path / "empty.toml")],
         "--rates: cannot read"),
    ]
    for extra, message in cases:
        run = trasa(tmp_path, *args, *extra)
        assert run.returncode == 2 and message in run.stderr, (extra, run.stderr)
    other = trasa(tmp_path, "settlement", "2026-11", str(plan), "--provider", "pes-x",
                  "--actuals", str(actuals), "--rates", str(rates))
    assert other.returncode == 2 and "provider: 'pes-x' has no route in 2026-11" in other.stderr
    unpriced = tmp_path / "cus.toml"
    unpriced.write_text("[rates]\n", encoding="utf-8")
    cus = trasa(tmp_path, *args, "--actuals", str(actuals), "--rates", str(unpriced))
    assert cus.returncode == 2 and "no hourly rate for provider 'pes-opieka', service " \
                                   "'care'" in cus.stderr
