"""The coordinator's live day (issue 30; docs/field.md, "The live day").

`GET /field/live?day=` (coordinators; planners pseudonymised: no names, notes or
reasons, no ready re-plan): each route of the day's published plan with its progress
and stops planned against actual, the alerts of now (running late beyond
`TRASA_LATE_SLACK_MIN`, a missed arrival, a client absent, a stop not done, a bus that
will miss an arrive-by) each with the ready events body for `POST /plans/{id}/events`
where a re-plan takes it as it is, the rejected presses, and the day's buses. `now`
(ISO 8601 with its offset) judges the day at another moment; default the server's
clock (`TRASA_NOW`)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.privacy import audited, field_words_out, for_reader, is_planner
from api.services import field_day as days
from api.services.live_day import answer, live_day
from api.settings import Settings
from api.store.tables import User
from api.store.users import Role

router = APIRouter(prefix="/field", tags=["field"])
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/live", dependencies=[readers], responses=responses(401, 403, 404, 422),
            summary="The live day: routes' progress, planned against actual, alerts",
            operation_id="read_live_day")
def read_live(day: date, session: SessionDep, settings: SettingsDep,
              user: Annotated[User, readers],
              now: Annotated[AwareDatetime | None, Query(
                  description="ISO 8601 with offset; default the server's clock")] = None
              ) -> dict[str, Any]:
    try:
        live = live_day(session, day, now or settings.moment_now(), settings.late_slack_min,
                        graph=settings.graph)
    except days.NoPublishedPlan as exc:
        raise ApiError(404, str(exc)) from None
    found = answer(live)
    if is_planner(user):
        return dict(for_reader(field_words_out(found), user, session, settings,
                               plan_id=live.made.plan_id))
    audited(session, user, live.made.clients)
    return found
