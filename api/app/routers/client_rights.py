"""People's rights over HTTP (RODO), for coordinators: `GET /clients/{id}/export`,
everything Trasa holds about a client as one JSON document (art. 15), and `POST
/clients/{id}/erase`, their personal data taken out of every record, plan and job while
the statistics and the audit log stay (art. 17; api/store/client_rights.py). Both are
audited; erasing again changes nothing more."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import responses
from api.settings import Settings
from api.store import client_rights
from api.store.tables import User
from api.store.users import Role

router = APIRouter(prefix="/clients", tags=["people's rights"])
coordinators = Depends(require(Role.COORDINATOR))


class Erased(BaseModel):
    client: str
    tasks: int
    plans: int
    jobs: int
    plans_changed: int


@router.get("/{client_id}/export", response_class=Response,
            responses={**responses(401, 403, 404, 422),
                       200: {"content": {"application/json": {}}}},
            summary="Everything held about a client (RODO art. 15)",
            operation_id="export_client")
def export(client_id: str, session: SessionDep,
           user: Annotated[User, coordinators]) -> Response:
    held = client_rights.export_client(session, client_id, user.username)
    session.commit()
    return Response(json.dumps(held, ensure_ascii=False, indent=1),
                    media_type="application/json", headers={
                        "Content-Disposition": f'attachment; filename="{client_id}.json"'})


@router.post("/{client_id}/erase", response_model=Erased,
             responses=responses(401, 403, 404, 409, 422),
             summary="Erase a client's personal data (RODO art. 17)",
             operation_id="erase_client")
def erase(client_id: str, session: SessionDep,
          settings: Annotated[Settings, Depends(get_settings)],
          user: Annotated[User, coordinators]) -> Erased:
    done = client_rights.erase_client(session, client_id, user.username,
                                      today=settings.day_today())
    session.commit()
    return Erased(**done)
