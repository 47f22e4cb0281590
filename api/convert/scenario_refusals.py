"""Refuse before solving what no plan can give: a skill no worker has, more passengers
than any vehicle carries (`refuse_unservable`), a place too far from the roads
(`refuse_far_places`, which needs the road network). Each refusal names its field and value
(`api.convert.scenario_errors.InputRefused`)."""

from __future__ import annotations

from collections.abc import Sequence

from api.convert.scenario_errors import InputRefused, Refusal
from api.schemas.scenario import ScenarioIn, TaskIn, TripIn


def refuse_unservable(scenario: ScenarioIn) -> None:
    """Refuse (`InputRefused`) what no worker or vehicle of the scenario could ever serve:
    a task or trip needing a skill no worker has, a trip with more seats (seated + escort)
    or wheelchairs than any one vehicle carries. Windows that end before they start or
    cannot hold the duration are refused by `to_problem`; places far from the roads by
    `api.services.planning` (they need the road network). A what-if variant that takes the only bus
    away is not refused: this rule is for the scenario as given."""
    refusals: list[Refusal] = []
    skills = {s for w in scenario.workers for s in w.skills}
    known = ", ".join(sorted(skills)) or "none"
    items: list[tuple[str, TaskIn | TripIn]] = [
        *((f"tasks[{i}]", t) for i, t in enumerate(scenario.tasks)),
        *((f"trips[{i}]", r) for i, r in enumerate(scenario.trips))]
    for where, item in items:
        for skill in dict.fromkeys(item.skills):
            if skill not in skills:
                refusals.append(Refusal(f"{where}.skills", skill,
                                        f"{skill!r} is a skill no worker has ({item.id!r}; "
                                        f"the workers' skills: {known})"))
    for i, r in enumerate(scenario.trips):
        refusal = _no_vehicle_carries(scenario, f"trips[{i}].passengers", r)
        if refusal is not None:
            refusals.append(refusal)
    if refusals:
        raise InputRefused(refusals)


def refuse_far_places(scenario: ScenarioIn, road_m: Sequence[float]) -> None:
    """Refuse (`InputRefused`) a place farther from the road network than it may be;
    `road_m[i]` is the straight distance (m) from `scenario.locations[i]` to the nearest
    road node (`geo.network.road_distance_m`).

    A client's home, a base and the place of a visit or job must be within
    `network.regional.outside_m` of a road (the snapping distance): beyond it a worker
    would be routed along a straight line across fields or sea. A trip's own pickup or
    drop-off (a clinic in another town) may be beyond the network, reached by the regional
    model, but not farther than `network.regional.radius_m` from its nearest road node
    (the network's edge); with the regional model off it too must be within `outside_m`.
    One line per place, naming the strictest field that uses it."""
    regional = scenario.network.regional
    uses: list[tuple[str, str, str, bool]] = []  # field, location id, what it is, may be far
    for i, c in enumerate(scenario.clients):
        uses.append((f"clients[{i}].location", c.location, "a client's home", False))
    for i, w in enumerate(scenario.workers):
        uses.append((f"workers[{i}].start_location", w.start_location, "a base", False))
        if w.end_location is not None:
            uses.append((f"workers[{i}].end_location", w.end_location, "a base", False))
    for i, t in enumerate(scenario.tasks):
        if t.location is not None:
            uses.append((f"tasks[{i}].location", t.location, f"the place of a {t.kind}",
                         False))
    for i, r in enumerate(scenario.trips):
        if r.pickup is not None:
            uses.append((f"trips[{i}].pickup", r.pickup, "a trip's pickup", regional.enabled))
        uses.append((f"trips[{i}].dropoff", r.dropoff, "a trip's drop-off", regional.enabled))
    index = {x.id: i for i, x in enumerate(scenario.locations)}
    refused: set[str] = set()
    refusals: list[Refusal] = []
    for strict in (True, False):  # a place both a home and a trip's end: the home's rule
        for field, location, what, may_be_far in uses:
            if may_be_far == strict or location in refused:
                continue
            i = index[location]
            limit = regional.radius_m if may_be_far else regional.outside_m
            if road_m[i] <= limit:
                continue
            refused.add(location)
            x = scenario.locations[i]
            if may_be_far:
                rule = (f"{what} beyond the network must be within {_metres(limit)} of its "
                        "edge (network.regional.radius_m)")
            else:
                off = "" if regional.enabled or not field.startswith("trips[") else (
                    "; the regional model is off")
                rule = (f"{what} must be within {_metres(limit)} of a road "
                        f"(network.regional.outside_m{off})")
            refusals.append(Refusal(field, location, (
                f"{location!r} (locations[{i}], lat {x.lat}, lon {x.lon}) is "
                f"{_metres(road_m[i])} from the nearest road of the network; {rule}")))
    if refusals:
        raise InputRefused(refusals)


def _metres(value: float) -> str:
    return f"{value:.0f} m" if value < 10_000 else f"{value / 1000:.1f} km"


def _no_vehicle_carries(scenario: ScenarioIn, where: str, trip: TripIn) -> Refusal | None:
    people = trip.passengers
    seats = people.seated + people.escort
    value = {"seated": people.seated, "escort": people.escort, "wheelchair": people.wheelchair}
    if not scenario.vehicles:
        return Refusal(where, value, f"trip {trip.id!r} needs a vehicle, and the scenario "
                                     "has none (vehicles: [])")
    most_seats = max(scenario.vehicles, key=lambda v: v.seats)
    most_chairs = max(scenario.vehicles, key=lambda v: v.wheelchair_places)
    if seats > most_seats.seats:
        return Refusal(where, value, f"{seats} seats (seated {people.seated} + escort "
                                     f"{people.escort}) is more than any vehicle carries "
                                     f"(at most {most_seats.seats}: {most_seats.id!r}; "
                                     f"trip {trip.id!r})")
    if people.wheelchair > most_chairs.wheelchair_places:
        return Refusal(where, value, f"{people.wheelchair} wheelchair(s) is more than any "
                                     "vehicle carries (at most "
                                     f"{most_chairs.wheelchair_places}: {most_chairs.id!r}; "
                                     f"trip {trip.id!r})")
    if not any(v.seats >= seats and v.wheelchair_places >= people.wheelchair
               for v in scenario.vehicles):
        return Refusal(where, value, f"no one vehicle carries {seats} seats and "
                                     f"{people.wheelchair} wheelchair(s) together "
                                     f"(trip {trip.id!r})")
    return None
