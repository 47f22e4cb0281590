"""Accounts: who may log in, with which role, and (for a worker) which stored worker they
are; disabling, deleting, passwords, and ending an account's tokens at once.

A deleted account keeps its row, without a password and marked `deleted_at`: its name
stays in its jobs and in the audit log, and is never given to someone else. Every
change here is written to the audit log by the caller's `actor` (a user name, or
`cli:<system user>` for the command line)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.security import dummy_password_hash, hash_password, verify_password
from api.store import audit, devices, tables
from api.store.records import BadReference, RecordExists, RecordNotFound

MIN_PASSWORD = 8
MAX_PASSWORD = 200  # argon2 hashes anything; a megabyte "password" is an attack


class Role(StrEnum):
    COORDINATOR = "coordinator"  # sees and changes everything
    WORKER = "worker"  # sees their own published days
    PLANNER = "planner"  # scenarios, plans, KPIs; clients pseudonymised


class UserError(BadReference):
    """An account change refused; names the field (never echoes a password)."""


def _check_password(password: str, field: str = "password") -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(field, None, f"{field}: {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def add_user(session: Session, username: str, password: str, role: Role,
             worker_id: str | None = None, *, actor: str | None = None) -> tables.User:
    """A new account; a worker's names a stored worker. Audited when `actor` is given."""
    if not username.strip():
        raise UserError("username", username, "username: must not be empty")
    _check_password(password)
    if (role is Role.WORKER) != (worker_id is not None):
        raise UserError("worker_id", worker_id, f"worker_id: {worker_id!r}: a worker account "
                        "names its worker, other roles none")
    if worker_id is not None and session.get(tables.Worker, worker_id) is None:
        raise UserError("worker_id", worker_id,
                        f"worker_id: {worker_id!r} is not a stored worker (add the worker "
                        "first: POST /workers or `trasa import`)")
    existing = session.get(tables.User, username)
    if existing is not None:
        gone = " (a deleted account: names are not reused)" if existing.deleted_at else ""
        raise RecordExists(f"users/{username}: already exists{gone}")
    user = tables.User(username=username, password_hash=hash_password(password),
                       role=role.value, worker_id=worker_id, disabled=False, token_version=0)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # made by someone else between the check and the write
        raise RecordExists(f"users/{username}: already exists") from None
    if actor is not None:
        audit.record(session, actor, "user add", f"users/{username}")
    return user


def authenticate(session: Session, username: str, password: str) -> tables.User | None:
    """The account if the password is its own. An unknown user name costs the same
    argon2 check (against a hash of nothing anyone knows), so the answer's time does not
    tell which names exist; a deleted account is an unknown one."""
    user = session.get(tables.User, username)
    if user is None or user.deleted_at is not None:
        verify_password(password, dummy_password_hash())
        return None
    return user if verify_password(password, user.password_hash) else None


def get_user(session: Session, username: str) -> tables.User:
    """A live (not deleted) account."""
    user = session.get(tables.User, username)
    if user is None or user.deleted_at is not None:
        raise RecordNotFound(f"users/{username}: no such account")
    return user


def list_users(session: Session) -> Sequence[tables.User]:
    return session.scalars(select(tables.User).where(tables.User.deleted_at.is_(None))
                           .order_by(tables.User.username)).all()


def set_disabled(session: Session, username: str, disabled: bool, *, actor: str
                 ) -> tables.User:
    """Disable (its tokens and API keys answer 401 from now) or enable an account."""
    user = get_user(session, username)
    user.disabled = disabled
    session.flush()
    audit.record(session, actor, "user disable" if disabled else "user enable",
                 f"users/{username}")
    return user


def revoke_tokens(session: Session, username: str, *, actor: str) -> tables.User:
    """End every log-in token the account was given, and revoke its paired phones (a
    phone would otherwise log in again with its device credential); API keys are
    revoked one by one."""
    user = get_user(session, username)
    devices.revoke_all(session, username, actor=actor)
    user.token_version += 1
    session.flush()
    audit.record(session, actor, "tokens revoke", f"users/{username}")
    return user


def change_password(session: Session, user: tables.User, old: str, new: str) -> None:
    """The user's own change: the old password required; their tokens end."""
    if not verify_password(old, user.password_hash):
        raise UserError("old_password", None, "old_password: not the account's password")
    _check_password(new, "new_password")
    user.password_hash = hash_password(new)
    user.token_version += 1
    session.flush()
    audit.record(session, user.username, "password change", f"users/{user.username}")


def reset_password(session: Session, username: str, password: str, *, actor: str) -> None:
    """A coordinator's reset of someone's password; their tokens end."""
    _check_password(password)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    user.token_version += 1
    session.flush()
    audit.record(session, actor, "password reset", f"users/{username}")


LANGUAGES = ("pl", "uk")  # what a worker may read: catalogs with the worker's words


def set_language(session: Session, user: tables.User, language: str) -> None:
    """The account's language (the user's own choice, audited)."""
    if language not in LANGUAGES:
        raise UserError("language", language,
                        f"language: {language!r}: one of {', '.join(LANGUAGES)}")
    user.language = language
    session.flush()
    audit.record(session, user.username, "language set", f"users/{user.username}",
                 detail=language)


def language_of_worker(session: Session, worker_id: str) -> str | None:
    """The language chosen on the (live) account of worker `worker_id`, if any."""
    return session.scalar(select(tables.User.language).where(
        tables.User.worker_id == worker_id, tables.User.deleted_at.is_(None),
        tables.User.language.is_not(None)).order_by(tables.User.username).limit(1))


def delete_user(session: Session, username: str, *, actor: str) -> None:
    """Delete an account: its password, worker link and API keys go, its tokens end; the
    row stays as a tombstone (its name in jobs and the audit log; never reused)."""
    user = get_user(session, username)
    for key in session.scalars(select(tables.ApiKey).where(tables.ApiKey.username == username)):
        session.delete(key)
    devices.revoke_all(session, username, actor=actor)
    user.password_hash, user.worker_id = "", None
    user.disabled, user.token_version = True, user.token_version + 1
    user.deleted_at = datetime.now(UTC)
    session.flush()
    audit.record(session, actor, "user delete", f"users/{username}")
