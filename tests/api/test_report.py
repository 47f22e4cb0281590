"""The monthly report: hand-built plan documents, figures checked by hand and as sums, files.

Seconds throughout; the plans are in Europe/Warsaw. November 2026: 1 Nov (Sunday, All
Saints) and 11 Nov (Wednesday, Independence Day) are public holidays. 25 Oct 2026 is a
Sunday and the day the clocks go back (02:00-03:00 happens twice).
"""

from __future__ import annotations

import copy
import csv
import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from pypdf import PdfReader

from api.convert.plan_document import SERVICES, plan_document
from api.render.report import (
    MonthlyReport,
    ReportError,
    monthly_report,
    period_seconds,
)
from api.render.report_files import CSV_ENCODING, write_report
from optimiser.calendar import Calendar
from optimiser.model import Plan, Route, Stop, StopAction, TaskKind
from tests.api.report_data import DST_DAY, NOVEMBER, WEEK_44, WEEK_46, plan
from tests.optimiser.tiny import H, bus, problem, task, trip, worker

MIN = 60


@pytest.fixture(scope="module")
def november() -> MonthlyReport:
    return monthly_report(NOVEMBER, "2026-11")


def test_hours_by_service_are_time_on_site_and_trips_from_boarding_to_alighting(
        november: MonthlyReport) -> None:
    assert november.service_s_by_service == {
        "physiotherapy": 2 * H,  # 10 Nov; 30 Oct is not November
        "care": 30 * MIN + 2 * H + 90 * MIN + H,  # 10, 11, 15-16 Nov and 1 Nov
        "handyman": 2 * H,
        "transport": 65 * MIN + 72 * MIN,  # two trips on board together both count
    }
    assert november.service_s == 40_620


def test_totals_equal_the_sums_over_services_providers_and_days(
        november: MonthlyReport) -> None:
    total = november.service_s
    assert sum(november.service_s_by_service.values()) == total
    assert sum(november.service_s_by_provider.values()) == total
    assert sum(d.service_s for d in november.days) == total
    for service in SERVICES:
        assert (sum(november.service_s_by_service_provider[service].values())
                == november.service_s_by_service[service])
    assert november.service_s_by_provider == {"cus": 2 * H + 30 * MIN + 137 * MIN,
                                              "pes-opieka": 6.5 * H}
    assert list(november.provider_kinds.items()) == [("cus", "cus"), ("pes-opieka", "pes")]


def test_pes_share_is_pes_hours_over_all_hours_against_the_target(
        november: MonthlyReport) -> None:
    assert november.pes_service_s == 6.5 * H
    assert november.pes_share == pytest.approx(23_400 / 40_620)
    assert november.pes_share_target == 0.35 and november.pes_share_met is True


def test_evening_night_and_free_day_hours_are_the_parts_in_each_period(
        november: MonthlyReport) -> None:
    assert november.period_s == {
        "evening": H + 30 * MIN + H,  # 18-19 and 19:10-19:40 on the 10th, 21-22 on the 14th
        "night": H + 90 * MIN,  # 22-23 on Saturday 14th, 23:00-00:30 Sunday into Monday
        # 11 Nov (holiday) 2 h, Saturday 2 h, Sunday 23-24 only, 1 Nov (Sunday, holiday) 1 h
        "weekend_holiday": 2 * H + 2 * H + H + H,
    }
    assert sum(d.evening_s for d in november.days) == november.period_s["evening"]
    assert [h for _, h in november.holidays] == ["Uroczystość Wszystkich Świętych",
                                                 "Narodowe Święto Niepodległości"]


def test_residents_km_routes_and_unserved_requests(november: MonthlyReport) -> None:
    assert november.residents == 6  # c1..c6; c9 was served in October only
    assert november.distance_m == 12_000 + 8_000 + 5_000 + 30_000 + 3_000 + 4_000
    assert november.km == 62.0 and november.routes == 6
    assert {r: n for r, n in november.unassigned_by_reason.items() if n} == {
        "capacity_exhausted": 2, "no_skilled_worker": 1}
    assert november.unassigned == 3


