"""What the outputs need of people, places and the road network beside the rules: plain
data the domain carries so that sheets, calendars and maps are drawn from a `Problem`
and a `Plan` alone (never from the request schema).

- `Contact`: what a worker may know of a client to do the job (phone, mobility,
  escort). A client's health note is not here, so nothing drawn from the domain can
  carry it.
- `NetworkIdentity`: which road network the travel times came from (source, content
  hash, the synthetic grid's warning), shown on sheets and recorded with a plan.

None of it is solver input: the fields that hold it take no part in equality or in the
problem's fingerprint (`optimiser.fingerprint`)."""

from __future__ import annotations

from dataclasses import dataclass

MOBILITIES = ("walks", "seated", "wheelchair")


@dataclass(frozen=True)
class Contact:
    """How a worker reaches and helps a client: enough to do the job, nothing more."""

    phone: str = ""
    mobility: str = "walks"  # walks | seated | wheelchair
    escort: bool = False


@dataclass(frozen=True)
class NetworkIdentity:
    """The road network a problem's travel times came from ("" when not known)."""

    source: str = ""
    content_hash: str = ""
    synthetic: bool = False
    warning: str = ""  # e.g. the synthetic grid's: not for real driving
