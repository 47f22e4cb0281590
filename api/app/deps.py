"""Request dependencies: the settings, a database session, the logged-in user, roles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from api.app.errors import ApiError
from api.security import BadToken, read_token
from api.settings import Settings
from api.store import api_keys, tables
from api.store.database import sessions
from api.store.users import Role

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)
api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                       description="an integration's key (POST /auth/keys), instead of a "
                                   "log-in token")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(settings: Annotated[Settings, Depends(get_settings)]
                      ) -> AsyncIterator[Session]:
    """A session per request, committed at the end or rolled back on error. Routes that
    write commit before they answer: the end of this dependency may come after the
    answer has left. Opening a session does no I/O, so only its end runs on a thread
    (one thread hop fewer per request), and only when the route left a transaction open."""
    session = sessions(settings.database())()
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):  # a client gone away still frees the session
            await run_in_threadpool(_end, session, commit=False)
        raise
    if session.in_transaction():
        await run_in_threadpool(_end, session, commit=True)
    else:  # the route committed: closing holds no connection, so no I/O and no thread
        session.close()


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def current_user(session: SessionDep, settings: Annotated[Settings, Depends(get_settings)],
                 token: Annotated[str | None, Depends(bearer)],
                 key: Annotated[str | None, Depends(api_key)]) -> tables.User:
    """The account of the request's token or API key: 401 when there is none, when the
    token is not valid, expired or of an older token version (revoked), and when the
    account is disabled or deleted."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if token is None and key is not None:
        by_key = api_keys.user_of(session, key)
        if by_key is None:
            raise ApiError(401, "X-API-Key: the key is not valid (unknown, revoked or "
                                "mistyped)", headers=challenge)
        return _usable(by_key, challenge)
    if token is None:
        raise ApiError(401, "log in first: POST /auth/token, then send "
                            "'Authorization: Bearer <token>' (or an integration's "
                            "'X-API-Key')", headers=challenge)
    try:
        username, version = read_token(settings, token)
    except BadToken as exc:
        raise ApiError(401, str(exc), headers=challenge) from None
    user = session.get(tables.User, username)
    if user is None:
        raise ApiError(401, "the account of this token no longer exists", headers=challenge)
    if version != user.token_version:
        raise ApiError(401, "the log-in token was revoked (a password change, or all of "
                            "the account's tokens ended); log in again", headers=challenge)
    return _usable(user, challenge)


def _usable(user: tables.User, challenge: dict[str, str]) -> tables.User:
    if user.deleted_at is not None:
        raise ApiError(401, "the account was deleted", headers=challenge)
    if user.disabled:
        raise ApiError(401, "the account is disabled; ask a coordinator", headers=challenge)
    return user


UserDep = Annotated[tables.User, Depends(current_user)]


def require(*roles: Role) -> Callable[[tables.User], Coroutine[Any, Any, tables.User]]:
    """A dependency that lets only `roles` through (403 for the others)."""
    allowed = {r.value for r in roles}

    async def check(user: UserDep) -> tables.User:
        if user.role not in allowed:
            raise ApiError(403, f"a {user.role} may not do this (needs: "
                                f"{', '.join(sorted(allowed))})")
        return user

    return check