def test_days_outside_the_plans_are_listed_missing(november: MonthlyReport) -> None:
    assert len(november.days) == 30
    planned = [d.day.day for d in november.days if d.planned]
    assert planned == [1, *range(9, 16)]
    assert len(november.days_missing) == 22
    sunday = november.days[14]
    assert sunday.day == date(2026, 11, 15) and sunday.night_s == 90 * MIN


def test_a_dst_day_counts_real_time_not_the_clock() -> None:
    october = monthly_report([("dst.json", DST_DAY), ("week-44.json", WEEK_44)], "2026-10")
    # 01:40 CEST (23:40 UTC) to 03:00 CET (02:00 UTC): 2 h 20 min, not the 1 h 20 min the
    # clock shows; all at night, on a Sunday
    assert october.service_s_by_service["transport"] == 2 * H + 20 * MIN
    assert october.period_s == {"evening": 0, "night": 2 * H + 20 * MIN,
                                "weekend_holiday": 2 * H + 20 * MIN}
    assert october.service_s_by_service["physiotherapy"] == H  # 30 Oct; 1 Nov is not October
    assert october.unassigned_by_reason["no_availability"] == 1
    assert october.km == 27.0 and october.residents == 2


def test_period_seconds_split_an_interval_over_evening_night_and_midnight() -> None:
    zone = ZoneInfo("Europe/Warsaw")
    friday_17 = datetime(2026, 11, 13, 17, tzinfo=zone)
    saturday_07 = datetime(2026, 11, 14, 7, tzinfo=zone)
    assert period_seconds(friday_17, saturday_07, zone, set()) == {
        "evening": 4 * H, "night": 8 * H, "weekend_holiday": 7 * H}


def test_two_plans_of_one_day_are_an_error_naming_both_files_and_the_day() -> None:
    overlapping = copy.deepcopy(WEEK_46) | {"date": "2026-11-13", "days": 3}
    with pytest.raises(ReportError) as info:
        monthly_report([*NOVEMBER, ("week-46-again.json", overlapping)], "2026-11")
    assert "2026-11-13" in str(info.value)
    assert "week-46.json" in str(info.value) and "week-46-again.json" in str(info.value)


def test_plans_that_overlap_in_another_month_only_are_an_error_there_only() -> None:
    friday = plan("2026-10-30", 1, [])  # 30 October is also in WEEK_44
    november = monthly_report([*NOVEMBER, ("friday.json", friday)], "2026-11")
    assert november.service_s == 40_620
    with pytest.raises(ReportError, match="2026-10-30: planned in both week-44.json and "
                                          "friday.json"):
        monthly_report([("week-44.json", WEEK_44), ("friday.json", friday)], "2026-10")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update(format="trasa-plan/0"),
     "week-46.json: format: expected 'trasa-plan/1', got 'trasa-plan/0'"),
    (lambda d: d.pop("timezone"), "week-46.json: timezone: missing"),
    (lambda d: d["routes"][1].pop("provider_kind"), "week-46.json: routes[1].provider_kind: "
                                                    "missing"),
    (lambda d: d["routes"][0]["stops"][1].pop("service"),
     "week-46.json: routes[0].stops[1].service: missing"),
    (lambda d: d["routes"][0]["stops"][0].update(service="massage"),
     "week-46.json: routes[0].stops[0].service: 'massage' is not one of physiotherapy"),
    (lambda d: d["routes"][3]["stops"].pop(2),
     "week-46.json: routes[3].stops[0]: trip 'trip-a' is picked up but never dropped off"),
    (lambda d: d["routes"][0]["stops"][0].update(end="2026-11-10T19:00:00"),
     "week-46.json: routes[0].stops[0].end: '2026-11-10T19:00:00' has no UTC offset"),
    (lambda d: d["routes"][2].update(distance_m="5 km"),
     "week-46.json: routes[2].distance_m: expected an integer ≥ 0, got '5 km'"),
    (lambda d: d["unassigned"][0].update(reason="tired"),
     "week-46.json: unassigned[0].reason: 'tired' is not one of no_skilled_worker"),
])
def test_a_bad_document_is_an_error_naming_the_file_and_the_field(edit: Any,
                                                                   message: str) -> None:
    document = copy.deepcopy(WEEK_46)
    edit(document)
    with pytest.raises(ReportError) as info:
        monthly_report([("week-46.json", document)], "2026-11")
    assert message in str(info.value)


