"""Log lines without personal data: the server's logs hold no client's name, address,
phone, note or home, whatever goes wrong.

Values reach a log through exceptions (an SQLAlchemy `IntegrityError` quotes the row's
parameters, a pydantic `ValidationError` its input, ours name ids and places) and
through uvicorn's access log (a request's path and query string: `?client=...`).
`NoPersonalData`, a filter on every handler (`install`, at server start and in each
solver process), rewrites a record before it is written:
- an exception is logged as its type and its traceback's frames (file, line, function):
  never its message, nor the messages of the exceptions it chains;
- an exception among a message's arguments becomes its type name;
- an access-log line keeps the method, status and the route's shape: the path's fixed
  words (`plans`, `geojson`, ...) stay, any other segment becomes `{…}`, and a query
  string keeps only its names (`?client=…&limit=…`).
The engine is also made with `hide_parameters=True` (api/store/database.py), so that
a database error carries no values in the first place."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from types import TracebackType
from urllib.parse import parse_qsl

MASK = "…"
ACCESS_LOGGER = "uvicorn.access"
LOGGERS = ("", "uvicorn", "uvicorn.error", ACCESS_LOGGER)
_WORD = re.compile(r"[a-z][a-z-]*")


class NoPersonalData(logging.Filter):
    """Rewrites each record so that it carries no value from a request or a record."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        super().__init__()
        self.words = frozenset(words)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == ACCESS_LOGGER and isinstance(record.args, tuple) \
                and len(record.args) == 5:
            addr, method, path, version, status = record.args
            record.args = (addr, method, self.path_shape(str(path)), version, status)
            return True
        if isinstance(record.args, tuple):
            record.args = tuple(_kind(a) if isinstance(a, BaseException) else a
                                for a in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            message = record.getMessage()
            record.msg = f"{message}\n{safe_traceback(record.exc_info[1])}"
            record.args = None
            record.exc_info, record.exc_text = None, None
        return True

    def path_shape(self, path: str) -> str:
        """`/clients/Jan%20Kowalski?client=x` -> `/clients/{…}?client=…`."""
        path, _, query = path.partition("?")
        inner = path.strip("/")
        shape = "/" + "/".join(seg if seg in self.words else "{" + MASK + "}"
                               for seg in inner.split("/")) if inner else "/"
        if inner and path.endswith("/"):
            shape += "/"
        if query:
            names = dict.fromkeys(k for k, _ in parse_qsl(query, keep_blank_values=True))
            shape += "?" + "&".join(f"{_name(k)}={MASK}" for k in names)
        return shape


def _name(key: str) -> str:
    return key if _WORD.fullmatch(key) and len(key) <= 30 else MASK


def _kind(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def safe_traceback(exc: BaseException) -> str:
    """The frames of `exc` and of the exceptions it chains, each named by its type only
    (`details withheld`: a message may quote personal data)."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(_frames(current.__traceback__) +
                     f"{_kind(current)} (details withheld: they may hold personal data)")
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
        if current is not None:
            parts.append("... while handling or caused by:")
    return "\n".join(reversed(parts)) if len(parts) > 1 else parts[0]


def _frames(tb: TracebackType | None) -> str:
    lines = ["Traceback (most recent call last):\n"]
    lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
              for f in traceback.extract_tb(tb, limit=None)]
    return "".join(lines)


def install(words: Iterable[str] = ()) -> None:
    """The filter on every handler of the root logger and uvicorn's loggers (and the
    handler of last resort, which a process without logging set up writes with)."""
    shield = NoPersonalData(words)
    handlers = [h for name in LOGGERS for h in logging.getLogger(name).handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if not any(isinstance(f, NoPersonalData) for f in handler.filters):
            handler.addFilter(shield)


def route_words(paths: Iterable[str]) -> frozenset[str]:
    """The fixed words of route paths (`/plans/{plan_id}/geojson` -> plans, geojson)."""
    return frozenset(s for p in paths for s in p.split("/") if s and "{" not in s)
