"""What an offer's refusals become over HTTP: a request or token that cannot be offered
(422 naming the field), a slot taken meanwhile (409 with fresh offers, in the reader's
view), the offer engine's refusals of the request (422)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api.app.errors import ApiError, FieldError
from api.app.privacy import for_reader, sees_names
from api.convert.scenario import ScenarioError
from api.schemas.offers import OffersAnswer
from api.schemas.records import RecordsError
from api.services.offers import BadOffer, SlotTaken
from api.settings import Settings
from api.store import tables
from optimiser.problem_parts import ProblemError


def answer_for(answer: OffersAnswer, user: tables.User, session: Any,
               settings: Settings) -> dict[str, Any]:
    """Offers as `user` may see them: a planner gets pseudonyms and no names."""
    document = answer.model_dump(mode="json")
    if not sees_names(user):
        for offer in document["offers"]:
            offer["worker_name"] = None
    return dict(for_reader(document, user, session, settings))


@contextmanager
def offer_errors(session: Any, user: tables.User, settings: Settings) -> Iterator[None]:
    try:
        yield
    except BadOffer as exc:
        raise ApiError(422, str(exc), errors=[FieldError(field=f"body.{exc.field}",
                                                         message=str(exc))]) from None
    except SlotTaken as exc:
        raise ApiError(409, str(exc), extra={"fresh": answer_for(exc.fresh, user, session,
                                                                 settings)}) from None
    except (ScenarioError, RecordsError, ProblemError) as exc:
        raise ApiError(422, str(exc)) from None
