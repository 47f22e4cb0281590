"""Clients, workers, tasks and trips as CSV, for coordinators who keep lists in spreadsheets.

UTF-8 (a byte-order mark is fine), `;` or `,` between fields (whichever the header
uses), one header row naming the columns below in any order. Lists are `|`-separated:
skills `physio|driving`, a worker's `attributes` `woman|ukrainian`, a client's
`refuses_workers` and `prefers_workers` (worker ids) and `requires` (attributes); time windows
`09:00-11:00|15:00-17:00`; a worker's availability `mon 08:00-16:00|sat 18:00-22:00`
(no weekday: every day). Empty cells take the default. A trip's places are columns of
their own: `pickup_id`, `pickup_name`, `pickup_lat`, `pickup_lon` (all empty: the
client's home) and the same for `dropoff_`;
its passengers `seated`, `wheelchair`, `escort`; its `pickup_window` one `HH:MM-HH:MM`.
Reading checks every row and reports each bad one with its row
number (the header is row 1), column and value; a file with a bad row yields nothing.

Nothing here knows HTTP or the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from api.convert.safe_cells import csv_writer, unescape
from api.schemas.records import ClientResource, TaskResource, TripResource, WorkerResource


@dataclass(frozen=True)
class CsvProblem:
    row: int
    column: str
    value: str
    message: str


class CsvError(ValueError):
    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        shown = "; ".join(f"row {p.row}, {p.column}={p.value!r}: {p.message}"
                          for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} bad row(s), nothing imported: {shown}{more}")


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split("|") if x.strip()]


def _windows(text: str) -> list[dict[str, str]]:
    out = []
    for item in _list(text):
        day, _, span = item.rpartition(" ")
        start, dash, end = span.partition("-")
        if not dash:
            raise ValueError(f"{item!r} is not HH:MM-HH:MM")
        out.append({"start": start, "end": end, **({"day": day.strip()} if day else {})})
    return out


def _join_windows(windows: Sequence[Any]) -> str:
    return "|".join(f"{w.day} {w.start}-{w.end}" if w.day else f"{w.start}-{w.end}"
                    for w in windows)


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[str], Any] = str
    write: Callable[[Any], str] = lambda v: "" if v is None else str(v)
    path: tuple[str, ...] = ()  # the field inside the resource (default: `name`)

    @property
    def field(self) -> tuple[str, ...]:
        return self.path or (self.name,)

    def value_of(self, resource: BaseModel) -> Any:
        value: Any = resource
        for part in self.field:
            value = None if value is None else getattr(value, part)
        return value


def _window(text: str) -> dict[str, str]:
    windows = _windows(text)
    if len(windows) != 1 or "day" in windows[0]:
        raise ValueError(f"{text!r} is not one HH:MM-HH:MM")
    return windows[0]


def _place(prefix: str) -> list[Column]:
    return [Column(f"{prefix}_id", path=(prefix, "id")),
            Column(f"{prefix}_name", path=(prefix, "name")),
            Column(f"{prefix}_lat", float, path=(prefix, "lat")),
            Column(f"{prefix}_lon", float, path=(prefix, "lon"))]


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "tak", "yes", "t"}:
        return True
    if lowered in {"0", "false", "nie", "no", "n", "f"}:
        return False
    raise ValueError(f"{text!r} is not yes/no (tak/nie)")


def _join(values: Sequence[str]) -> str:
    return "|".join(values)


COLUMNS: dict[str, tuple[type[BaseModel], list[Column]]] = {
    "clients": (ClientResource, [
        Column("id"), Column("name"), Column("address"), Column("phone"),
        Column("lat", float), Column("lon", float), Column("mobility"),
        Column("escort", _bool, lambda v: "tak" if v else "nie"), Column("health_note"),
        Column("home_location"), Column("refuses_workers", _list, _join),
        Column("requires", _list, _join), Column("prefers_workers", _list, _join)]),
    "workers": (WorkerResource, [
        Column("id"), Column("name"), Column("provider"), Column("skills", _list, _join),
        Column("availability", _windows, _join_windows), Column("base_name"),
        Column("base_lat", float), Column("base_lon", float), Column("max_work_min", int),
        Column("max_week_min", int), Column("vehicle"), Column("base_location"),
        Column("attributes", _list, _join)]),
    "tasks": (TaskResource, [
        Column("id"), Column("kind"), Column("client"), Column("day"),
        Column("duration_min", int), Column("windows", _windows, _join_windows),
        Column("skills", _list, _join), Column("priority"),
        Column("mandatory", _bool, lambda v: "tak" if v else "nie"), Column("note"),
        Column("status")]),
    "trips": (TripResource, [
        Column("id"), Column("client"), Column("day"), *_place("pickup"), *_place("dropoff"),
        Column("pickup_window", _window, lambda w: "" if w is None else f"{w.start}-{w.end}"),
        Column("arrive_by"), Column("seated", int, path=("passengers", "seated")),
        Column("wheelchair", int, path=("passengers", "wheelchair")),
        Column("escort", int, path=("passengers", "escort")), Column("max_ride_min", int),
        Column("return_of"), Column("appointment_min", int), Column("priority"),
        Column("mandatory", _bool, lambda v: "tak" if v else "nie"), Column("note"),
        Column("status")]),
}


def _column_of(columns: list[Column], loc: tuple[int | str, ...]) -> str:
    """The CSV column a validation error's location points at."""
    for column in columns:
        if tuple(loc[:len(column.field)]) == column.field:
            return column.name
    return str(loc[0]) if loc else ""



