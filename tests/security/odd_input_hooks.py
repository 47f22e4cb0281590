"""Schemathesis hooks that send what its own generator never does: NaN, Infinity, lone
surrogates, NUL characters, integers far beyond 64 bits and dates at the calendar's ends,
put in place of values of the bodies (and query strings) it generates from the OpenAPI
schema. Loaded with `SCHEMATHESIS_HOOKS=tests/security/odd_input_hooks.py`, used by
tests/security/test_schemathesis_odd.py and its bigger run (docs/security.md).

Bodies go out as JSON text written here (`allow_nan`: `NaN` and `Infinity` literals, as
Python and JavaScript clients can send them; lone surrogates as `\\udXXX` escapes):
the HTTP client's own JSON writer refuses both.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from hypothesis import strategies as st

ODD_NUMBERS = [float("nan"), float("inf"), float("-inf"), 2**70, -(2**70), 10**400,
               1e308, 5e-324, 2**63, -(2**63) - 1]
ODD_STRINGS = ["\ud800", "x\udfffy", "\x00", "a\x00b", "9999-12-31", "0001-01-01",
               "9999-12-31T23:59:59-12:00", "NaN", "Infinity", "1e999", "\u202e", "٣"]
ODD = ODD_NUMBERS + ODD_STRINGS


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a leaf value is (a key path), the body itself included."""
    if isinstance(value, dict):
        return [at, *(p for k, v in value.items() for p in _paths(v, (*at, k)))]
    if isinstance(value, list):
        return [at, *(p for i, v in enumerate(value) for p in _paths(v, (*at, i)))]
    return [at]


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _put(value[head], tuple(rest), new)
    return copy


@st.composite
def _odder(draw: st.DrawFn, value: Any, odd: list[Any]) -> Any:
    """`value` with one to three of its values (or keys' values) replaced by odd ones."""
    if not isinstance(value, dict | list):
        return value
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(value)))
        value = _put(value, path, draw(st.sampled_from(odd)))
    return value


def _sendable(text: Any) -> bool:
    """A form's text must encode as UTF-8: no lone surrogates there."""
    return not isinstance(text, str) or not any("\ud800" <= c <= "\udfff" for c in text)


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> Any:
    media = {b.media_type for b in getattr(context.operation, "body", ())}
    odd = ODD if media <= {"application/json"} else [v for v in ODD if _sendable(v)]
    return st.one_of(st.just(body), _odder(body, odd))


@schemathesis.hook
def flatmap_query(context: Any, query: Any) -> Any:
    if not query:
        return st.just(query)
    numbers = [str(n) for n in ODD_NUMBERS] + ["99999999999999999999999", "-0", "1e999"]
    return st.one_of(st.just(query), st.fixed_dictionaries(
        {k: st.sampled_from([v, *numbers, "9999-12-31", "\x00"]) for k, v in query.items()}))


def _plain(value: Any) -> str:
    """Raw bytes schemathesis puts in a body (its `Binary`), as the text they spell."""
    data = getattr(value, "data", value)
    return data.decode("latin-1") if isinstance(data, bytes) else str(data)


@schemathesis.serializer("application/json")
def odd_json(context: Any, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return json.dumps(value, allow_nan=True, default=_plain).encode("ascii")
