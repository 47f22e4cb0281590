"""Cells that a spreadsheet cannot run as formulas (CSV and XLSX exports).

A text cell that begins with `= + - @ | %`, a tab or a carriage return may be taken for a
formula (or a DDE call) when a coordinator opens the file, e.g. a provider named
`=HYPERLINK(...)`.

- CSV: `defusedcsv`'s writer puts an apostrophe before such a cell (and `\\|` for each `|`
  in it); plain numbers such as `-1,5` stay as they are. This module adds what it leaves
  out: a leading tab or carriage return, and a text that itself begins with apostrophes
  before such a character (so that `unescape` can always tell an escape from the value).
  `unescape` undoes all of it exactly, so the records CSV reads back what was written: a
  phone `+48 600 000 001` is exported as `'+48 600 000 001` and imported unchanged.
- XLSX: every text cell is written as a string (never a formula), marked "quote prefix",
  so that the value is shown as it is and stays text when someone edits the cell.
  Numbers stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from defusedcsv import csv as defused
from openpyxl.worksheet.worksheet import Worksheet

DEFUSED_LEADS = frozenset("=+-@|%")  # what defusedcsv escapes
LEADS = DEFUSED_LEADS | {"\t", "\r"}  # ... and what this module adds
# one or more apostrophes, then a lead (or defusedcsv's `\|` for a leading `|`)
_ESCAPED = re.compile(r"'+(?:[=+\-@|%\t\r]|\\\|)")


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any]) -> Any: ...


def _looks_escaped(text: str) -> bool:
    return _ESCAPED.match(text) is not None


def _pre_escape(value: Any) -> Any:
    """What defusedcsv leaves out: a leading tab or CR, and a value that looks escaped."""
    if isinstance(value, str) and value and (value[0] in "\t\r" or _looks_escaped(value)):
        return "'" + value
    return value


class SafeCsvWriter:
    """A `csv.writer` whose text cells cannot begin a formula."""

    def __init__(self, out: Any, **dialect: Any) -> None:
        self._writer: _Writer = defused.writer(out, **dialect)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([_pre_escape(value) for value in row])


def csv_writer(out: Any, **dialect: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **dialect)


def unescape(cell: str) -> str:
    """A cell as `SafeCsvWriter` was given it (a cell not escaped comes back as it is)."""
    if not _looks_escaped(cell):
        return cell
    if cell[1] in DEFUSED_LEADS or cell[1:3] == "\\|":
        # defusedcsv's escape, which also turned each | into \| (and a leading | too)
        return cell[1:].replace("\\|", "|")
    return cell[1:]  # this module's


def text_cells_as_strings(sheet: Worksheet) -> None:
    """Every text cell of `sheet` a string cell with a quote prefix, never a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value[:1] in LEADS:
                    cell.quotePrefix = True
