"""CSV that the csv module cannot read is a clear CsvError (a 422), never a crash."""

from __future__ import annotations

import pytest

from api.formats.csv_records import CsvError, read_csv


def test_a_carriage_return_in_a_cell_ends_the_row_instead_of_crashing() -> None:
    # found by the contract test: a lone CR inside an unquoted field
    with pytest.raises(CsvError, match="unknown column"):
        read_csv("workers", b"\xc2\x87\xf1\xa8\xa6\x9d\r\xc2\x8b")


def test_a_cell_over_the_csv_modules_limit_is_a_bad_table() -> None:
    data = ("id,name\nw1," + "x" * 200_000 + "\n").encode()
    with pytest.raises(CsvError, match="not readable as CSV: field larger than field limit"):
        read_csv("workers", data)
