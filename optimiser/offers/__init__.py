"""Offers of times a new request can be served at, kept as promises: the engine.

`find_offers(problem, basis, new_ids, settings)` returns the best few windows for the
new tasks `new_ids` against the basis plan (published, else draft, else the promises
alone), each with the plan that serves them without breaking a promise or dropping
served work; `why_no_offer` says why there is none. Pure domain: see
docs/offers-engine.md for the algorithm.
"""

from optimiser.offers.contract import Offer, OfferSettings
from optimiser.offers.engine import find_offers, why_no_offer

__all__ = ["Offer", "OfferSettings", "find_offers", "why_no_offer"]
