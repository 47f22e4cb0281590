"""Why a scenario is refused: `ScenarioError` for one that cannot be read (the message
names the field and the value), `InputRefused` for one that reads well but asks for what no
plan can give, each `Refusal` naming its field path and value. The refusals themselves are
in `api.convert.scenario_refusals`; reading is in `api.convert.scenario`."""

from __future__ import annotations

from dataclasses import dataclass


class ScenarioError(ValueError):
    """A scenario that cannot be read; the message names the field and the value."""


@dataclass(frozen=True)
class Refusal:
    """One reason to refuse a scenario before solving: the field path, its value, why."""

    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InputRefused(ScenarioError):
    """A scenario that reads well but asks for what no plan can give (a skill no worker has,
    more passengers than any vehicle carries, a home far from every road): refused before
    solving, each refusal naming its field and value (`refusals`)."""

    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = tuple(refusals)
        lines = [str(r) for r in refusals[:20]]
        if len(refusals) > 1:
            lines.insert(0, f"scenario: {len(refusals)} inputs refused before solving")
        super().__init__("\n  ".join(lines))
