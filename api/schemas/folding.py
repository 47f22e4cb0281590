"""Words folded for a search as one types: lower case without diacritics ("Ząbkowska",
"ZABKOWSKA" and "zabkowska" are one word; Polish "ł" folds to "l", which Unicode does
not decompose), and a phone number's digits alone ("+48 600-100" holds "600100").
The records' `?q=` and the street names of `GET /places/streets` match through it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_NOT_DECOMPOSED = str.maketrans({"\u0142": "l", "\u0141": "l", "ø": "o", "ß": "ss", "đ": "d"})
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"[\d\s+()./-]+")  # a query of digits and separators only
MIN_DIGITS = 3  # a query with this many digits also matches phone numbers by digits


def folded(text: str) -> str:
    """`text` in lower case, without diacritics, its runs of white space as one space."""
    plain = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    bare = "".join(c for c in plain if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare).strip().casefold()


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def matches(query: str, texts: Sequence[str], phones: Sequence[str] = ()) -> bool:
    """Every word of `query` is found in one of `texts` (folded), or a query of digits
    alone (`MIN_DIGITS` or more; spaces, dashes, a plus between) is found in one of
    `phones`' digits."""
    words = folded(query).split(" ")
    haystack = " | ".join(folded(t) for t in texts)
    if all(w in haystack for w in words):
        return True
    wanted = digits(query)
    return (len(wanted) >= MIN_DIGITS and _PHONE.fullmatch(query.strip()) is not None
            and any(wanted in digits(p) for p in phones))
