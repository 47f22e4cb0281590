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


def seeded(seed: int) -> np.ndarray:
    """A generator state for `random01` (never zero)."""
    return np.array([(seed & (2**63 - 1)) | 1], np.uint64)


@njit(cache=True)
def random01(rng: np.ndarray) -> float:
    """A float in [0, 1) from the state rng[0], which it advances."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    return float((x * np.uint64(2685821657736338717)) >> np.uint64(11)) / 9007199254740992.0
