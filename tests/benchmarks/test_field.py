"""benchmarks.field in a tiny mode: 5 phones on SQLite confirm their stops over HTTP while
a sick worker's re-plan runs and publishes, two of them offline and replaying their queue
twice; read back from the database, every key sent is stored exactly once, with the
status the phone was answered, and the replays answered what was stored."""

from __future__ import annotations

from benchmarks.field import run, summary_line


def test_every_action_sent_is_stored_exactly_once() -> None:
    result = run("sqlite", phones=5, tasks_per_phone=2, think_s=0.05, offline_every=2,
                 wrong_every=2, replan_budget=5)
    line = summary_line(result)
    assert line.startswith("field: db=sqlite phones=5 actions=")
    assert result.actions >= 10 and result.posts >= result.actions // 2, line
    assert result.replays >= 2, result  # at least one queue replayed, twice
    assert (result.lost, result.duplicated, result.status_mismatch) == (0, 0, 0), result
    assert result.rejected.get("other_worker", 0) >= 1, result  # kept, counted apart
    assert 0 < result.p50_ms <= result.p99_ms <= result.max_ms
