"""The planner's view (api.services.pseudonyms.planner_view) on documents of every shape:
records, plan stops, GeoJSON, texts."""

from __future__ import annotations

from api.services.pseudonyms import HIDDEN, HOME_AREA, Privacy, planner_view, pseudonym

KEY = "k"
HOME = (51.12912, 23.47913)
CLIENT = {"id": "c-1", "name": "Jan Kowalski", "address": "ul. Ukryta 7",
          "phone": "+48 600 100 200", "health_note": "cukrzyca", "lat": HOME[0],
          "lon": HOME[1]}
PRIVACY = Privacy.of(KEY, [CLIENT])


def test_a_return_trips_drop_off_near_home_is_its_area_and_a_hospital_stays() -> None:
    trip = {"id": "r-1", "client": "c-1", "note": "klucz u sąsiadki",
            "pickup": {"id": "szpital", "name": "Szpital", "lat": 51.14, "lon": 23.48},
            "dropoff": {"id": "dom-1", "name": "dom: ul. Ukryta 7",
                        "lat": HOME[0] + 0.0002, "lon": HOME[1] - 0.0001}}
    seen = planner_view(trip, PRIVACY)
    assert seen["client"] == pseudonym("c-1", KEY) and seen["note"] == ""
    assert seen["dropoff"] == {"id": None, "name": HOME_AREA, "lat": 51.13, "lon": 23.48}
    assert seen["pickup"] == trip["pickup"]
    far = {"name": "sąsiad", "lat": HOME[0] + 0.001, "lon": HOME[1]}  # ~110 m: not the home
    assert planner_view(far, PRIVACY) == far


def test_plan_stops_geojson_points_and_texts() -> None:
    document = {"routes": [{"stops": [{"task": "t-1", "client": "c-1", "location": "x",
                                       "lat": 51.2, "lon": 23.5, "place": "Przychodnia"}]}],
                "unassigned": [{"task": "t-2", "client": "c-1",
                                "reason": "c-1 (Jan Kowalski, ul. Ukryta 7) not reached"}],
                "features": [{"type": "Feature", "geometry": {
                    "type": "Point", "coordinates": [HOME[1], HOME[0]]}}]}
    seen = planner_view(document, PRIVACY)
    stop = seen["routes"][0]["stops"][0]
    assert (stop["location"], stop["lat"], stop["lon"], stop["place"]) == (None,) * 4
    alias = pseudonym("c-1", KEY)
    assert seen["unassigned"][0]["reason"] == f"{alias} ({HIDDEN}, {HIDDEN}) not reached"
    assert seen["features"][0]["geometry"]["coordinates"] == [23.48, 51.13]
    assert planner_view({"client": alias}, PRIVACY) == {"client": alias}  # not twice
