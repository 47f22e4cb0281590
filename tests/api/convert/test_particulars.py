"""The domain carries what outputs say of people (api/convert/particulars.py): each
client's contact (phone, mobility, escort) and each task's note, the sessions of a
series and both halves of a trip included; the health note stays behind."""

from __future__ import annotations

from typing import Any

import numpy as np

from api.convert.scenario import parse_scenario, to_problem
from optimiser.fingerprint import problem_fingerprint
from optimiser.model import Problem, TravelMatrix
from optimiser.people import Contact

SECRET = "TAJNE: alergia 5501"


def _scenario(note: str = "klucz u sąsiadki") -> dict[str, Any]:
    return {
        "name": "dane osób", "date": "2026-03-02", "days": 2,
        "locations": [{"id": "baza", "lat": 51.13, "lon": 23.47},
                      {"id": "dom", "name": "ul. Śląska 4", "lat": 51.14, "lon": 23.48},
                      {"id": "szpital", "name": "Szpital", "lat": 51.12, "lon": 23.46}],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "vehicles": [{"id": "bus", "name": "Bus", "seats": 8, "wheelchair_places": 1}],
        "clients": [{"id": "k", "name": "Łucja Gęś", "location": "dom", "phone": "+48 600",
                     "mobility": "wheelchair", "escort": True, "health_note": SECRET}],
        "workers": [{"id": "ewa", "provider": "cus", "skills": ["physio"],
                     "vehicle": "bus", "start_location": "baza",
                     "shifts": [{"start": "07:00", "end": "15:00"}]}],
        "tasks": [{"id": "v", "kind": "visit", "client": "k", "duration_min": 30,
                   "skills": ["physio"], "note": note,
                   "series": {"sessions": 2, "min_gap_days": 1},
                   "windows": [{"start": "08:00", "end": "12:00"}]}],
        "trips": [{"id": "r", "client": "k", "dropoff": "szpital", "note": "teczka",
                   "pickup_window": {"start": "12:00", "end": "13:00"}}],
    }


def _problem(raw: dict[str, Any]) -> Problem:
    scenario = parse_scenario(raw)
    n = len(scenario.locations)
    zero = np.zeros((n, n), dtype=np.int64)
    return to_problem(scenario, TravelMatrix(zero, zero))


def test_clients_carry_their_contact_and_tasks_their_notes_but_never_the_health_note(
        ) -> None:
    problem = _problem(_scenario())
    assert problem.client("k").contact == Contact(phone="+48 600", mobility="wheelchair",
                                                  escort=True)
    notes = {t.id: t.note for t in problem.tasks}
    assert {n for k, n in notes.items() if k.startswith("v")} == {"klucz u sąsiadki"}
    assert len([k for k in notes if k.startswith("v")]) == 2  # both sessions
    assert {n for k, n in notes.items() if k.startswith("r")} == {"teczka"}
    assert SECRET not in repr(problem) and "5501" not in repr(problem)


def test_notes_and_contacts_are_not_solver_input() -> None:
    assert problem_fingerprint(_problem(_scenario())) == problem_fingerprint(
        _problem(_scenario(note="inna notatka")))

