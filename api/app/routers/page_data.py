"""The JSON the coordinator's page (api/web) needs beyond the rest of the API.

- `GET /plans/{plan_id}/streets`: the streets of the plan's town from the road network,
  as the plan's stored reading keeps them (the map's base layer; no tile server needed);
- `GET /plans/{plan_id}/days/{day}/view`: a day's KPIs, timeline rows, bases and the
  tasks left out with reasons and what would let them in (coordinators; the clients it
  names are audited).
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.plan_reading import read_back
from api.app.privacy import audited
from api.render.day_view import day_view
from api.render.words import warning_text
from api.settings import Settings
from api.store.tables import User
from api.store.users import Role

router = APIRouter(tags=["web page"])
coordinators = Depends(require(Role.COORDINATOR))
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/plans/{plan_id}/streets", dependencies=[readers], response_class=Response,
            responses={**responses(401, 403, 404, 409, 422),
                       200: {"content": {"application/geo+json": {}}}},
            summary="The streets of a plan's town from the road network (a map's base)",
            operation_id="read_plan_streets")
def streets(plan_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    found = read_back(session, settings, plan_id)
    return Response(found.streets_json, media_type="application/geo+json",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.get("/plans/{plan_id}/days/{day}/view", dependencies=[coordinators],
            responses=responses(401, 403, 404, 409, 422),
            summary="A day of a plan for the day view: KPIs, timeline, bases, left out",
            operation_id="read_day_view")
def read_day_view(plan_id: str, day: date, session: SessionDep, settings: SettingsDep,
                  user: Annotated[User, coordinators]) -> dict[str, Any]:
    found = read_back(session, settings, plan_id)
    dates = found.problem.calendar.dates
    if day not in dates:
        raise ApiError(422, f"day: {day} is not a day of plans/{plan_id} ({dates[0]} to "
                            f"{dates[-1]})")
    replanning = found.document.get("replanning")
    view = day_view(found.problem, found.plan, day, replanning)
    audited(session, user, (c["id"] for c in view["choices"]["clients"]))  # names shown
    return {"plan_id": plan_id, "name": found.problem.name, "warning": warning_text(found.warning),
            "first_day": dates[0].isoformat(), "last_day": dates[-1].isoformat(), **view}
