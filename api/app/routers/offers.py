"""Offers of times that will be kept (docs/offers.md): `POST /offers` answers the best
few windows for a new request (or a move, `moves`) at once, synchronously; `POST
/offers/accept` stores the offer's task(s) with their promise (201), or answers 409 with
fresh offers when the slot was taken meanwhile. Coordinators see workers' names;
planners may ask for offers (naming the client by its pseudonym) and see pseudonyms and
no names, but only coordinators
accept or move (it stores a client's request). Accepting a move replaces the promise
and, when a published plan holds the task, starts its re-plan (`replan_job`)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, FieldError, responses
from api.app.moves import replan_moved, stored_task
from api.app.offer_errors import answer_for, offer_errors
from api.app.privacy import audited, is_planner, pseudonym_filter, sees_names
from api.schemas.offers import Accepted, AcceptIn, OfferRequest, OffersAnswer
from api.services.offers import accept, find, read_token
from api.settings import Settings
from api.store import tables
from api.store.users import Role

router = APIRouter(tags=["offers"])
readers = Depends(require(Role.COORDINATOR, Role.PLANNER))
coordinators = Depends(require(Role.COORDINATOR))


@router.post("/offers", response_model=OffersAnswer, dependencies=[readers],
             responses=responses(401, 403, 404, 422, body=True),
             summary="Offer windows for a new request, or to move one",
             operation_id="offer_windows")
def offers(body: OfferRequest, session: SessionDep, user: Annotated[tables.User, readers],
           settings: Annotated[Settings, Depends(get_settings)]) -> Any:
    if body.moves is not None and not sees_names(user):
        raise ApiError(403, "moves: only a coordinator moves a client's request")
    if is_planner(user) and body.client is not None:
        # a planner names the client by its pseudonym; a real id stands for no client
        client = pseudonym_filter(body.client, session, settings)
        if not client:
            raise ApiError(422, f"client: {body.client!r} is not a client's pseudonym",
                           errors=[FieldError(field="body.client", value=body.client,
                                              message="not a client's pseudonym")])
        body = body.model_copy(update={"client": client})
    with offer_errors(session, user, settings):
        answer = find(session, settings, body, names=sees_names(user))
    audited(session, user, [answer.client])
    return answer_for(answer, user, session, settings)


@router.post("/offers/accept", status_code=201, response_model=Accepted,
             dependencies=[coordinators], responses=responses(401, 403, 409, 422, 429,
                                                              body=True),
             summary="Accept an offer: store the request with its promise",
             operation_id="accept_offer")
def accept_offer(body: AcceptIn, request: Request, response: Response, session: SessionDep,
                 user: Annotated[tables.User, coordinators],
                 settings: Annotated[Settings, Depends(get_settings)]) -> Accepted:
    with offer_errors(session, user, settings):
        payload = read_token(body.token, settings)
        moved = payload["request"].get("moves")
        was = None if moved is None else stored_task(session, moved)
        accepted = accept(session, settings, body.token, user.username, names=True)
    if was is None:
        session.commit()
        return accepted
    job = replan_moved(session, request, response, user, settings, was, accepted)
    return accepted.model_copy(update={"replan_job": job})