def test_plans_must_agree_on_the_time_zone_and_the_pes_target() -> None:
    berlin = copy.deepcopy(WEEK_44) | {"timezone": "Europe/Berlin"}
    with pytest.raises(ReportError, match="week-46.json is in 'Europe/Warsaw' but "
                                          "week-44.json in 'Europe/Berlin'"):
        monthly_report([("week-46.json", WEEK_46), ("week-44.json", berlin)], "2026-11")
    higher = copy.deepcopy(WEEK_44) | {"kpis": {"pes_share_target": 0.5}}
    with pytest.raises(ReportError, match="pes_share_target: the plans differ"):
        monthly_report([("week-46.json", WEEK_46), ("week-44.json", higher)], "2026-11")


@pytest.mark.parametrize("month", ["2026-13", "11/2026", "2026-1", ""])
def test_a_month_not_yyyy_mm_is_an_error_naming_it(month: str) -> None:
    with pytest.raises(ReportError, match=f"month: '{month}' is not YYYY-MM"):
        monthly_report(NOVEMBER, month)


def test_the_plan_document_writer_names_provider_kind_and_service() -> None:
    job = replace(task("fix", 2, service_s=H, windows=((8 * H, 20 * H),)), kind=TaskKind.JOB)
    tasks = [task("physio", 1, skills=("physio",), windows=((8 * H, 20 * H),)),
             task("care", 3, windows=((8 * H, 20 * H),)), job,
             trip("ride", 1, 4, pickup_windows=((8 * H, 20 * H),))]
    p = problem([worker("ewa", skills=("physio",), shifts=((8 * H, 20 * H),)),
                 worker("jan", provider="pes", skills=("driving",), shifts=((8 * H, 20 * H),),
                        vehicle="bus")], tasks, vehicles=(bus(),),
                calendar=Calendar(date(2026, 11, 10), timezone="Europe/Warsaw"))
    stops = (Stop("physio", "p1", 9 * H, 9 * H, 9 * H + 1800),
             Stop("care", "p3", 10 * H, 10 * H, 10 * H + 1800),
             Stop("fix", "p2", 11 * H, 11 * H, 12 * H))
    ride = (Stop("ride", "p1", 9 * H, 9 * H, 9 * H + 60, StopAction.PICKUP),
            Stop("ride", "p4", 10 * H, 10 * H, 10 * H + 60, StopAction.DROPOFF))
    written = plan_document(p, Plan((Route("ewa", 0, 8 * H, 13 * H, stops),
                                     Route("jan", 0, 8 * H, 11 * H, ride)), ()),
                            violations=[], network={}, solver={})
    assert [r["provider_kind"] for r in written["routes"]] == ["cus", "pes"]
    assert [s["service"] for r in written["routes"] for s in r["stops"]] == [
        "physiotherapy", "care", "handyman", "transport", "transport"]
    report = monthly_report([("plan.json", json.loads(json.dumps(written)))], "2026-11")
    assert report.service_s_by_service == {"physiotherapy": 1800, "handyman": H,
                                           "transport": H + 60, "care": 1800}
    assert report.pes_share == pytest.approx((H + 60) / report.service_s)


# ----------------------------------------------------------------------------- the files


