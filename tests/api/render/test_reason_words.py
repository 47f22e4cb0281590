"""Reasons, the planner's details and a sweep's warnings read in Polish, with plurals."""

from __future__ import annotations

import pytest

from api.render.reasons import REASONS, detail_text, flag_text, reason_text
from api.render.words import use_language
from optimiser.model import Reason


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_its_words_in_polish_and_english(reason: Reason) -> None:
    polish = reason_text(reason)
    with use_language("en"):
        assert reason_text(reason) == REASONS[reason]
    assert polish != REASONS[reason]


@pytest.mark.parametrize(("sessions", "polish"), [(1, "1 wizyta"), (3, "3 wizyty"),
                                                  (5, "5 wizyt"), (22, "22 wizyty")])
def test_a_series_detail_counts_visits_with_the_polish_plural(sessions: int, polish: str
                                                              ) -> None:
    english = (f"series 's-1': {sessions} sessions, only 1 day(s) 7 apart can take one")
    assert detail_text(english) == f"seria 's-1': {polish}, tylko 1 dni co 7 może je przyjąć"


def test_a_trip_pair_detail_names_the_other_ride_and_its_reason() -> None:
    assert detail_text("r1-back: no_availability") == (
        "r1-back: żaden uprawniony pracownik nie pracuje w oknach zadania")
    assert detail_text("something new the planner says") == "something new the planner says"


def test_a_sweep_warning_reads_in_polish() -> None:
    assert flag_text("b leaves 5 mandatory task(s) out, more than a with less staff (1)") == (
        "b pomija 5 obowiązkowych zadań, więcej niż a z mniejszą obsadą (1)")


@pytest.mark.parametrize(("n", "polish"), [(1, "1 uprawnionego pracownika"),
                                           (2, "2 uprawnionych pracowników")])
def test_what_a_clients_wishes_cost_reads_in_polish_after_the_slots_holders(
        n: int, polish: str) -> None:
    english = (f"the slot is held by Ewa: t1 09:00-10:00; every task holding it has equal or "
               f"higher priority; the client's wishes rule out {n} qualified worker(s)")
    assert detail_text(english) == (
        "czas zajmują: Ewa: t1 09:00-10:00; wszystkie zajmujące je zadania mają równy lub "
        f"wyższy priorytet; życzenia klienta wykluczają {polish}")
    assert detail_text(f"the client's wishes rule out {n} qualified worker(s)") == (
        f"życzenia klienta wykluczają {polish}")
