"""A moment given as text: an ISO 8601 date-time with its UTC offset. Scenario times,
plan documents and the monthly report's documents read it here, one way; the caller
names the field and the kind of error it raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime


def aware_moment(text: str, field: str, error: Callable[[str], Exception], *,
                 expected: str = "an ISO 8601 date-time", hint: str = "") -> datetime:
    """`text` as an aware datetime, else `error("<field>: <text> ...")`: not `expected`,
    or no UTC offset (`hint`: how to write one)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        adjective = "neither" if expected.startswith("HH:MM") else "not"
        raise error(f"{field}: {text!r} is {adjective} {expected}") from None
    if moment.tzinfo is None:
        raise error(f"{field}: {text!r} has no UTC offset{hint}")
    return moment