@pytest.fixture(scope="module")
def written(november: MonthlyReport, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_report(november, tmp_path_factory.mktemp("report"))


def test_write_report_writes_csv_days_csv_xlsx_and_pdf(written: list[Path]) -> None:
    assert [p.name for p in written] == ["report-2026-11.csv", "report-2026-11-days.csv",
                                         "report-2026-11.xlsx", "report-2026-11.pdf"]
    assert written[0].read_bytes().startswith(b"\xef\xbb\xbfklucz;opis;")  # BOM for Excel


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def expected_figures(report: MonthlyReport) -> dict[str, float]:
    return {
        "hours_total": round(report.service_s / H, 2),
        **{f"hours_service_{s}": round(v / H, 2)
           for s, v in report.service_s_by_service.items()},
        **{f"hours_provider_{p}": round(v / H, 2)
           for p, v in report.service_s_by_provider.items()},
        "hours_pes": round(report.pes_service_s / H, 2),
        "pes_share_pct": round(100 * (report.pes_share or 0), 1),
        "pes_share_target_pct": 35.0,
        "residents": report.residents,
        **{f"hours_{p}": round(v / H, 2) for p, v in report.period_s.items()},
        "km": report.km, "routes": report.routes, "unassigned_total": report.unassigned,
        "unassigned_capacity_exhausted": 2, "unassigned_no_skilled_worker": 1,
    }


def test_the_csv_reads_back_to_the_same_figures(november: MonthlyReport,
                                                written: list[Path]) -> None:
    with written[0].open(encoding=CSV_ENCODING, newline="") as source:
        rows = {r["klucz"]: r for r in csv.DictReader(source, delimiter=";")}
    assert {k: _number(rows[k]["wartość"]) for k in expected_figures(november)} == \
        expected_figures(november)
    assert rows["hours_total"]["wartość"] == "11,28"  # decimal comma
    assert rows["hours_evening"]["opis"] == "godziny usług: wieczór 18–22"
    assert rows["pes_share_met"]["wartość"] == "tak"
    with written[1].open(encoding=CSV_ENCODING, newline="") as source:
        days = list(csv.DictReader(source, delimiter=";"))
    assert len(days) == 30
    assert sum(_number(d["godziny usług"]) for d in days) == pytest.approx(
        november.service_s / H, abs=0.01 * 30)
    assert days[10]["święto"] == "Narodowe Święto Niepodległości"


def test_the_xlsx_reads_back_to_the_same_figures(november: MonthlyReport,
                                                 written: list[Path]) -> None:
    book = openpyxl.load_workbook(written[2])
    assert book.sheetnames == ["Podsumowanie", "Godziny wg usług", "Dni"]
    summary = {row[3]: row[1] for row in book["Podsumowanie"].iter_rows(min_row=2,
                                                                       values_only=True)}
    assert {k: summary[k] for k in expected_figures(november)} == expected_figures(november)
    table = list(book["Godziny wg usług"].iter_rows(values_only=True))
    assert table[0] == ("usługa", "cus (CUS)", "pes-opieka (PES)", "razem")
    assert table[-1] == ("razem", 4.78, 6.5, 11.28)
    by_service = {row[0]: row[1:] for row in table[1:-1]}
    assert by_service["transport"] == (2.28, 0, 2.28)
    assert by_service["opieka"] == (0.5, 4.5, 5.0)


def test_the_pdf_is_a_real_a4_pdf_with_polish_text(written: list[Path]) -> None:
    pdf = PdfReader(written[3])
    assert len(pdf.pages) >= 2
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points
    first = pdf.pages[0].extract_text()
    assert "Sprawozdanie miesięczne CUS — listopad 2026" in first
    assert "mieszkańcy obsłużeni" in first and "soboty, niedziele i święta" in first
    charts = " ".join(page.extract_text() for page in pdf.pages[1:])
    for text in ("Godziny usług wg rodzaju", "Udział PES", "wieczór 18–22", "noc 22–6",
                 "godziny", "%", "cel 35 %"):
        assert text in charts, text
    assert pdf.metadata is not None and (pdf.metadata.title or "").startswith("Sprawozdanie")
