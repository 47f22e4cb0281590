"""The fold of phone actions into actuals: order, repeats and outcomes."""

from datetime import UTC, datetime, timedelta
from itertools import permutations

from optimiser.actuals import Action, ActionKind, Outcome, fold

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _act(key: str, kind: ActionKind, minutes: int, task: str = "v1", reason: str = "") -> Action:
    return Action(key, task, "w1", kind, T0 + timedelta(minutes=minutes), reason=reason)


def test_arrived_then_done_delivers_the_time_between_in_any_order_and_repeated() -> None:
    actions = [_act("a", ActionKind.ARRIVED, 0), _act("b", ActionKind.DONE, 45)]
    for order in permutations(actions + actions):
        actual = fold(order)["v1"]
        assert actual.outcome is Outcome.DONE
        assert actual.delivered_s == 45 * 60


def test_absent_is_not_delivered_and_keeps_its_reason() -> None:
    actual = fold([_act("a", ActionKind.NOT_DONE, 5, reason="no key")])["v1"]
    assert actual.outcome is Outcome.NOT_DONE and actual.reason == "no key"
    assert actual.delivered_s == 0


def test_arrived_only_is_started_not_done() -> None:
    actual = fold([_act("a", ActionKind.PICKED_UP, 0, task="t1")])["t1"]
    assert actual.outcome is Outcome.STARTED and actual.delivered_s == 0
