"""Log-in (OAuth2 password flow): a user name and password in, a bearer token out."""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from api.app.deps import SessionDep, UserDep, get_settings
from api.app.errors import ApiError, responses
from api.security import issue_token
from api.settings import Settings
from api.store.users import authenticate

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str


class Me(BaseModel):
    username: str
    role: str
    worker_id: str | None


@router.post("/token", response_model=Token, responses=responses(401, 422, body=True),
             summary="Log in", operation_id="log_in")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep,
           settings: Annotated[Settings, Depends(get_settings)]) -> Token:
    user = authenticate(session, form.username, form.password)
    if user is None:
        raise ApiError(401, "wrong user name or password",
                       headers={"WWW-Authenticate": "Bearer"})
    return Token(access_token=issue_token(settings, user.username, user.role), role=user.role)


@router.get("/me", response_model=Me, responses=responses(401),
            summary="Who is logged in", operation_id="who_am_i")
def me(user: UserDep) -> Me:
    return Me(username=user.username, role=user.role, worker_id=user.worker_id)
