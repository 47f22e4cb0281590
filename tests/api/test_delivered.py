"""Delivered service and the PES settlement over a month of demo days with simulated actuals
(`benchmarks.delivered_month`): delivered differs from planned where stops were missed,
every figure recomputed a second, simpler way (minute by minute from the actuals and the
raw plan documents), exactly one rate per hour, the files read back."""

from __future__ import annotations

import csv
import json
import tomllib
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import openpyxl
import pytest

from api.convert.actuals_file import ActualsError, read_actuals
from api.convert.safe_cells import LEADS
from api.render.report import MonthlyReport, monthly_report
from api.render.report_files import CSV_ENCODING, write_report
from api.render.settlement import RIDE, SettlementError, billing_seconds, settlement
from api.render.settlement_files import write_settlement
from api.schemas.rates import RatesIn
from benchmarks.delivered_month import (
    RATES_TOML,
    demo_day_plans,
    month_of_plans,
    simulate_actuals,
    write_actuals_csv,
)
from optimiser.actuals import Actual, Outcome
from tests.api.pdf_text import pdf_text
from tests.api.report_data import cet, plan, route, stop

MONTH = "2026-11"
WARSAW = ZoneInfo("Europe/Warsaw")
RATES = RatesIn.model_validate(tomllib.loads(RATES_TOML)["rates"])
PES = ("pes-fix", "pes-rehab", "pes-transport")

