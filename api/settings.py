"""One settings object: every `TRASA_*` environment variable the program reads.

- `TRASA_CACHE_DIR`: downloaded road graphs (osmnx); default the user cache folder,
  e.g. `~/.cache/trasa`.
- `TRASA_DATA_DIR`: the embedded database and other files Trasa keeps; default the
  user data folder, e.g. `~/.local/share/trasa`.
- `TRASA_LOG_LEVEL`: logging level of the command line; default `WARNING`.
- `DATABASE_URL` (or `TRASA_DATABASE_URL`): SQLAlchemy URL of the database, e.g.
  `postgresql+psycopg://user:password@host/trasa`; default an SQLite file `trasa.db` in
  the data folder.
- `TRASA_SECRET_KEY`: the key that signs log-in tokens; default a random key kept in
  `secret_key` in the data folder (tokens then survive a restart).
- `TRASA_TOKEN_MINUTES`: how long a log-in token lasts; default 480 (a working day).
- `TRASA_GRAPH`: the road network planning jobs use when the request names none (a
  GraphML/OSM file); default none: a scenario must bring its network, or allow the
  synthetic grid.
- `TRASA_JOB_WORKERS`: solves running at once (one process each); default 1.
- `TRASA_JOB_QUEUE`: jobs that may wait for a free process before new ones get 429;
  default 8.
- `TRASA_JOB_TIME_LIMIT_S`: the longest solve a job may ask for; default 300.
- `TRASA_JOB_MAX_SOLUTIONS`: the solution budget of a planning job that names none (the
  web page's plan buttons with the budget field left empty); default none: the job's
  time limit ends the search. Set it so that the same records give the same plan on
  any machine and under any load.
- `TRASA_JOB_SEED`: the seed of a planning job that names none (the web page never
  does); default 0.
- `TRASA_TILE_URL`: a map tile URL for the web page's map (e.g.
  `https://tile.example.org/{z}/{x}/{y}.png`) where the internet is available; default
  none: the map's base is drawn from the road network. `TRASA_TILE_ATTRIBUTION`: the
  tiles' credit line shown on the map.
- `TRASA_LOGIN_FAILURES_PER_ACCOUNT`, `TRASA_LOGIN_FAILURES_PER_ADDRESS`,
  `TRASA_LOGIN_WINDOW_S`: failed log-ins one user name, and one client address, may
  have within the window before log-ins there answer 429; default 5 and 20 in 900 s.
- `TRASA_CALENDAR_LINK_DAYS`: how long a new calendar link lasts when its maker names
  no other length; default 90.
- `TRASA_MAX_BODY_BYTES`: the largest request body the server reads (413 above it,
  refused before it is read); default 1048576 (1 MiB: six times a week's scenario of
  the Starachowice CUS, 170 kB).
- `TRASA_MAX_TASKS`: the most tasks and trips one planning job, sweep or re-planning
  may plan (a series counts each session; 422 above it, before any solve); default
  1500 (five times the Starachowice week's 304). The command line has no such cap.
- `TRASA_MAX_IMPORT_ROWS`: the most rows one CSV import may hold (422 above it);
  default 2000.
- `TRASA_MAX_EVENTS`: the most events one re-planning may carry (422 above it); default
  200 (the events format itself allows 1000).
- `TRASA_SWEEP_MAX_VARIANTS`: the variants one sweep job may have; default 50.
- `TRASA_SWEEP_MAX_SECONDS`: the solver time one sweep job may ask for in all, its
  variants times its time limit per variant (`time_limit_s`, itself at most
  `TRASA_JOB_TIME_LIMIT_S`); default 3600. A sweep over either is refused (422) before
  anything runs.
- `TRASA_TODAY`: the day the server takes for today (an ISO date, e.g. `2027-06-01`)
  where a rule counts from today: the days a subscribed calendar shows, and the open
  tasks from today on that keep a client from being erased; default the real day in
  Poland. For tests and demonstrations, so that they do not depend on the clock.
- `TRASA_AUDIT_REPEAT_S`: a person reading the same client again within this many
  seconds is the same read, not written to the audit log again (default 60; 0 writes
  every read).
- `TRASA_CALL_WINDOW_MIN`: the call list's window around a planned (not promised) time,
  in minutes: a client with no promise is told "between 9:45 and 10:45" for a visit
  planned at 10:15 (default 60, 15..240).
- `TRASA_OFFER_COUNT`: how many offers `POST /offers` and `trasa offer` give when the
  request names no `count`; default 3 (1..5).
- `TRASA_OFFER_WINDOW_MIN`: the length of an offered window, in minutes, when the request
  names no `window_min`; default 60 (30..120).
- `TRASA_DEVICE_TOKEN_MINUTES`: how long the log-in token a paired phone gets for its
  device credential (`POST /auth/device`) lasts; default 15. A revoked phone, or one of
  a disabled account, gets no new token, so it stops within this time at the latest.
  Failed trades count against `TRASA_LOGIN_*` as failed log-ins do (per device id and
  per address, apart from the password log-ins' counts).
- `TRASA_LATE_SLACK_MIN`: the live day's slack, in minutes: a stop nobody has arrived at
  this long after its planned start is an alert "running late" (`GET /field/live`);
  default 15 (1..240).
- `TRASA_NOW`: the moment the server takes for now on the live day (an ISO 8601 time
  with its offset, e.g. `2027-06-02T10:30:00+02:00`); default the server's clock. For
  tests and demonstrations, as `TRASA_TODAY`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from platformdirs import user_cache_path, user_data_path
from pydantic import AliasChoices, AwareDatetime, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from optimiser.calendar import DEFAULT_TIMEZONE

APP_NAME = "trasa"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRASA_", extra="ignore", frozen=True)

    cache_dir: Path = Field(default_factory=lambda: user_cache_path(APP_NAME))
    data_dir: Path = Field(default_factory=lambda: user_data_path(APP_NAME))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "TRASA_DATABASE_URL"))
    secret_key: str | None = None
    token_minutes: int = Field(default=480, gt=0)
    graph: str | None = None
    job_workers: int = Field(default=1, ge=1, le=64)
    job_queue: int = Field(default=8, ge=0)
    job_time_limit_s: float = Field(default=300.0, gt=0)
    job_max_solutions: int | None = Field(default=None, gt=0)
    job_seed: int = Field(default=0, ge=0)
    replan_time_limit_s: float = Field(default=4.0, gt=0)
    tile_url: str | None = Field(default=None, pattern=r"^https?://[^\s\"']+$")
    tile_attribution: str = "© autorzy OpenStreetMap"
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window_s: int = Field(default=900, ge=1)
    calendar_link_days: int = Field(default=90, ge=1, le=3650)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_tasks: int = Field(default=1500, ge=1)
    max_import_rows: int = Field(default=2000, ge=1)
    max_events: int = Field(default=200, ge=1, le=1000)  # api.convert.events.MAX_EVENTS
    sweep_max_variants: int = Field(default=50, ge=1)
    sweep_max_seconds: float = Field(default=3600.0, gt=0)
    today: date | None = None
    audit_repeat_s: float = Field(default=60.0, ge=0)
    call_window_min: int = Field(default=60, ge=15, le=240)
    offer_count: int = Field(default=3, ge=1, le=5)
    offer_window_min: int = Field(default=60, ge=30, le=120)
    device_token_minutes: int = Field(default=15, ge=1, le=480)
    late_slack_min: int = Field(default=15, ge=1, le=240)
    now: AwareDatetime | None = None

    def moment_now(self) -> datetime:
        """`now`, or the server's clock (aware, UTC)."""
        return self.now or datetime.now(UTC)

    def day_today(self) -> date:
        """`today`, or the real day in Poland (`optimiser.calendar.DEFAULT_TIMEZONE`)."""
        return self.today or datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()

    def database(self) -> str:
        """The database URL: `database_url`, or the embedded SQLite file."""
        return self.database_url or f"sqlite:///{self.data_dir / 'trasa.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment once per process."""
    return Settings()
