"""Grid lookup speed: 10,000 Voronoi grids over a 40 km × 30 km box around Qingdao, no database.

Run: .venv/bin/python bench/grid_lookup.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")

import django

django.setup()

from suban.org.geometry import to_geojson  # noqa: E402
from suban.org.grid_index import GridIndex, entries_from_units  # noqa: E402

GRIDS = 10_000
SPECIAL = 300  # small special grids (schools, markets) lying inside basic grids
LOOKUPS = 100_000
BULK = 1_000_000
# ~40 km east-west and ~30 km north-south at 36.1°N.
WEST, EAST = 120.3 - 0.222, 120.3 + 0.222
SOUTH, NORTH = 36.1 - 0.135, 36.1 + 0.135


def make_grids(rng: np.random.Generator) -> list[shapely.Geometry]:
    area = shapely.box(WEST, SOUTH, EAST, NORTH)
    seeds = shapely.points(rng.uniform(WEST, EAST, GRIDS - SPECIAL), rng.uniform(SOUTH, NORTH, GRIDS - SPECIAL))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=area))
    cells = shapely.intersection(cells, area)
    # Hand-drawn grid boundaries follow streets and walls: ~50 vertices each rather than a Voronoi cell's 6.
    cells = shapely.segmentize(cells, 0.0003)
    centres = shapely.points(rng.uniform(WEST, EAST, SPECIAL), rng.uniform(SOUTH, NORTH, SPECIAL))
    specials = shapely.buffer(centres, 0.0008, quad_segs=8)
    return [*cells, *specials]


def as_rows(geoms: list[shapely.Geometry]) -> tuple[list[tuple[Any, ...]], dict[str, tuple[int, str, str]]]:
    """What the database gives: grid rows with GeoJSON boundaries, and the streets and communities by code."""
    rows: list[tuple[Any, ...]] = []
    ancestors: dict[str, tuple[int, str, str]] = {}
    for i, geom in enumerate(geoms):
        community, street = i // 20, i // 400  # 20 grids a community, 20 communities a street
        ancestors[f"S{street}"] = (100_000 + street, f"Street {street}", "street")
        ancestors[f"C{community}"] = (200_000 + community, f"Community {community}", "community")
        rows.append((i, f"G{i}", f"Grid {i}", f"/D/S{street}/C{community}/G{i}/", to_geojson(geom)))
    return rows, ancestors


def main() -> int:
    started = time.perf_counter()
    rng = np.random.default_rng(2026)
    rows, ancestors = as_rows(make_grids(rng))
    t0 = time.perf_counter()
    index = GridIndex(entries_from_units(rows, ancestors))
    build = time.perf_counter() - t0
    assert index.hits[0].street_name.startswith("Street")

    xs = rng.uniform(WEST, EAST, LOOKUPS).tolist()
    ys = rng.uniform(SOUTH, NORTH, LOOKUPS).tolist()
    lookup = index.lookup
    times = np.empty(LOOKUPS)
    clock = time.perf_counter_ns
    misses = 0
    for i in range(LOOKUPS):
        t = clock()
        hit = lookup(xs[i], ys[i])
        times[i] = clock() - t
        misses += hit is None
    times /= 1000.0  # ns → µs
    mean, p50, p99 = times.mean(), np.percentile(times, 50), np.percentile(times, 99)

    bx = rng.uniform(WEST, EAST, BULK)
    by = rng.uniform(SOUTH, NORTH, BULK)
    t0 = time.perf_counter()
    bulk_hits = index.lookup_many(bx, by)
    bulk = time.perf_counter() - t0

    # Spot check: the bulk answers agree with the single ones.
    assert all(index.lookup(bx[i], by[i]) == bulk_hits[i] for i in range(0, BULK, BULK // 1000))
    print(
        f"grid lookup: {len(index)} grids, build {build:.2f} s, "
        f"single point mean {mean:.1f} µs p50 {p50:.1f} µs p99 {p99:.1f} µs ({misses} misses)"
    )
    print(f"grid lookup bulk: {BULK} points in {bulk:.2f} s, {BULK / bulk / 1000:.0f}k points/s")
    print(f"grid lookup total: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
