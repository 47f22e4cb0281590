"""Places from the configured road network (`TRASA_GRAPH`), offline: a new client's
home found by its street's name as the coordinator types, and the streets around the
service's bases as the records page's map.

- `GET /places/streets?q=`: street names matching `q` (diacritics ignored; prefix
  matches first), each with a point on the street; coordinators (who add clients);
- `GET /places/map`: the town's streets (around the workers' bases and the clients'
  homes near them, the box rounded to 0.01°) as GeoJSON (coordinators and planners).

Both answer 503 naming `TRASA_GRAPH` when no road network is configured or it cannot be
read. Online geocoding of an address stays where it was (`api.app.geocoded`).
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.services.street_names import MAX_STREETS, find_streets, town_map_box, town_streets
from api.settings import Settings
from api.store.records import KINDS, all_resources
from api.store.users import Role
from geo.graph import GraphLoadError

router = APIRouter(prefix="/places", tags=["places"])
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _graph(settings: Settings) -> str:
    if not settings.graph:
        raise ApiError(503, "no road network: the server has no TRASA_GRAPH, so street "
                            "names and the map are not available (pick the place by its "
                            "coordinates)")
    return settings.graph


@router.get("/streets", dependencies=[coordinators], responses=responses(401, 403, 422, 503),
            summary="Street names of the road network matching what is typed",
            operation_id="find_streets")
def streets(settings: SettingsDep,
            q: Annotated[str, Query(min_length=1, max_length=100)],
            limit: Annotated[int, Query(ge=1, le=MAX_STREETS)] = 10) -> dict[str, Any]:
    try:
        found = find_streets(_graph(settings), q, cache_dir=settings.cache_dir, limit=limit)
    except GraphLoadError as exc:
        raise ApiError(503, f"TRASA_GRAPH: {exc}") from None
    return {"items": [{"name": s.name, "lat": s.lat, "lon": s.lon} for s in found]}


@router.get("/map", dependencies=[readers], response_class=Response,
            responses={**responses(401, 403, 503),
                       200: {"content": {"application/geo+json": {}}}},
            summary="The town's streets (the records page's map)",
            operation_id="read_places_map")
def town_map(session: SessionDep, settings: SettingsDep) -> Response:
    graph = _graph(settings)
    bases = [(w.base_lat, w.base_lon) for w in all_resources(session, KINDS["workers"])]
    if not bases:
        raise ApiError(503, "no workers stored: the map is drawn around the workers' bases")
    homes = [(c.lat, c.lon) for c in all_resources(session, KINDS["clients"])
             if c.lat is not None and c.lon is not None]
    try:
        document = town_streets(graph, town_map_box(homes, bases), settings.cache_dir)
    except GraphLoadError as exc:
        raise ApiError(503, f"TRASA_GRAPH: {exc}") from None
    return Response(json.dumps(document, separators=(",", ":")),
                    media_type="application/geo+json",
                    headers={"Cache-Control": "private, max-age=3600"})
