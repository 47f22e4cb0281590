"""Erasing one client from stored JSON (api/services/erasure.py): their values go from
every place and every text, the other clients' stay, ids and times stay, and erasing
again changes nothing."""

from __future__ import annotations

import json
from typing import Any

from api.services.erasure import ERASED, Personal, erase

HOME = (51.135213, 23.468571)


def _scenario() -> dict[str, Any]:
    return {
        "locations": [{"id": "home:c1", "name": "ul. Lwowska 7", "lat": HOME[0], "lon": HOME[1]},
                      {"id": "home:c2", "name": "ul. Lubelska 1", "lat": 51.1, "lon": 23.4}],
        "clients": [{"id": "c1", "name": "Jan Kowalski", "location": "home:c1",
                     "phone": "+48 600 111 222", "health_note": "cukrzyca"},
                    {"id": "c2", "name": "Anna Nowak", "location": "home:c2",
                     "phone": "+48 600 333 444", "health_note": "astma"}],
        "tasks": [{"id": "t1", "client": "c1", "note": "klucz u sąsiadki"},
                  {"id": "t2", "client": "c2", "note": "pies"}],
    }


def _document() -> dict[str, Any]:
    stop = {"task": "t1", "client": "c1", "location": "home:c1", "place": "ul. Lwowska 7",
            "lat": HOME[0], "lon": HOME[1], "start": "2026-11-10T09:00:00+01:00"}
    other = {"task": "t2", "client": "c2", "location": "home:c2", "place": "ul. Lubelska 1",
             "lat": 51.1, "lon": 23.4, "start": "2026-11-10T10:00:00+01:00"}
    return {"routes": [{"worker": "w", "stops": [stop, other]}],
            "unassigned": [{"task": "t9", "detail": "Jan Kowalski: nie w domu"}]}


def _person() -> Personal:
    person = Personal("c1", homes={"home:c1"})
    person.learn_from_scenario(_scenario())
    return person


def test_a_client_is_erased_from_a_jobs_request_and_a_plan_but_not_the_others() -> None:
    person = _person()
    request = erase({"kind": "plan", "scenario": _scenario(), "plan": _document()}, person)
    text = json.dumps(request, ensure_ascii=False)
    for value in ("Jan Kowalski", "ul. Lwowska 7", "+48 600 111 222", "cukrzyca",
                  "klucz u sąsiadki", str(HOME[0]), str(HOME[1])):
        assert value not in text, value
    for value in ("Anna Nowak", "ul. Lubelska 1", "+48 600 333 444", "astma", "pies"):
        assert value in text, value
    stop = request["plan"]["routes"][0]["stops"][0]
    assert (stop["task"], stop["client"], stop["start"], stop["place"], stop["lat"]) == (
        "t1", "c1", "2026-11-10T09:00:00+01:00", ERASED, None)
    assert request["plan"]["unassigned"][0]["detail"] == f"{ERASED}: nie w domu"
    assert erase(request, person) == request  # again: nothing more


def test_a_place_that_needs_numbers_gets_the_point_given() -> None:
    trip = {"id": "r1", "client": "c1", "dropoff": {"id": "home:c1", "name": "dom",
                                                    "lat": HOME[0], "lon": HOME[1]},
            "note": "wózek"}
    erased = erase(trip, _person(), point=(0.0, 0.0))
    assert erased["dropoff"] == {"id": "home:c1", "name": ERASED, "lat": 0.0, "lon": 0.0}
    assert erased["note"] == "" and trip["note"] == "wózek"  # a copy: the original kept
