"""A plan read back on its own road network: where the network the plan names is looked
for (`api.services.planning.network_of_plan`), and a stored plan read back for the HTTP outputs
(`api.services.published_plan.made_from_graph`, for a plan stored without a reading)
refusing another network."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.services.planning import NetworkMismatch, network_of_plan
from api.services.published_plan import made_from_graph

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def document(**network: Any) -> dict[str, Any]:
    return {"network": network}


def test_a_given_graph_wins_over_the_source_the_plan_names(tmp_path: Path) -> None:
    wanted = network_of_plan(document(source="a.graphml", content_hash="sha256:1"),
                             graph="b.graphml", plan_dir=tmp_path)
    assert (wanted.graph, wanted.grid, wanted.content_hash) == ("b.graphml", False, "sha256:1")


def test_a_named_file_is_found_as_written_or_beside_the_plan(tmp_path: Path) -> None:
    (tmp_path / "roads.graphml").write_text("<graphml/>", encoding="utf-8")
    wanted = network_of_plan(document(source="roads.graphml"), graph=None, plan_dir=tmp_path)
    assert wanted.graph == str(tmp_path / "roads.graphml")
    assert wanted.content_hash is None  # an older plan: read back with a warning


def test_a_named_file_found_nowhere_falls_back_to_the_scenarios_network_checked_by_hash(
        tmp_path: Path) -> None:
    wanted = network_of_plan(document(source="gone/roads.graphml", content_hash="sha256:1"),
                             graph=None, plan_dir=tmp_path)
    assert wanted.graph is None and "'gone/roads.graphml' is not found" in wanted.named


def test_a_place_name_is_loaded_as_named_and_a_synthetic_plan_on_the_grid(
        tmp_path: Path) -> None:
    place = network_of_plan(document(source="Starachowice, Poland"), graph=None,
                            plan_dir=tmp_path)
    assert place.graph == "Starachowice, Poland"
    grid = network_of_plan(document(source="synthetic grid around 51.1,23.4", synthetic=True),
                           graph=None, plan_dir=tmp_path)
    assert (grid.graph, grid.grid) == (None, True)


@pytest.fixture(scope="module")
def two_workers() -> tuple[dict[str, Any], dict[str, Any]]:
    return tuple(json.loads((EXAMPLES / name).read_text(encoding="utf-8"))  # type: ignore
                 for name in ("two_workers.json", "two_workers.plan.json"))


def test_a_stored_plan_is_read_back_on_the_servers_network_when_it_is_the_plans(
        two_workers: tuple[dict[str, Any], dict[str, Any]],
        shared_file: Callable[[str], Path]) -> None:
    scenario, plan = two_workers
    graph = str(shared_file("osm/Chelm_map.graphml"))
    found = made_from_graph("test-plan-network-same", scenario, plan, graph=graph)
    assert len(found.reading.plan.routes) == 2 and found.reading.sheets
    assert found.verdict["passed"] and found.material["legs"]


def test_a_stored_plan_made_on_other_roads_is_not_read_back(
        two_workers: tuple[dict[str, Any], dict[str, Any]],
        shared_file: Callable[[str], Path]) -> None:
    scenario, plan = two_workers
    other = copy.deepcopy(plan)
    other["network"]["content_hash"] = "sha256:" + "1" * 64
    with pytest.raises(NetworkMismatch, match="but the server's road network"):
        made_from_graph("test-plan-network-other", scenario, other,
                graph=str(shared_file("osm/Chelm_map.graphml")))
