"""What the independent checker answers: a violated hard rule (`Violation`), and the
error a plan that fails the check raises (`PlanRejected`); never silent output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    tasks: tuple[str, ...] = ()  # the tasks whose removal could resolve it, where known

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


class PlanRejected(RuntimeError):
    """A plan failed the independent check: a bug in the solver, never silent output."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        listed = "; ".join(str(v) for v in violations[:10])
        super().__init__(f"plan failed the independent check ({len(violations)}): {listed}")
