"""Accounts: who may log in, with which role, and (for a worker) which worker they are."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.security import dummy_password_hash, hash_password, verify_password
from api.store import tables


class Role(StrEnum):
    COORDINATOR = "coordinator"  # sees and changes everything
    WORKER = "worker"  # sees their own published days
    PLANNER = "planner"  # scenarios, plans, KPIs; clients pseudonymised


class UserError(ValueError):
    pass


def add_user(session: Session, username: str, password: str, role: Role,
             worker_id: str | None = None) -> tables.User:
    if not username.strip():
        raise UserError("username: must not be empty")
    if len(password) < 8:
        raise UserError("password: at least 8 characters")
    if (role is Role.WORKER) != (worker_id is not None):
        raise UserError(f"worker_id: {worker_id!r}: a worker account names its worker, "
                        "other roles none")
    if session.get(tables.User, username) is not None:
        raise UserError(f"username: {username!r} already exists")
    user = tables.User(username=username, password_hash=hash_password(password),
                       role=role.value, worker_id=worker_id)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # made by someone else between the check and the write
        raise UserError(f"username: {username!r} already exists") from None
    return user


def authenticate(session: Session, username: str, password: str) -> tables.User | None:
    """The account if the password is its own. An unknown user name costs the same
    argon2 check (against a hash of nothing anyone knows), so the answer's time does not
    tell which names exist."""
    user = session.get(tables.User, username)
    if user is None:
        verify_password(password, dummy_password_hash())
        return None
    return user if verify_password(password, user.password_hash) else None
