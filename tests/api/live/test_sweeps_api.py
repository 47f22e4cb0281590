"""A what-if sweep as a job over HTTP: rows for planners, kept apart from planning jobs."""

from __future__ import annotations

import httpx

from tests.api.live.jobs import FINISHED, wait_for
from tests.api.sweep_data import sweep_scenario


def test_a_sweep_job_gives_a_row_per_variant_to_a_planner(
        planner: httpx.Client, coordinator: httpx.Client) -> None:
    body = {"scenario": sweep_scenario(), "seed": 0, "max_solutions": 30,
            "templates": {"physio": {"worker": "ewa"}}, "vary": {"physio": [1, 2]},
            "rates": {"per_km": 1.0}}
    answer = planner.post("/sweeps/jobs", json=body)
    assert answer.status_code == 202, answer.text
    location = answer.headers["Location"]
    job = wait_for(planner, location, lambda j: j["status"] in FINISHED)
    assert job["status"] == "done", job["error"]
    result = job["plan"]
    assert result["format"] == "trasa-sweep/1" and result["flags"] == []
    rows = {r["variant"]: r for r in result["rows"]}
    assert set(rows) == {"physio=1", "physio=2"}
    assert rows["physio=2"]["served"] > rows["physio=1"]["served"]
    assert job["progress"] == {"variants_done": 2, "variants": 2}
    sweep_id = job["id"]
    assert planner.get(f"/plans/jobs/{sweep_id}").status_code == 404  # not a planning job
    assert coordinator.post("/plans", json={"job_id": sweep_id}).status_code == 409
    assert coordinator.get(location).status_code == 200


def test_a_sweep_that_cannot_run_is_refused_with_the_field(planner: httpx.Client) -> None:
    base = {"scenario": sweep_scenario(), "templates": {"physio": {"worker": "ewa"}}}
    unknown = planner.post("/sweeps/jobs", json={**base, "vary": {"nobody": [1]}})
    assert unknown.status_code == 422 and "vary.nobody" in unknown.text
    too_many = planner.post("/sweeps/jobs", json={**base, "vary": {"physio": list(range(60))}})
    assert too_many.status_code == 422 and "at most 50" in too_many.text
