"""Slack induction by string removals (SISR, Christiaens & Vanden Berghe 2020), in plain Python.

`core` holds what both searches share (route cost, settings, string removal,
recreate order, cooling and annealing, earliest/latest starts); `vrptw` is
the search for one window per stop with loads and allowed vehicles; `pairs`
is the pickup-and-delivery (dial-a-ride) search with ride and route-duration
limits. Neither knows OR-Tools.
"""

from optimiser.sisr.core import Routes, Settings
from optimiser.sisr.pairs import PairInstance, improve_pairs
from optimiser.sisr.vrptw import Instance, improve

__all__ = ["Instance", "PairInstance", "Routes", "Settings", "improve", "improve_pairs"]
