"""The one adapter to numba: the compiler the search loops use, and their random numbers.

Compiled functions are cached beside their module (`cache=True`), so a process
compiles them once per installation; `cached` tells whether the cache holds a
function already. The random numbers come from a
xorshift64* generator of our own whose state is a one-element uint64 array: a
search's routes depend only on its seed, not on numba's global generator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

__all__ = ["cached", "njit", "random01", "seeded"]


MASK = 2**64 - 1


def seeded(seed: int) -> np.ndarray:
    """A generator state for `random01`: the seed scrambled by one splitmix64 step, so
    nearby seeds start far apart (never zero)."""
    z = (seed + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return np.array([(z ^ (z >> 31)) or 1], np.uint64)


def cached(function: Any) -> bool:
    """Whether numba's cache holds machine code of the compiled `function` for its source as
    it is and this numba (the cache's index, which numba reads as empty when either
    changed). numba has no public call for this, so any surprise reads as no."""
    try:
        return bool(function._cache._cache_file._load_index())
    except Exception:  # numba's internals changed: as if not cached
        return False


@njit(cache=True)
def random01(rng: np.ndarray) -> float:
    """A float in [0, 1) from the state rng[0], which it advances."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return float((x * np.uint64(2685821657736338717)) >> np.uint64(11)) / 9007199254740992.0
