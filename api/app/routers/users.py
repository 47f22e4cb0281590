"""Accounts over HTTP, for coordinators: add one (a worker's names a stored worker),
list them, disable and enable, reset a password, end all of an account's tokens at
once, delete. A user changes their own password at `POST /auth/password`. Every change
is audited (`GET /audit?resource=users/NAME`)."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from api.app.deps import SessionDep, require
from api.app.errors import ApiError, responses
from api.store import users as store
from api.store.tables import User
from api.store.users import MAX_PASSWORD, Role

router = APIRouter(prefix="/users", tags=["accounts"])
coordinators = Depends(require(Role.COORDINATOR))


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[^/\s]+$",
                          examples=["anna.nowak"])
    password: str = Field(max_length=MAX_PASSWORD, description="at least 8 characters")
    role: Role
    worker_id: str | None = Field(default=None, max_length=100,
                                  description="a worker's account: the stored worker")


class UserPublic(BaseModel):
    username: str
    role: str
    worker_id: str | None
    disabled: bool
    language: str | None = Field(default=None, description="the language the user chose "
                                                          "(pl, uk; none: Polish)")


class PasswordIn(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD, description="at least 8 characters")


def _public(user: User) -> UserPublic:
    return UserPublic(username=user.username, role=user.role, worker_id=user.worker_id,
                      disabled=user.disabled, language=user.language)


def _not_yourself(user: User, username: str, what: str) -> None:
    if user.username == username:
        raise ApiError(409, f"users/{username}: you cannot {what} your own account (ask "
                            "another coordinator)")


@router.post("", status_code=201, response_model=UserPublic,
             responses=responses(401, 403, 409, 422, body=True), summary="Add an account",
             operation_id="create_user")
def create_user(body: UserIn, session: SessionDep, response: Response,
                user: Annotated[User, coordinators]) -> UserPublic:
    made = store.add_user(session, body.username, body.password, body.role, body.worker_id,
                          actor=user.username)
    session.commit()
    response.headers["Location"] = f"/users/{made.username}"
    return _public(made)


@router.get("", response_model=list[UserPublic], dependencies=[coordinators],
            responses=responses(401, 403), summary="The accounts (not the deleted ones)",
            operation_id="list_users")
def list_users(session: SessionDep) -> list[UserPublic]:
    return [_public(u) for u in store.list_users(session)]


@router.post("/{username}/disable", response_model=UserPublic,
             responses=responses(401, 403, 404, 409, 422),
             summary="Disable an account (its tokens and API keys stop working)",
             operation_id="disable_user")
def disable(username: str, session: SessionDep,
            user: Annotated[User, coordinators]) -> UserPublic:
    _not_yourself(user, username, "disable")
    changed = store.set_disabled(session, username, True, actor=user.username)
    session.commit()
    return _public(changed)


@router.post("/{username}/enable", response_model=UserPublic,
             responses=responses(401, 403, 404, 422), summary="Enable a disabled account",
             operation_id="enable_user")
def enable(username: str, session: SessionDep,
           user: Annotated[User, coordinators]) -> UserPublic:
    changed = store.set_disabled(session, username, False, actor=user.username)
    session.commit()
    return _public(changed)


@router.post("/{username}/revoke-tokens", status_code=204,
             responses=responses(401, 403, 404, 422),
             summary="End every log-in token of an account at once",
             operation_id="revoke_user_tokens")
def revoke_tokens(username: str, session: SessionDep,
                  user: Annotated[User, coordinators]) -> Response:
    store.revoke_tokens(session, username, actor=user.username)
    session.commit()
    return Response(status_code=204)


@router.post("/{username}/password", status_code=204,
             responses=responses(401, 403, 404, 422, body=True),
             summary="Reset an account's password (its tokens end)",
             operation_id="reset_user_password")
def reset_password(username: str, body: PasswordIn, session: SessionDep,
                   user: Annotated[User, coordinators]) -> Response:
    store.reset_password(session, username, body.password, actor=user.username)
    session.commit()
    return Response(status_code=204)


@router.delete("/{username}", status_code=204, responses=responses(401, 403, 404, 409, 422),
               summary="Delete an account (the audit log keeps its entries)",
               operation_id="delete_user")
def delete(username: str, session: SessionDep,
           user: Annotated[User, coordinators]) -> Response:
    _not_yourself(user, username, "delete")
    store.delete_user(session, username, actor=user.username)
    session.commit()
    return Response(status_code=204)
