"""Log-in (OAuth2 password flow): a user name and password in, a bearer token out; a
user changes their own password (`POST /auth/password`, the old one required: their
other tokens end). API keys for integrations: a coordinator makes one for an account
(shown once), lists and revokes them; a request sends it as `X-API-Key` and acts as
that account. A user chooses their language (`PATCH /auth/me`); a paired phone logs in
at `POST /auth/device` (api/app/routers/devices.py)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from api.app.deps import SessionDep, UserDep, get_settings, require
from api.app.errors import ApiError, responses
from api.app.login_throttle import LoginThrottle
from api.schemas.responses import UtcDatetime
from api.security import issue_token
from api.settings import Settings
from api.store import api_keys
from api.store.tables import ApiKey, User
from api.store.users import (
    MAX_PASSWORD,
    Role,
    authenticate,
    change_password,
    set_language,
)

router = APIRouter(prefix="/auth", tags=["auth"])
coordinators = Depends(require(Role.COORDINATOR))


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str


class Me(BaseModel):
    username: str
    role: str
    worker_id: str | None
    language: str | None = Field(description="what the worker's phone page, sheets and "
                                             "calendar read (pl, uk); none: Polish")


class MeChange(BaseModel):
    language: Literal["pl", "uk"] = Field(description="pl (Polish) or uk (Ukrainian)")


@router.post("/token", response_model=Token, responses=responses(401, 422, 429, body=True),
             summary="Log in", operation_id="log_in")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep,
           settings: Annotated[Settings, Depends(get_settings)], request: Request) -> Token:
    """Too many failed log-ins for the account or from the address (see
    `TRASA_LOGIN_*`) answer 429 with Retry-After, even to the right password."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(form.username, address)
    if wait is not None:
        raise ApiError(429, f"too many failed log-ins; try again in {wait} s",
                       headers={"Retry-After": str(wait)})
    user = authenticate(session, form.username, form.password)
    if user is None:
        throttle.failed(form.username, address)
        raise ApiError(401, "wrong user name or password",
                       headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(form.username)
    if user.disabled:  # the password was right: saying so tells nothing to a guesser
        raise ApiError(401, "the account is disabled; ask a coordinator",
                       headers={"WWW-Authenticate": "Bearer"})
    return _token(settings, user)


def _token(settings: Settings, user: User) -> Token:
    return Token(access_token=issue_token(settings, user.username, user.role,
                                          user.token_version), role=user.role)


@router.get("/me", response_model=Me, responses=responses(401),
            summary="Who is logged in", operation_id="who_am_i")
def me(user: UserDep) -> Me:
    return _me(user)


def _me(user: User) -> Me:
    return Me(username=user.username, role=user.role, worker_id=user.worker_id,
              language=user.language)


@router.patch("/me", response_model=Me, responses=responses(401, 422, body=True),
              summary="Choose your language (a worker's phone page, sheets, calendar)",
              operation_id="change_me")
def change_me(body: MeChange, session: SessionDep, user: UserDep) -> Me:
    set_language(session, user, body.language)
    session.commit()
    return _me(user)


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=MAX_PASSWORD)
    new_password: str = Field(max_length=MAX_PASSWORD,
                              description="at least 8 characters")


@router.post("/password", response_model=Token, responses=responses(401, 422, body=True),
             summary="Change your own password (your other tokens end)",
             operation_id="change_password")
def password(body: PasswordChange, session: SessionDep, user: UserDep,
             settings: Annotated[Settings, Depends(get_settings)]) -> Token:
    """The answer is a new token: every token given before, this one's too, ends."""
    change_password(session, user, body.old_password, body.new_password)
    session.commit()
    return _token(settings, user)


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["gmina-reporting"],
                      description="what the key is for (shown in the list)")
    username: str | None = Field(default=None, max_length=100, examples=["planista"],
                                 description="the account the key acts as (default: yours)")


class KeyPublic(BaseModel):
    id: str
    name: str
    username: str
    created_by: str
    created_at: UtcDatetime | None


class KeyCreated(KeyPublic):
    key: str = Field(description="send as the `X-API-Key` header; shown only this once")


def _key_public(row: ApiKey) -> KeyPublic:
    return KeyPublic(id=row.id, name=row.name, username=row.username,
                     created_by=row.created_by, created_at=row.created_at)


@router.post("/keys", status_code=201, response_model=KeyCreated,
             responses=responses(401, 403, 422, body=True),
             summary="Make an API key for an integration", operation_id="create_api_key")
def create_key(body: KeyIn, session: SessionDep, response: Response,
               user: Annotated[User, coordinators]) -> KeyCreated:
    row, key = api_keys.add_key(session, body.username or user.username, body.name,
                                user.username)
    session.commit()
    response.headers["Location"] = f"/auth/keys/{row.id}"
    return KeyCreated(**_key_public(row).model_dump(), key=key)


@router.get("/keys", response_model=list[KeyPublic], dependencies=[coordinators],
            responses=responses(401, 403), summary="The API keys (never their secrets)",
            operation_id="list_api_keys")
def list_keys(session: SessionDep) -> list[KeyPublic]:
    return [_key_public(row) for row in api_keys.list_keys(session)]


@router.delete("/keys/{key_id}", status_code=204, dependencies=[coordinators],
               responses=responses(401, 403, 404, 422), summary="Revoke an API key",
               operation_id="revoke_api_key")
def revoke_key(key_id: str, session: SessionDep) -> Response:
    api_keys.revoke(session, key_id)
    session.commit()
    return Response(status_code=204)