Plans = list[tuple[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def plans() -> Plans:
    return month_of_plans(*demo_day_plans(), MONTH)


@pytest.fixture(scope="module")
def actuals(plans: Plans) -> dict[str, Actual]:
    return simulate_actuals(plans, seed=7)


@pytest.fixture(scope="module")
def report(plans: Plans, actuals: dict[str, Actual]) -> MonthlyReport:
    return monthly_report(plans, MONTH, actuals)


# ----------------------------------------------------------------------------- a second method


def _tasks(plans: Plans) -> dict[str, dict[str, Any]]:
    """Task id -> provider, kind, service, client, from the raw documents."""
    tasks: dict[str, dict[str, Any]] = {}
    for _name, document in plans:
        for r in document["routes"]:
            for s in r["stops"]:
                tasks[s["task"]] = {"provider": r["provider"], "kind": r["provider_kind"],
                                    "service": s["service"], "client": s["client"]}
    return tasks


FREE = holidays.Poland(years=2026)


def _minute_periods(start: datetime, end: datetime) -> Counter[str]:
    """Minutes of [start, end) by billing period, one local minute at a time."""
    free = FREE
    minutes: Counter[str] = Counter()
    at = start
    while at < end:
        local = at.astimezone(WARSAW)
        if local.weekday() >= 5 or local.date() in free:
            minutes["weekend_holiday"] += 1
        elif local.hour >= 22 or local.hour < 6:
            minutes["night"] += 1
        elif local.hour >= 18:
            minutes["evening"] += 1
        else:
            minutes["weekday"] += 1
        at += timedelta(minutes=1)
    return minutes


def _done(actuals: dict[str, Actual]) -> list[Actual]:
    return [a for a in actuals.values() if a.outcome is Outcome.DONE]


# ----------------------------------------------------------------------------- the tests


def test_delivered_is_not_planned_where_stops_were_missed(report: MonthlyReport,
                                                          actuals: dict[str, Actual]) -> None:
    done = report.delivered
    assert done is not None
    tasks = len(done.tasks)
    assert sum(done.outcomes.values()) == tasks
    assert done.outcomes["unconfirmed"] == tasks - len(actuals) > 0  # no actual: unconfirmed
    assert done.outcomes["absent"] > 0 and done.outcomes["not_done"] > 0
    assert done.visits + done.rides == done.outcomes["done"] < tasks
    assert done.visits < done.planned_visits and done.rides < done.planned_rides
    assert done.service_s != report.service_s
    missed = [t for t in done.tasks if t.outcome != "done"]
    assert missed and all(t.delivered_s == 0 for t in missed)  # never counted as done


def test_every_figure_of_the_report_recomputed_from_the_actuals(
        plans: Plans, actuals: dict[str, Actual], report: MonthlyReport) -> None:
    about = _tasks(plans)
    done = report.delivered
    assert done is not None
    by_provider: Counter[str] = Counter()
    by_service: Counter[str] = Counter()
    clients, rides, visits = set(), 0, 0
    for actual in _done(actuals):
        assert actual.start is not None and actual.end is not None
        assert actual.start.second == 0 and actual.end.second == 0  # whole minutes
        task = about[actual.task_id]
        minutes = (actual.end - actual.start) // timedelta(minutes=1)
        by_provider[task["provider"]] += minutes
        by_service[task["service"]] += minutes
        clients.add(task["client"])
        rides += task["service"] == "transport"
        visits += task["service"] != "transport"
    assert {p: s // 60 for p, s in done.service_s_by_provider.items() if s} == dict(by_provider)
    assert {s: v // 60 for s, v in done.service_s_by_service.items() if v} == dict(by_service)
    assert (done.visits, done.rides, done.residents) == (visits, rides, len(clients))
    periods: Counter[str] = Counter()  # the report's periods overlap: counted apart
    for actual in _done(actuals):
        assert actual.start is not None and actual.end is not None
        at = actual.start
        while at < actual.end:
            local = at.astimezone(WARSAW)
            periods["evening"] += 18 <= local.hour < 22
            periods["night"] += local.hour >= 22 or local.hour < 6
            periods["weekend_holiday"] += local.weekday() >= 5 or local.date() in FREE
            at += timedelta(minutes=1)
    assert {p: s // 60 for p, s in done.period_s.items()} == {
        p: periods[p] for p in done.period_s}
    pes = sum(m for p, m in by_provider.items() if p.startswith("pes-"))
    assert done.pes.share == pytest.approx(pes / sum(by_provider.values()))
    outcomes = Counter(a.outcome.value for a in actuals.values())
    assert {o: n for o, n in done.outcomes.items() if o != "unconfirmed"} == {
        o: outcomes[o] for o in ("done", "started", "absent", "not_done")}


@pytest.mark.parametrize("provider", PES)
def test_every_line_of_the_settlement_recomputed_from_the_actuals(
        plans: Plans, actuals: dict[str, Actual], report: MonthlyReport, provider: str) -> None:
    about = _tasks(plans)
    minutes: Counter[tuple[str, str]] = Counter()
    rides = 0
    for actual in _done(actuals):
        task = about[actual.task_id]
        if task["provider"] != provider:
            continue
        assert actual.start is not None and actual.end is not None
        for period, n in _minute_periods(actual.start, actual.end).items():
            minutes[task["service"], period] += n
        rides += task["service"] == "transport"
    result = settlement(report, provider, RATES)
    hours = {(line.service, line.period): line.quantity // 60 for line in result.lines
             if line.period != RIDE}
    assert hours == dict(minutes)
    assert result.rides == rides
    expected = Decimal(0)
    for (service, period), n in minutes.items():
        rate = Decimal(str(RATES.hour_rate(provider, service, period)))
        expected += (rate * n / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)
    expected += Decimal(str(RATES.per_ride.get(provider, 0))) * rides
    assert result.total == expected > 0
    # each line is the sum of its tasks (the detail), and each task is one paid actual
    detail: defaultdict[tuple[str, str], int] = defaultdict(int)
    for item in result.items:
        for period, s in item.seconds.items():
            detail[item.task.service, period] += s
    assert {k: v for k, v in detail.items() if v} == {
        (line.service, line.period): line.quantity for line in result.lines
        if line.period != RIDE}
    assert sum(result.outcomes.values()) == sum(  # every task of the provider, trips once
        1 for t in about.values() if t["provider"] == provider)


def test_a_saturday_evening_hour_is_priced_once_as_a_weekend_hour() -> None:
    saturday = (datetime(2026, 11, 14, 19, tzinfo=WARSAW), datetime(2026, 11, 14, 20,
                                                                     tzinfo=WARSAW))
    assert billing_seconds(*saturday, WARSAW, set()) == {
        "weekday": 0, "evening": 0, "night": 0, "weekend_holiday": 3600}
    friday_night = (datetime(2026, 11, 13, 23, tzinfo=WARSAW),
                    datetime(2026, 11, 14, 1, tzinfo=WARSAW))
    assert billing_seconds(*friday_night, WARSAW, set()) == {
        "weekday": 0, "evening": 0, "night": 3600, "weekend_holiday": 3600}
    holiday_evening = (datetime(2026, 11, 11, 17, tzinfo=WARSAW),
                       datetime(2026, 11, 11, 19, tzinfo=WARSAW))
    assert billing_seconds(*holiday_evening, WARSAW, {date(2026, 11, 11)})[
        "weekend_holiday"] == 7200
    one = plan("2026-11-14", 1, [route("pes-opieka", "pes", cet(14, "18:30"), cet(14, "20:30"),
                                       1_000, [stop("care-s", "care", cet(14, "19:00"),
                                                    cet(14, "20:00"), client="c1")])])
    actual = Actual("care-s", Outcome.DONE, *saturday)
    rates = RatesIn.model_validate({"per_service_hour": {"pes-opieka": {"care": {
        "weekday": 50, "evening": 60, "weekend_holiday": 75}}}})
    result = settlement(monthly_report([("a.json", one)], MONTH, {"care-s": actual}),
                        "pes-opieka", rates)
    assert [(line.period, line.quantity) for line in result.lines] == [("weekend_holiday", 3600)]
    assert result.total == Decimal("75.00")


def test_an_hour_without_a_rate_is_an_error_naming_provider_service_and_period(
        report: MonthlyReport) -> None:
    with pytest.raises(SettlementError, match="'pes-rehab', service 'physiotherapy', "
                                              "period 'weekday'"):
        settlement(report, "pes-rehab", RatesIn())
    with pytest.raises(SettlementError, match="provider: 'nobody'"):
        settlement(report, "nobody", RATES)
    with pytest.raises(SettlementError, match="actuals: none given"):
        settlement(monthly_report([("a.json", plan("2026-11-14", 1, []))], MONTH),
                   "x", RATES)


def test_a_rate_that_is_no_price_is_an_error_not_an_overflow(report: MonthlyReport) -> None:
    for rate in (float("inf"), float("nan"), 1e308, -1.0):
        rates = RatesIn(per_hour={"pes-rehab": rate})  # the sweep's per_hour is unbounded
        with pytest.raises(SettlementError, match="is not a price of 0–100000 PLN"):
            settlement(report, "pes-rehab", rates)
    with pytest.raises(ValueError, match="less than or equal to 100000"):
        RatesIn.model_validate({"per_ride": {"x": 1e308}})


def test_a_period_without_its_own_rate_takes_the_weekday_rate_then_per_hour() -> None:
    rates = RatesIn.model_validate({"per_hour": {"p": 40}, "per_service_hour": {
        "p": {"care": {"weekday": 50, "night": 90}}}})
    assert [rates.hour_rate("p", "care", x) for x in ("night", "evening")] == [90, 50]
    assert rates.hour_rate("p", "handyman", "night") == 40
    assert rates.hour_rate("q", "care", "night") is None


def test_the_report_files_show_planned_beside_delivered(report: MonthlyReport,
                                                         tmp_path: Path) -> None:
    paths = write_report(report, tmp_path)
    delivered_csv = paths[-1]
    assert delivered_csv.name == f"report-{MONTH}-delivered.csv"
    rows = {r[0]: r for r in csv.reader(delivered_csv.read_text(encoding=CSV_ENCODING)
                                        .splitlines(), delimiter=";")}
    assert rows["klucz"] == ["klucz", "opis", "planowane", "zrealizowane", "jednostka"]
    assert report.delivered is not None
    assert rows["tasks_unconfirmed"][3] == str(report.delivered.outcomes["unconfirmed"])
    assert rows["visits"][2:4] == [str(report.delivered.planned_visits),
                                   str(report.delivered.visits)]
    sheet = openpyxl.load_workbook(paths[2])["Planowane i zrealizowane"]
    by_key = {r[4]: r for r in sheet.iter_rows(values_only=True)}
    assert by_key["hours_total"][1:3] == (round(report.service_s / 3600, 2),
                                          round(report.delivered.service_s / 3600, 2))
    days = list(csv.reader(paths[1].read_text(encoding=CSV_ENCODING).splitlines(),
                           delimiter=";"))
    assert days[0][-3:] == ["godziny zrealizowane", "godziny PES zrealizowane", "km"]
    delivered_days = [float(row[-3].replace(",", ".")) for row in days[1:]]
    # each day is rounded to 0.01 h: the sum may be off by half of that per day
    assert sum(delivered_days) == pytest.approx(report.delivered.service_s / 3600,
                                                abs=0.005 * len(delivered_days) + 1e-9)
    text = pdf_text(paths[3].read_bytes())
    assert "Planowane i zrealizowane" in text
    assert "niepotwierdzone (brak potwierdzenia z telefonu)" in text


def test_without_actuals_the_report_says_so_and_is_as_before(plans: Plans,
                                                               tmp_path: Path) -> None:
    planned = monthly_report(plans, MONTH)
    assert planned.delivered is None
    paths = write_report(planned, tmp_path)
    assert len(paths) == 4
    lines = paths[0].read_text(encoding=CSV_ENCODING).splitlines()
    assert "actuals;usługi zrealizowane;nie podano danych o wykonaniu: tylko liczby " \
           "planowane;" in lines
    assert openpyxl.load_workbook(paths[2]).sheetnames == ["Podsumowanie", "Godziny wg usług",
                                                           "Dni"]
    assert "Nie podano danych o wykonaniu" in pdf_text(paths[3].read_bytes())


def test_the_settlement_pdf_and_xlsx_read_back_in_polish(report: MonthlyReport,
                                                         tmp_path: Path) -> None:
    result = settlement(report, "pes-transport", RATES)
    xlsx, pdf = write_settlement(result, tmp_path)
    text = pdf_text(pdf.read_bytes())
    assert "Rozliczenie PES — pes-transport, listopad 2026" in text
    assert "soboty, niedziele i święta (cała doba)" in text and "przejazdy" in text
    assert "Szczegóły: zadania rozliczone" in text
    assert result.items[0].task.task_id in text.replace(" ", "")
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Rozliczenie", "Szczegóły"]
    detail = list(book["Szczegóły"].iter_rows(values_only=True))
    assert len(detail) - 1 == len(result.items)
    total = [r for r in book["Rozliczenie"].iter_rows(values_only=True) if r[0] == "razem"]
    assert total[0][6] == float(result.total)
    for line in book["Rozliczenie"].iter_rows(min_row=2, max_row=len(result.lines) + 1,
                                              values_only=True):
        if line[4] not in ("", None):  # an hours line: its amount is its exact minutes at its rate
            assert round(line[4] / 60 * line[5] + 1e-9, 2) == line[6]


def test_a_totals_only_settlement_names_no_task_or_client(report: MonthlyReport,
                                                          tmp_path: Path) -> None:
    result = settlement(report, "pes-rehab", RATES).totals_only()
    xlsx, pdf = write_settlement(result, tmp_path)
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Rozliczenie"]
    assert "client-" not in pdf_text(pdf.read_bytes()) and "@2026" not in pdf_text(
        pdf.read_bytes())


EVIL = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+2", "-3")


def test_the_settlement_xlsx_holds_no_formula(tmp_path: Path) -> None:
    stops = [stop(f"{evil}-t{k}", "care", cet(10 + k, "10:00"), cet(10 + k, "11:00"),
                  client=evil) for k, evil in enumerate(EVIL)]
    one = plan("2026-11-10", 7, [route("pes-x", "pes", cet(10, "09:00"), cet(16, "12:00"), 1,
                                       stops)])
    actuals = {s["task"]: Actual(s["task"], Outcome.DONE, datetime.fromisoformat(s["start"]),
                                 datetime.fromisoformat(s["end"])) for s in stops}
    result = settlement(monthly_report([("a.json", one)], MONTH, actuals), "pes-x",
                        RatesIn(per_hour={"pes-x": 10}))
    xlsx, _pdf = write_settlement(result, tmp_path)
    with zipfile.ZipFile(xlsx) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in book.read(name).decode()
    seen = set()
    for sheet in openpyxl.load_workbook(xlsx).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value[:1] in LEADS:
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    seen.add(cell.value)
    assert set(EVIL) <= seen


def test_actuals_read_from_csv_and_json_and_bad_rows_named(actuals: dict[str, Actual],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    write_actuals_csv(actuals, path)
    assert read_actuals(path.read_text(encoding="utf-8"), "actuals.csv") == actuals
    rows = [{"task_id": a.task_id, "outcome": a.outcome.value,
             "start": a.start.isoformat() if a.start else None,
             "end": a.end.isoformat() if a.end else None, "reason": a.reason}
            for a in actuals.values()]
    assert read_actuals(json.dumps({"actuals": rows}), "a.json") == actuals
    bad = [("task_id,outcome\nv1,finished\n", r"actuals\[0\]\.outcome: 'finished'"),
           ("task_id,outcome,start,end\nv1,done,2026-11-02T10:00:00+01:00,"
            "2026-11-02T09:00:00+01:00\n", r"actuals\[0\]\.end: .* is before start"),
           ("task_id,outcome,start\nv1,done,2026-11-02T10:00\n",
            r"actuals\[0\]\.start: .* has no UTC offset"),
           ('[{"task_id": "v1", "outcome": "done"}, {"task_id": "v1", "outcome": "absent"}]',
            r"actuals\[1\]\.task_id: 'v1' is given twice"),
           ("id;what\n1;2\n", "the header lacks task_id, outcome"),
           ("task_id,outcome,start,end\nv1,done,2026-11-02T10:00:00+01:00,"
            "2026-11-04T10:00:00+01:00\n", r"actuals\[0\]\.end: .* more than a day after"),
           ("task_id,outcome,start\nv1,started,0001-01-01T00:00:00+14:00\n",
            r"actuals\[0\]\.start: .* not in the years 2000–2999")]
    for text, message in bad:
        with pytest.raises(ActualsError, match=message):
            read_actuals(text, "f")
