"""JSON bodies the API refuses before any route reads them: NaN and Infinity (not JSON,
though Python's parser takes them), lone surrogates (`"\\ud800"`: no character, so no
database or UTF-8 answer can hold it) and NUL characters (PostgreSQL's text and jsonb
cannot hold them; spreadsheets refuse them). Each is a 422 problem naming the JSON path
and the value, in place of the 500 they made further in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app.errors import FieldError, problem

BODY_METHODS = {"POST", "PUT", "PATCH"}


class OddJson(ValueError):
    def __init__(self, field: str, value: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.value, self.message = field, value, message


def check_json(data: bytes) -> None:
    """Raise `OddJson` for a body holding NaN, Infinity or a lone surrogate; a body that is
    not JSON at all is left to FastAPI (400/422 as before)."""
    def constant(name: str) -> Any:
        raise OddJson("body", name, f"{name} is not a JSON number")

    try:
        parsed = json.loads(data, parse_constant=constant)
    except OddJson as exc:
        raise OddJson(_path_of_constant(data, exc.value), exc.value, exc.message) from None
    except ValueError:  # not JSON (or not UTF-8): FastAPI answers it
        return
    _walk(parsed, "body")


def _walk(value: Any, path: str) -> None:
    for where, text in _parts(value, path):
        if isinstance(text, str):
            _check_text(text, where)


def _parts(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every value of a parsed JSON document with its path, and each object key with the
    path of its object."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _parts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _parts(item, f"{path}[{i}]")


def _check_text(text: str, path: str) -> None:
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise OddJson(path, _escaped(text), "a lone surrogate is not a character")
    if "\x00" in text:
        raise OddJson(path, _escaped(text), "a NUL character cannot be stored")


def _odd(ch: str) -> bool:
    return ch == "\x00" or "\ud800" <= ch <= "\udfff"


def _escaped(text: str) -> str:
    """The text with each surrogate or NUL written as `\\uXXXX` (printable, encodable)."""
    return "".join(f"\\u{ord(ch):04x}" if _odd(ch) else ch for ch in text)


def _path_of_constant(data: bytes, name: str) -> str:
    """The JSON path of the first NaN/Infinity: the body parsed again with the constant
    as a marker string, then searched."""
    marker = f"\0odd-{name}\0"
    parsed = json.loads(data, parse_constant=lambda n: marker if n == name else 0.0)
    return next((where for where, value in _parts(parsed, "body") if value == marker), "body")


class RefuseOddJson:
    """ASGI middleware: a JSON body is read whole, checked, and handed on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS \
                or b"json" not in dict(scope["headers"]).get(b"content-type", b""):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if not isinstance(body, bytes):  # the client went away
            await self.app(scope, replay([body], receive), send)
            return
        try:
            check_json(body)
        except OddJson as exc:
            answer = problem(422, f"{exc.field}: {exc.value}: {exc.message}", errors=[
                FieldError(field=exc.field, value=exc.value, message=exc.message)])
            await answer(scope, receive, send)
            return
        await self.app(scope, replay([{"type": "http.request", "body": body,
                                        "more_body": False}], receive), send)


class BodyTooBig(ValueError):
    """A body longer than the cap `read_body` was given."""


async def read_body(receive: Receive, max_bytes: int | None = None) -> bytes | Message:
    """A request's whole body, or the message that came instead (the client went away).
    With `max_bytes`, `BodyTooBig` at the first chunk that passes it."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return message
        chunk = message.get("body", b"")
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise BodyTooBig(size)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(messages: list[Message], then: Receive) -> Receive:
    """`messages` again, then what the client sends next (its disconnect)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return await then()

    return receive
