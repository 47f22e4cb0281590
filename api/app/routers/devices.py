"""Paired phones over HTTP. A coordinator pairs a phone with a worker's account (`POST
/users/{username}/devices` with a label: the secret and a pairing link shown once),
lists the account's phones (label, made, last used, revoked) and revokes one (`DELETE
/users/{username}/devices/{id}`). The phone trades its secret for a log-in token at
`POST /auth/device`: a worker's token like any other (so every worker route works and
nothing more), lasting `TRASA_DEVICE_TOKEN_MINUTES` (15); a revoked phone, or one of a
disabled or deleted account, gets 401 there, so it stops within one token's lifetime.
Failed trades are throttled as failed log-ins are (`TRASA_LOGIN_*`)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, FieldError, responses
from api.app.login_throttle import LoginThrottle
from api.schemas.responses import UtcDatetime
from api.security import issue_token
from api.settings import Settings
from api.store import devices as store
from api.store.records import BadReference
from api.store.tables import Device, User
from api.store.users import Role

router = APIRouter(tags=["devices"])
coordinators = Depends(require(Role.COORDINATOR))
PAIR_PAGE = "/app/sparuj"  # the phone opens it; the secret rides in the #fragment
MAX_SECRET = 200


class DeviceIn(BaseModel):
    label: str = Field(min_length=1, max_length=100, examples=["telefon Anny (Samsung)"],
                       description="which phone it is (shown in the list)")


class DevicePublic(BaseModel):
    id: str
    username: str
    label: str
    created_by: str
    created_at: UtcDatetime | None
    last_used_at: UtcDatetime | None
    revoked_at: UtcDatetime | None


class DeviceCreated(DevicePublic):
    secret: str = Field(description="the device credential; shown only this once")
    pair_url: str = Field(description="open on the phone: it keeps the secret and shows "
                                      "the worker's day (the secret is in the #fragment, "
                                      "which the browser never sends)")


class DeviceSecret(BaseModel):
    secret: str = Field(min_length=1, max_length=MAX_SECRET,
                        description="the phone's device credential (`dev_…`)")


class DeviceToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    username: str
    worker_id: str | None
    language: str | None
    expires_in: int = Field(description="seconds the token lasts; trade the secret again "
                                        "then, or on a 401")


def _public(row: Device) -> DevicePublic:
    return DevicePublic(id=row.id, username=row.username, label=row.label,
                        created_by=row.created_by, created_at=row.created_at,
                        last_used_at=row.last_used_at, revoked_at=row.revoked_at)


@router.post("/users/{username}/devices", status_code=201, response_model=DeviceCreated,
             responses=responses(401, 403, 404, 409, 422, body=True),
             summary="Pair a phone with a worker's account (the secret shown once)",
             operation_id="create_device")
def create_device(username: str, body: DeviceIn, session: SessionDep, request: Request,
                  response: Response, user: Annotated[User, coordinators]) -> DeviceCreated:
    try:
        row, secret = store.issue(session, username, body.label, actor=user.username)
    except BadReference as exc:  # the account is named in the path, not the body
        raise ApiError(422, str(exc), errors=[FieldError(
            field="path.username", value=username, message=str(exc))]) from None
    session.commit()
    response.headers["Location"] = f"/users/{username}/devices/{row.id}"
    base = str(request.base_url).rstrip("/")
    return DeviceCreated(**_public(row).model_dump(), secret=secret,
                         pair_url=f"{base}{PAIR_PAGE}#{secret}")


@router.get("/users/{username}/devices", response_model=list[DevicePublic],
            dependencies=[coordinators], responses=responses(401, 403, 404, 422),
            summary="An account's paired phones (never their secrets)",
            operation_id="list_devices")
def list_devices(username: str, session: SessionDep) -> list[DevicePublic]:
    return [_public(row) for row in store.list_devices(session, username)]


@router.delete("/users/{username}/devices/{device_id}", status_code=204,
               responses=responses(401, 403, 404, 422),
               summary="Revoke a paired phone (it gets no new token)",
               operation_id="revoke_device")
def revoke_device(username: str, device_id: str, session: SessionDep,
                  user: Annotated[User, coordinators]) -> Response:
    store.revoke(session, username, device_id, actor=user.username)
    session.commit()
    return Response(status_code=204)


@router.post("/auth/device", response_model=DeviceToken,
             responses=responses(401, 422, 429, body=True),
             summary="A paired phone's log-in: its device credential for a short token",
             operation_id="log_in_device", tags=["auth"])
def log_in_device(body: DeviceSecret, session: SessionDep, request: Request,
                  settings: Annotated[Settings, Depends(get_settings)]) -> DeviceToken:
    """Too many unknown secrets for one device id or from one address answer 429 with
    Retry-After, as failed log-ins do."""
    throttle: LoginThrottle = request.app.state.device_throttle
    address = request.client.host if request.client else "unknown"
    key = store.device_id_of(body.secret) or "-"
    wait = throttle.retry_after(key, address)
    challenge = {"WWW-Authenticate": "Bearer"}
    if wait is not None:
        raise ApiError(429, f"too many failed device log-ins; try again in {wait} s",
                       headers={"Retry-After": str(wait)})
    try:
        device, user = store.exchange(session, body.secret)
    except store.BadDevice as exc:
        if exc.guess:
            throttle.failed(key, address)
        session.rollback()
        raise ApiError(401, f"secret: {exc}", headers=challenge) from None
    throttle.succeeded(key)
    minutes = settings.device_token_minutes
    token = issue_token(settings, user.username, user.role, user.token_version,
                        minutes=minutes, device=device.id)
    answer = DeviceToken(access_token=token, role=user.role, username=user.username,
                         worker_id=user.worker_id, language=user.language,
                         expires_in=minutes * 60)
    session.commit()
    return answer
