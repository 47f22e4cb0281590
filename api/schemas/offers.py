"""An offer request and its answer (`POST /offers`, `trasa offer`; docs/offers.md).

A caller asks for a new visit, job, series of visits, trip, or trip with its return, for
an existing client (`client`) or a new one (`new_client`), on a day or a week
(`first_day`, `days` 1 or 7), with wishes: `windows` (HH:MM with their `day`: a date, a
weekday or `daily`; default the whole of every day), a preferred worker and a preferred
time. A trip gives its `dropoff`, `arrive_by` and `appointment_min`; `with_return` adds
the ride back, picked up after the appointment. `moves` names a stored task or trip to
move instead: the request is that task again, with new wishes.

Units: minutes for lengths (`duration_min`, `window_min`, `appointment_min`), HH:MM
local time for clock times; the answer gives added travel in minutes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from api.schemas.records import Latitude, Longitude, Place, Priority
from api.schemas.scenario import Id, Minutes, PassengersIn, Strict, WindowIn

HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
MIN_COUNT, MAX_COUNT = 1, 5
MIN_WINDOW_MIN, MAX_WINDOW_MIN = 30, 120


class NewClientIn(Strict):
    """A caller not yet stored: stored as a client when an offer is accepted."""

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=300)
    lat: Latitude
    lon: Longitude
    mobility: Literal["walks", "seated", "wheelchair"] = "walks"


class OfferRequest(Strict):
    kind: Literal["visit", "job", "series", "trip"] = "visit"
    client: Id | None = None
    new_client: NewClientIn | None = None
    moves: Id | None = None  # a stored task or trip to move (its promise replaced)
    first_day: date
    days: Literal[1, 7] = 1
    # a visit, job or series
    duration_min: Minutes = 60
    skills: list[Id] = []
    sessions: int = Field(default=2, ge=2, le=7)  # a series
    min_gap_days: int = Field(default=1, ge=0, le=6)
    # a trip (on `first_day`)
    dropoff: Place | None = None
    pickup: Place | None = None  # default: the client's home
    arrive_by: HHMM | None = None
    appointment_min: Minutes = 0
    with_return: bool = False
    passengers: PassengersIn = PassengersIn()
    # the caller's wishes
    windows: list[WindowIn] = Field(default=[], max_length=50)
    preferred_worker: Id | None = None
    preferred_time: HHMM | None = None
    priority: Priority = "normal"
    note: str = Field(default="", max_length=500)
    count: int | None = Field(default=None, ge=MIN_COUNT, le=MAX_COUNT)
    window_min: int | None = Field(default=None, ge=MIN_WINDOW_MIN, le=MAX_WINDOW_MIN)

    @model_validator(mode="after")
    def _whole(self) -> OfferRequest:
        if self.moves is None and (self.client is None) == (self.new_client is None):
            raise ValueError("client: give either `client` (a stored client) or "
                             "`new_client`")
        if self.kind == "trip" and self.moves is None and self.dropoff is None:
            raise ValueError("dropoff: a trip needs its drop-off place")
        if self.kind == "trip" and self.days != 1:
            raise ValueError("days: a trip is offered on one day (`first_day`)")
        if self.with_return and self.kind != "trip":
            raise ValueError("with_return: only a trip has a return")
        return self


class OfferedWindow(Strict):
    task: Id
    day: date
    start: HHMM
    end: HHMM


class OfferOut(Strict):
    rank: int
    day: date
    windows: list[OfferedWindow]
    worker: Id
    worker_name: str | None = None  # coordinators only
    vehicle: Id | None = None
    added_travel_min: int
    token: str


class OffersAnswer(Strict):
    basis: Literal["published", "draft", "promises"]
    basis_plan: str | None = None
    client: Id
    offers: list[OfferOut]
    reason: str | None = Field(default=None, description=(
        "when there is no offer: why, as a reason code of the plan's left-out tasks "
        "(e.g. capacity_exhausted, no_skilled_worker)"))
    why: str | None = Field(default=None, description="the reason in the reader's language")


class AcceptIn(Strict):
    token: str = Field(min_length=10, max_length=20_000)


class Accepted(Strict):
    tasks: list[OfferedWindow]
    client: Id
    worker: Id
    replan_job: str | None = None  # a move on a published plan re-plans it
