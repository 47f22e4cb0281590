"""Numbers, dates and times as Polish writes them (decimal comma), Ukrainian as Ukrainian
does (км), English as English does."""

from __future__ import annotations

from datetime import date, time

from api.render import numbers
from api.render.words import use_language


def test_polish_numbers_have_a_decimal_comma() -> None:
    assert numbers.km(1.5) == "1,5 km"
    assert numbers.number(2.0) == "2"
    assert numbers.fixed(2, 2) == "2,00"
    assert numbers.fixed(1234.5, 2, group=False) == "1234,50"
    assert numbers.number(1234.56).replace("\u00a0", " ") == "1 234,6"
    assert numbers.percent(0.625) == "62,5%"
    assert numbers.number(None) == "—"


def test_polish_dates_and_times() -> None:
    day = date(2026, 12, 6)
    assert numbers.long_date(day) == "6 grudnia 2026"
    assert numbers.short_date(day) == "06.12.2026"
    assert numbers.weekday(day) == "niedziela"
    assert numbers.clock(time(8, 5)) == "08:05"


def test_ukrainian_numbers_dates_and_units() -> None:
    with use_language("uk"):
        assert numbers.km(1.5) == "1,5 км"
        assert numbers.km(1234.5).replace("\u00a0", " ") == "1 234,5 км"
        assert numbers.short_date(date(2026, 12, 6)) == "06.12.2026"
        assert numbers.weekday(date(2026, 12, 9)) == "середа"
        assert numbers.long_date(date(2026, 12, 6)) == "6 грудня 2026\u202fр."
        assert numbers.percent(0.625) == "62,5%"


def test_english_numbers_and_dates() -> None:
    with use_language("en"):
        assert numbers.km(1.5) == "1.5 km"
        assert numbers.long_date(date(2026, 12, 6)) == "December 6, 2026"


def test_chart_axes_of_numbers_get_decimal_commas_and_axes_of_names_keep_them() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from api.render.charts import decimal_commas

    figure = Figure()
    ax = figure.add_subplot()
    ax.bar(["fizjoterapia", "opieka"], [1.5, 2.25])
    decimal_commas(figure).canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["fizjoterapia", "opieka"]
    assert "0,5" in [t.get_text() for t in ax.get_yticklabels()]
