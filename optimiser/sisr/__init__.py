"""Slack induction by string removals (SISR, Christiaens & Vanden Berghe 2020), compiled.

`core` holds what both searches share (route cost, settings, constants,
cooling); `jit` is the one adapter to numba; `vrptw` is the search for stops with
one or more windows, loads, allowed vehicles, one break a shift and a price
for a stop left out (Solomon, and a CUS day of visits and jobs); `pairs` is
the pickup-and-delivery (dial-a-ride) search with ride and route-duration
limits. Each keeps its instance and Python driver there and its compiled
steps in `vrptw_loop` / `pairs_loop`. None knows OR-Tools.
"""

from optimiser.sisr.core import OnBest, Routes, Settings
from optimiser.sisr.pairs import PairInstance, improve_pairs
from optimiser.sisr.vrptw import Break, Instance, Windows, improve, labels

__all__ = ["Break", "Instance", "OnBest", "PairInstance", "Routes", "Settings", "Windows",
           "improve", "improve_pairs", "labels"]
