"""Numbers, dates and times as the reader's language writes them (Babel, CLDR data).

Polish: a decimal comma and a space between thousands ("1,5 km", "1 234,5"), dates
"6 grudnia 2026" or "06.12.2026", weekdays "niedziela", times "08:15" (24-hour).
Ukrainian: "1,5 км", "6 грудня 2026 р.", "06.12.2026", "неділя". English reads
"1.5 km", "December 6, 2026". The language is the current one
(`api.render.words.use_language`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from api.render.words import language


def number(value: float | int | None, digits: int = 1, lang: str | None = None) -> str:
    """`value` with at most `digits` decimals: 1.5 -> "1,5", 2.0 -> "2"; None -> "—"."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang or language())


def fixed(value: float | int, digits: int = 1, lang: str | None = None, *,
          group: bool = True) -> str:
    """`value` with exactly `digits` decimals: 2 -> "2,0" (columns of figures line up);
    `group=False` leaves out the thousands' space (files a spreadsheet reads: "1234,50")."""
    pattern = ("#,##0" if group else "0") + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang or language())


def km(value: float | int, lang: str | None = None) -> str:
    """A distance in kilometres with the language's unit (CLDR): "1,5 km", "1,5 км"."""
    return format_unit(value, "length-kilometer", length="short", format="#,##0.#",
                       locale=lang or language())


def percent(share: float | None, digits: int = 1, lang: str | None = None) -> str:
    """A share 0..1 as a percentage: 0.625 -> "62,5%"; None -> "—"."""
    if share is None:
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return format_percent(share, format=pattern, locale=lang or language())


def long_date(day: date, lang: str | None = None) -> str:
    """"6 grudnia 2026"."""
    return format_date(day, format="long", locale=lang or language())


def short_date(day: date, lang: str | None = None) -> str:
    """"06.12.2026" (Polish and Ukrainian), "12/6/26" (English)."""
    lang = lang or language()
    return format_date(day, format="dd.MM.yyyy" if lang in ("pl", "uk") else "short",
                       locale=lang)


def weekday(day: date, lang: str | None = None) -> str:
    """"niedziela"."""
    return format_date(day, format="EEEE", locale=lang or language())


def day_month(day: date, lang: str | None = None) -> str:
    """"8 grudnia" (the day and the month, as said in a sentence)."""
    return format_date(day, format="d MMMM", locale=lang or language())


def clock(moment: time | datetime, lang: str | None = None) -> str:
    """A time of day, 24-hour: "08:15"."""
    return format_time(moment, format="HH:mm", locale=lang or language())