class TooManyRows(ValueError):
    def __init__(self, rows: int, cap: int) -> None:
        super().__init__(f"{rows} rows is over the cap of {cap}")
        self.rows, self.cap = rows, cap


def read_csv(kind: str, data: bytes, *, max_rows: int | None = None) -> list[BaseModel]:
    """Every row of `data` as a resource of `kind`, or CsvError listing every bad row;
    more than `max_rows` rows raise `TooManyRows` before any row is checked."""
    schema, columns = COLUMNS[kind]
    by_name = {c.name: c for c in columns}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError([CsvProblem(0, "", "", f"not UTF-8 (byte {exc.start})")]) from None
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:  # e.g. a carriage return inside an unquoted cell
        raise CsvError([CsvProblem(reader.line_num, "", "", f"not readable as CSV: {exc}")]
                       ) from None
    if max_rows is not None and len(rows) > max_rows:
        raise TooManyRows(len(rows), max_rows)
    problems = [CsvProblem(1, name, name, f"unknown column (known: {', '.join(by_name)})")
                for name in header if name not in by_name]
    problems += [CsvProblem(1, "id", "", "the header has no id column")] if (
        "id" not in header) else []
    if problems:
        raise CsvError(problems)
    out: list[BaseModel] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        raw: dict[str, Any] = {}
        bad = False
        for name, cell in row.items():
            if name is None or cell is None:
                problems.append(CsvProblem(number, name or "?", str(cell),
                                           "the row has more or fewer cells than the header"))
                bad = True
                continue
            if cell.strip() == "":
                continue
            try:
                value = by_name[name].read(unescape(cell).strip())
            except ValueError as exc:
                problems.append(CsvProblem(number, name, cell, str(exc)))
                bad = True
                continue
            *outer, last = by_name[name].field
            target = raw
            for part in outer:
                target = target.setdefault(part, {})
            target[last] = value
        if bad:
            continue
        try:
            resource = schema.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                column = _column_of(columns, error["loc"])
                problems.append(CsvProblem(number, column, str(row.get(column, "")),
                                           error["msg"]))
            continue
        record_id = str(raw["id"])
        if record_id in seen:
            problems.append(CsvProblem(number, "id", record_id,
                                       f"the same id as row {seen[record_id]}"))
            continue
        seen[record_id] = number
        out.append(resource)
    if problems:
        raise CsvError(problems)
    return out


def write_csv(kind: str, resources: Sequence[BaseModel], delimiter: str = ";") -> str:
    """Resources of `kind` as CSV that `read_csv` reads back (UTF-8 with a BOM, so that
    spreadsheets show Polish letters right)."""
    _schema, columns = COLUMNS[kind]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for resource in resources:
        writer.writerow([c.write(c.value_of(resource)) for c in columns])
    return buffer.getvalue()
