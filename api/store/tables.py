"""The database tables (SQLAlchemy 2 declarative); Alembic migrations follow them.

Master data and tasks are stored as one validated JSON document per record (`body`,
the resource exactly as the API accepted it) beside the columns the API filters on,
so a record reads back as it was written and a new optional field needs no migration.
Every record carries `version`: SQLAlchemy's version counter, which the API shows as
the ETag and checks against `If-Match` (a stale update is refused, never merged).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

ID_LENGTH = 100


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class _Record:
    """Columns every master-data record has."""

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now(), onupdate=func.now())

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 (SQLAlchemy's protocol)
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Provider(_Record, Base):
    __tablename__ = "providers"
    kind: Mapped[str] = mapped_column(String(10))


class Client(_Record, Base):
    __tablename__ = "clients"


class Vehicle(_Record, Base):
    __tablename__ = "vehicles"


class Worker(_Record, Base):
    __tablename__ = "workers"
    provider_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)


class Task(_Record, Base):
    """A visit, a job or a trip (a request, in the coordinators' word)."""

    __tablename__ = "tasks"
    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date, index=True)
    client_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # the body holds a promise (migration 0008): an offer reads every promise of its days
    promised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                           index=True)


class User(Base):
    """An account. `token_version` is in every log-in token it is given: one more ends
    all its tokens at once. A disabled account logs in with nothing (tokens, API keys);
    a deleted one stays as a row without a password (`deleted_at`), so that its name,
    which its jobs and audit entries keep, is never given to someone else."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    worker_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # what the worker reads (phone page, sheets, calendar): "pl", "uk"; None: Polish
    language: Mapped[str | None] = mapped_column(String(5))


class ApiKey(Base):
    """A key an integration sends instead of logging in; it acts as its account.

    Only a SHA-256 digest of the secret is kept: the secret is 256 random bits, so a
    fast hash cannot be searched back (argon2 is for passwords people choose)."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the public part
    username: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("users.username"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(ID_LENGTH))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())


class CalendarLink(Base):
    """A calendar app's subscription to one worker's published days: the URL carries
    `cal_<id>_<secret>`; only a SHA-256 digest of it is kept (as for API keys). It ends
    at `expires_at`, or when revoked (`revoked_at`; the row stays, for the record)."""

    __tablename__ = "calendar_links"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the public part
    secret_hash: Mapped[str] = mapped_column(String(64))
    worker_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Job(Base):
    """A planning job: accepted (a row) before its 202 leaves; a run claims it by token."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("users.username"))
    request: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    run_token: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # what the plan's outputs need from the road graph, written by the job's process
    # (api/services/reading.py); loaded only when asked for
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)


Index("ix_jobs_created", Job.created_at)


class PlanVersion(Base):
    """A plan kept for its days: a draft, then published (immutable), then superseded by a
    newer published plan for overlapping days. Every version stays readable."""

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, index=True)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    job_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("jobs.id"))
    document: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    published_by: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_by: Mapped[str | None] = mapped_column(String(36))
    # how many times a client's personal data was erased from `document` (and its job):
    # the one change a kept version ever sees; the servers' caches of plans key on it
    redactions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the independent checker's result on the plan as it is read ({"passed", "violations"})
    # and what its outputs need from the road graph (api/services/reading.py); both None
    # for a plan stored before migration 0007 (made on its first read) or after an erasure
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)


class AuditEntry(Base):
    """A read of personal data, or a change to accounts, links or people's data: who,
    what, when (coordinators can query it)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                         index=True)
    username: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    action: Mapped[str] = mapped_column(String(20))
    resource: Mapped[str] = mapped_column(String(300), index=True)
    detail: Mapped[str | None] = mapped_column(Text)  # the reason a promise changed


class CallList(Base):
    """A day's call list as it was issued (printed, downloaded, sent): who issued it,
    when, the plan it was read from, and per client what they were told (task ids,
    windows, workers' ids: `api.render.call_list.CallRow.issued`; no names or phones).
    The next list of the day marks its rows against the last one issued."""

    __tablename__ = "call_lists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    plan_id: Mapped[str] = mapped_column(String(36))
    issued_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                server_default=func.now())
    rows: Mapped[dict[str, Any]] = mapped_column(nullable=False)


class FieldAction(Base):
    """One press on a worker's phone (`optimiser.actuals.Action`), stored exactly once by
    the phone's idempotency `key`: accepted, or rejected with `rejected_why` (a reason
    code of `api.services.field_actions`) and kept so coordinators see it. `day`: the
    day of the route it was judged against (else the phone's day). No location."""

    __tablename__ = "field_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    task_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    worker_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date, index=True)
    phone_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    server_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    status: Mapped[str] = mapped_column(String(10))  # accepted | rejected
    rejected_why: Mapped[str | None] = mapped_column(String(30))


class ActualCorrection(Base):
    """A coordinator's correction of a task's actual: it replaces what the phone's
    actions fold to (the latest correction wins); every one is kept and audited."""

    __tablename__ = "actual_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(200))
    by: Mapped[str] = mapped_column(String(ID_LENGTH))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DayClosure(Base):
    """A day a coordinator closed: workers' actions for it are rejected from then on."""

    __tablename__ = "day_closures"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    closed_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OdometerReading(Base):
    """A bus's odometer at the start and end of a day (kilometres), for the report."""

    __tablename__ = "odometer_readings"
    vehicle_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    start_km: Mapped[int] = mapped_column(Integer)
    end_km: Mapped[int | None] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(String(ID_LENGTH))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
class Device(Base):
    """A phone paired with a worker's account: it keeps `dev_<id>_<secret>` and trades it
    at `POST /auth/device` for a short log-in token. Only a SHA-256 digest of the secret
    is kept (256 random bits, as for API keys). Revoking keeps the row (`revoked_at`)."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the public part
    username: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("users.username"),
                                          index=True)
    label: Mapped[str] = mapped_column(String(ID_LENGTH))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PromisePacking(Base):
    """The plan that kept every promise of some days when the last offer of them was
    accepted, while the days have no plan of their own (the basis is the promises alone):
    the next offer starts from it, and a plan of the days that left a promise out falls
    back on it (`api.store.packings`). One row per horizon (first day, days); `network`
    is the road network's content hash, `promises` a digest of the promises it keeps."""

    __tablename__ = "promise_packings"
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    network: Mapped[str] = mapped_column(String(80))  # "sha256:<hex>"
    promises: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
