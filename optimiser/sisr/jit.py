"""The one adapter to numba: the compiler the search loops use, and their random numbers.

Compiled functions are cached beside their module (`cache=True`), so a process
compiles them once per installation. The random numbers come from a
xorshift64* generator of our own whose state is a one-element uint64 array: a
search's routes depend only on its seed, not on numba's global generator.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["njit", "random01", "seeded"]


MASK = 2**64 - 1


def seeded(seed: int) -> np.ndarray:
    """A generator state for `random01`: the seed scrambled by one splitmix64 step, so
    nearby seeds start far apart (never zero)."""
    z = (seed + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return np.array([(z ^ (z >> 31)) or 1], np.uint64)


@njit(cache=True)
def random01(rng: np.ndarray) -> float:
    """A float in [0, 1) from the state rng[0], which it advances."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return float((x * np.uint64(2685821657736338717)) >> np.uint64(11)) / 9007199254740992.0
