"""The coordinator's page reads the planner's details in Polish, ids and times intact."""

from __future__ import annotations

import re

import pytest

from api.render.overview import detail_pl
from optimiser.model import Priority
from optimiser.params import SolveParams
from optimiser.solve import solve
from tests.optimiser.tiny import H, problem, task, worker

ENGLISH = re.compile(r"\b(the|slot|held|taking|out|alone|would|make|room|on|or|removed|"
                     r"respect|rule|series|sessions|only|apart|take|one|low|normal|high|"
                     r"urgent)\b")


@pytest.mark.parametrize(("english", "kept"), [
    ("the slot is held by physio-pes: physio-22 15:03-16:03, physio-15 16:07-16:52, ...; "
     "taking out physio-12 (urgent) on physio-pes or physio-05 (high) on physio-cus-1 alone "
     "would make room", ["physio-pes: physio-22 15:03-16:03", "physio-12 (pilny) u physio-pes",
                         "physio-05 (wysoki) u physio-cus-1"]),
    ("the slot is held by fix-pes: job-04 15:02-18:02; no single task taken out would make "
     "room", ["fix-pes: job-04 15:02-18:02", "nie zwolni miejsca"]),
    ("the slot is held by Tomasz (PES handyman): job-04 15:02-18:02; no single task of lower "
     "priority taken out would make room",
     ["Tomasz (PES handyman): job-04 15:02-18:02", "o niższym priorytecie nie zwolni miejsca"]),
    ("the slot is held by Ewa Nowak: keep 08:10-09:10; every task holding it has equal or "
     "higher priority", ["Ewa Nowak: keep 08:10-09:10", "mają równy lub wyższy priorytet"]),
    ("the slot is held by Ewa Nowak: a 09:00-10:00; taking out a (low) on Ewa Nowak or b "
     "(normal) on Jan Kierowca (Bus CUS) alone would make room",
     ["a (niski) u Ewa Nowak", "b (zwykły) u Jan Kierowca (Bus CUS)"]),
    ("removed to respect the working_time rule", ["working_time"]),
    ("series 'series-003': 3 sessions, only 2 day(s) 1 apart can take one",
     ["'series-003': 3 wizyty, tylko 2 dni"]),
])
def test_each_detail_template_reads_in_polish(english: str, kept: list[str]) -> None:
    polish = detail_pl(english)
    for part in kept:
        assert part in polish
    assert ENGLISH.findall(re.sub(r"'[^']*'|[\w-]*\d[\w-]*|working_time", "", polish)) == []


def test_a_detail_the_planner_really_gives_reads_in_polish() -> None:
    p = problem([worker(shifts=((8 * H, 9 * H + 1200),))],
                [task("keep", 1, service_s=H, windows=((8 * H, 9 * H + 600),),
                      priority=Priority.HIGH),
                 task("out", 1, service_s=H, windows=((8 * H, 9 * H + 600),))])
    (out,) = solve(p, params=SolveParams(time_limit_s=5, max_solutions=100)).unassigned
    polish = detail_pl(out.detail)
    assert polish.startswith("czas zajmują: w1: keep 08:")
    assert polish.endswith("wszystkie zajmujące je zadania mają równy lub wyższy priorytet")
