"""The offers' travel atlas (api/services/offer_problem.py): an offer's problem takes its
travel from one matrix of every place met so far, grown when a new place comes; the
travel must be exactly what the scenario's own matrices give, whatever else the atlas
holds (a regional destination included)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from api.schemas.scenario import ScenarioIn
from api.services import offer_problem
from api.services.offer_problem import prepared_problem
from api.services.planning import build_matrices, load_network


def _scenario(homes: list[tuple[float, float]], graph: Path) -> ScenarioIn:
    return ScenarioIn.model_validate({
        "date": "2027-06-16", "network": {"source": str(graph)},
        "locations": [{"id": "base", "lat": 51.1331, "lon": 23.4716},
                      {"id": "lublin", "lat": 51.2465, "lon": 22.5684}]
        + [{"id": f"home-{k}", "lat": lat, "lon": lon} for k, (lat, lon) in enumerate(homes)],
        "providers": [{"id": "cus", "name": "CUS", "kind": "cus"}],
        "clients": [{"id": f"c{k}", "location": f"home-{k}"} for k in range(len(homes))],
        "workers": [{"id": "anna", "provider": "cus", "shifts": [{"start": "08:00",
                                                                  "end": "16:00"}],
                     "start_location": "base"}],
        "tasks": [{"id": f"v{k}", "kind": "visit", "client": f"c{k}", "duration_min": 30,
                   "windows": [{"start": "08:00", "end": "16:00"}]}
                  for k in range(len(homes))]})


def test_each_problem_gets_its_own_places_travel_from_the_atlas(chelm_graph: Path) -> None:
    offer_problem._ATLASES.clear()
    first = _scenario([(51.1291, 23.4666), (51.1371, 23.4791)], chelm_graph)
    second = _scenario([(51.1371, 23.4791), (51.1331, 23.4841), (51.1291, 23.4666)],
                       chelm_graph)
    for scenario in (first, second, first):
        problem = prepared_problem(scenario, str(chelm_graph))
        g, _network = load_network(scenario, base_dir=Path.cwd(), graph=str(chelm_graph))
        own = build_matrices(scenario, g)
        assert np.array_equal(problem.matrix.duration_s, own.duration_s)
        assert np.array_equal(problem.matrix.distance_m, own.distance_m)
    assert len(next(iter(offer_problem._ATLASES.values())).places) == 5
