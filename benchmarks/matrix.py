"""Travel-matrix benchmark: time geo.matrix.travel_matrices on a real road graph.

    python -m benchmarks.matrix [--graph PATH] [--sizes 100,500,1000] [--seed 0]

Random points inside the graph's bounding box (fixed seed); best of 3 runs per size;
graph loading is not timed. Prints a table, the machine, and a one-line summary.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import SHARED_DATA, machine_line
from geo.graph import GraphLoadError, load_graph
from geo.matrix import travel_matrices

DEFAULT_GRAPH = SHARED_DATA / "osm" / "Chelm_map.graphml"
REPEATS = 3


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    try:
        G = load_graph(args.graph)
    except GraphLoadError as exc:
        raise SystemExit(f"matrix benchmark: {exc}") from None
    lat = np.array([y for _, y in G.nodes(data="y")])
    lon = np.array([x for _, x in G.nodes(data="x")])
    rng = np.random.default_rng(args.seed)

    print(f"# graph: {args.graph}")
    print(machine_line(platform=platform.platform(), seed=args.seed, repeats=REPEATS))
    print(f"{'n':>6} {'time_s':>8} {'nodes':>6} {'edges':>6}")
    best = 0.0
    for n in sizes:
        points = list(zip(rng.uniform(lat.min(), lat.max(), n).tolist(),
                          rng.uniform(lon.min(), lon.max(), n).tolist(), strict=True))
        best = min(_timed(G, points) for _ in range(REPEATS))
        print(f"{n:>6} {best:>8.3f} {len(G):>6} {G.number_of_edges():>6}")
    print(f"matrix: n={sizes[-1]} time_s={best:.3f} nodes={len(G)}")


def _timed(G: Any, points: list[tuple[float, float]]) -> float:
    started = time.perf_counter()
    travel_matrices(G, points)
    return time.perf_counter() - started


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matrix", description=__doc__)
    parser.add_argument("--graph", type=Path, default=DEFAULT_GRAPH,
                        help="GraphML or OSM XML road graph (default: %(default)s)")
    parser.add_argument("--sizes", default="100,500,1000",
                        help="comma-separated numbers of points (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
