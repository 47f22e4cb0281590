"""Issue 27 row 7: no exported CSV or XLSX cell can be taken for a formula.

A provider, client or file named like a formula goes through the monthly report (CSV,
days CSV, XLSX), the records CSV and the route-sheet CSV; each file is opened again and
searched for a formula. The records CSV is also imported back: the escape must not
change a value (a phone `+48 600 000 001`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from api.convert.csv_records import read_csv, write_csv
from api.convert.safe_cells import LEADS, csv_writer, unescape
from api.render.report import MonthlyReport, monthly_report
from api.render.report_files import CSV_ENCODING, write_report
from api.render.route_sheet import RouteSheet, SheetRow
from api.render.sheet_csv import sheet_csv
from api.schemas.records import ClientResource
from api.schemas.sweep_row import Row
from api.services.sweep_runs import write_tables
from tests.api.report_data import NOVEMBER

EVIL = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+cmd|' /C calc'!A0", "-2+3",
        "\t=1+1", "\r=1+1", "%0A", "|x")
PHONE = "+48 600 000 001"


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def assert_no_formula_in_csv(text: str) -> None:
    for cell in _csv_cells(text.removeprefix("\ufeff")):
        bare = cell.lstrip()  # some spreadsheets skip leading blanks before a formula
        assert not (bare and bare[0] in "=+@") and not (cell and cell[0] in LEADS
                                                        and not _number(cell)), cell


def _number(cell: str) -> bool:
    """`-1,5`: a negative number, which defusedcsv leaves as it is (its rule: a minus, then
    only digits, commas and dots: nothing a spreadsheet can call)."""
    return re.fullmatch(r"-[0-9,.]+", cell) is not None


def _evil_report() -> MonthlyReport:
    report = monthly_report(NOVEMBER, "2026-11")
    rename = dict(zip(report.service_s_by_provider, EVIL, strict=False))
    return replace(
        report, files=EVIL,
        service_s_by_provider={rename[p]: s for p, s in report.service_s_by_provider.items()},
        provider_kinds={rename[p]: k for p, k in report.provider_kinds.items()},
        service_s_by_service_provider={
            service: {rename[p]: s for p, s in by.items()}
            for service, by in report.service_s_by_service_provider.items()})


def test_the_monthly_reports_csv_and_xlsx_hold_no_formula(tmp_path: Path) -> None:
    csv_path, days_path, xlsx_path, _pdf = write_report(_evil_report(), tmp_path)
    text = csv_path.read_text(encoding=CSV_ENCODING)
    assert "pliki planów;\"'=HYPERLINK(" in text  # escaped, not dropped
    assert_no_formula_in_csv(text)
    assert_no_formula_in_csv(days_path.read_text(encoding=CSV_ENCODING))

    with zipfile.ZipFile(xlsx_path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        for name in sheets:
            assert "<f>" not in book.read(name).decode() and "<f " not in book.read(name).decode()
    seen: set[str] = set()
    numbers = 0
    for sheet in openpyxl.load_workbook(xlsx_path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in LEADS:
                    # a string shown as it is, and kept text if someone edits the cell
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    seen.add(cell.value)
                numbers += isinstance(cell.value, int | float)
    files = ", ".join(EVIL).replace("\r", "\n")  # XML reads a CR inside a text as LF
    assert {'=HYPERLINK("http://x","y") (CUS)', "@SUM(A1) (PES)", files} <= seen
    assert numbers > 50  # figures stay numbers


def test_the_records_csv_holds_no_formula_and_reads_back_the_same_values() -> None:
    clients = [ClientResource(id=f"c{i}", name=name, phone=phone, address=name)
               for i, (name, phone) in enumerate(
                   [(EVIL[0], PHONE), (EVIL[1], "-12"), ("'=already quoted", "+48|1"),
                    ("''@two", "'-1"), ("-1,5", "=1")])]
    text = write_csv("clients", clients)
    assert_no_formula_in_csv(text)
    assert f";'{PHONE};" in text
    assert read_csv("clients", text.encode()) == clients
    assert read_csv("clients", text.encode())[0].phone == PHONE  # type: ignore[attr-defined]


def test_the_route_sheet_csv_holds_no_formula() -> None:
    row = SheetRow(number=1, what="wizyta", task=EVIL[2], window="09:00–11:00",
                   arrival="09:00", start="09:00", end="10:00", start_iso="", end_iso="",
                   client=EVIL[0], address=EVIL[1], phone=PHONE, needs="-", bring="@x")
    sheet = RouteSheet(day=date(2026, 11, 10), worker="=1+1", worker_id="w", provider="cus",
                       vehicle="", start_place="", start="", end_place="", end="", km=0.0,
                       driving_min=0, rows=(row,), path=(), bases=())
    text = sheet_csv(sheet).decode(CSV_ENCODING)
    assert_no_formula_in_csv(text)
    assert f"'{PHONE}" in text and "'=HYPERLINK" in text


@settings(max_examples=1000)
@given(st.text(alphabet="'=+-@|%\t\r\\ab1,.", max_size=8))
def test_the_escape_is_undone_exactly(value: str) -> None:
    out = io.StringIO()
    csv_writer(out, delimiter=";").writerow([value])
    (cell,) = next(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";"))
    assert unescape(cell) == value
    assert not cell or cell[0] not in LEADS or _number(cell)


def test_the_sweep_table_holds_no_formula(tmp_path: Path) -> None:
    row = Row(variant=EVIL[0], counts={"physio": 1}, served=3, tasks=4, mandatory_unassigned=0,
              served_share_by_service={"care": 0.75}, served_share_by_priority={},
              unassigned_by_reason={"no_availability": 1}, km=-0.0, work_h=2.5,
              overtime_h=0.0, pes_share=None, workers=1, vehicles=0, cost=-12.5)
    write_tables([row], tmp_path)
    text = (tmp_path / "rows.csv").read_text(encoding="utf-8")
    cells = [c for line in csv.reader(io.StringIO(text)) for c in line]
    assert "'" + EVIL[0] in cells and "-12.5" in cells  # a negative number stays a number
    assert all(not c or c[0] not in LEADS or _number(c) for c in cells), cells
