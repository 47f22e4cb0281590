"""Paired phones: a coordinator issues a device credential for a worker's account (the
secret `dev_<id>_<random>` shown once, as a pairing link), lists and revokes them; the
phone trades its secret for a short log-in token (`exchange`), which is where revocation
and a disabled account are checked, and where `last_used_at` is written.

The secret is 256 random bits, so its SHA-256 digest is stored, as for API keys and
calendar links: a fast hash of a secret no one chose cannot be searched back, and argon2
(made to slow the guessing of passwords people choose) would only add tens of
milliseconds and megabytes of memory to every exchange for no gain. Every issue,
exchange and revocation is written to the audit log as `users/<name>/devices/<id>`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.security import api_key_digest, api_key_matches, new_secret, split_secret
from api.store import audit, tables
from api.store.records import BadReference, RecordExists, RecordNotFound

DEVICE_PREFIX = "dev"
MAX_DEVICES = 10  # live (not revoked) devices of one account: more is a mistake or misuse


class BadDevice(ValueError):
    """A secret that gives no token: `guess` when it is unknown or mistyped (counted by
    the throttle), else revoked or of an account that may not log in now."""

    def __init__(self, message: str, *, guess: bool = False) -> None:
        super().__init__(message)
        self.guess = guess


def resource(row: tables.Device) -> str:
    return f"users/{row.username}/devices/{row.id}"


def issue(session: Session, username: str, label: str, *, actor: str
          ) -> tuple[tables.Device, str]:
    """A new device of the worker account `username`, and its secret (kept nowhere)."""
    user = session.get(tables.User, username)
    if user is None or user.deleted_at is not None:
        raise RecordNotFound(f"users/{username}: no such account")
    if user.role != "worker" or user.worker_id is None:
        raise BadReference("username", username, f"users/{username}: a phone is paired "
                           "with a worker's account only (its role is "
                           f"{user.role!r})")
    live = session.scalar(select(func.count()).select_from(tables.Device).where(
        tables.Device.username == username, tables.Device.revoked_at.is_(None)))
    if (live or 0) >= MAX_DEVICES:
        raise RecordExists(f"users/{username}/devices: {MAX_DEVICES} phones are paired "
                           "already; revoke one first")
    device_id, secret = new_secret(DEVICE_PREFIX)
    row = tables.Device(id=device_id, username=username, label=label,
                        secret_hash=api_key_digest(secret), created_by=actor,
                        created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    audit.record(session, actor, "device issue", resource(row), detail=label)
    return row, secret


def list_devices(session: Session, username: str) -> Sequence[tables.Device]:
    user = session.get(tables.User, username)
    if user is None or user.deleted_at is not None:
        raise RecordNotFound(f"users/{username}: no such account")
    return session.scalars(select(tables.Device).where(tables.Device.username == username)
                           .order_by(tables.Device.created_at, tables.Device.id)).all()


def revoke(session: Session, username: str, device_id: str, *, actor: str
           ) -> tables.Device:
    """Revoke one device (again: no change); its row stays, for the record."""
    row = session.get(tables.Device, device_id)
    if row is None or row.username != username:
        raise RecordNotFound(f"users/{username}/devices/{device_id}: no such device")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()
    audit.record(session, actor, "device revoke", resource(row))
    return row


def revoke_all(session: Session, username: str, *, actor: str) -> int:
    """Revoke every live device of an account (log out everywhere, deleting it)."""
    rows = session.scalars(select(tables.Device).where(
        tables.Device.username == username, tables.Device.revoked_at.is_(None))).all()
    now = datetime.now(UTC)
    for row in rows:
        row.revoked_at = now
        audit.record(session, actor, "device revoke", resource(row))
    session.flush()
    return len(rows)


def device_id_of(secret: str) -> str | None:
    """The public id of a well-formed device secret, else None."""
    return split_secret(secret, DEVICE_PREFIX)


def exchange(session: Session, secret: str) -> tuple[tables.Device, tables.User]:
    """The device and account of `secret` if it may have a token now (`BadDevice`);
    its use is written (`last_used_at`, the audit log)."""
    device_id = device_id_of(secret)
    row = session.get(tables.Device, device_id) if device_id else None
    if row is None or not api_key_matches(secret, row.secret_hash):
        raise BadDevice("the device credential is not valid (unknown or mistyped); pair "
                        "the phone again", guess=True)
    if row.revoked_at is not None:
        raise BadDevice("the device was revoked; ask a coordinator to pair it again")
    user = session.get(tables.User, row.username)
    if user is None or user.deleted_at is not None or user.worker_id is None:
        raise BadDevice("the device's account no longer exists")
    if user.disabled:
        raise BadDevice("the account is disabled; ask a coordinator")
    row.last_used_at = datetime.now(UTC)
    session.flush()
    audit.record(session, user.username, "device use", resource(row))
    return row, user
