"""Cutting an area into sibling areas: Voronoi cells of seed points, clipped to the parent.

Every function here is deterministic for a given input and random generator, knows nothing of the
database, and returns plain shapely geometries (longitude/latitude degrees).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import permutations

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

# Coordinates are stored to 1e-6 degrees (about 0.1 m); parents are unions of their snapped children.
GRID_SIZE = 1e-6

XY = tuple[float, float]


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygon parts of an overlay result (which may carry stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    return shapely.union_all(parts) if parts else Polygon()


def _parts(geom: BaseGeometry) -> list[Polygon]:
    return [p for p in shapely.get_parts(geom) if isinstance(p, Polygon)]


def voronoi_split(area: BaseGeometry, points: Sequence[XY]) -> list[BaseGeometry]:
    """One cell of `area` per point, in the order of the points."""
    cells = list(shapely.get_parts(shapely.voronoi_polygons(MultiPoint(points), extend_to=area)))
    ordered: list[BaseGeometry] = []
    for x, y in points:
        point = Point(x, y)
        cell = next(c for c in cells if c.covers(point))
        ordered.append(polygonal(cell.intersection(area)))
    return ordered


def merge_fragments(cells: list[BaseGeometry]) -> list[BaseGeometry]:
    """Make each sibling a single polygon: stray pieces (cut off by a bay) go to the neighbour they touch most."""
    cells = list(cells)
    for _ in range(len(cells) * 4):
        split = next((i for i, c in enumerate(cells) if len(_parts(c)) > 1), None)
        if split is None:
            return cells
        parts = sorted(_parts(cells[split]), key=lambda p: p.area, reverse=True)
        cells[split] = parts[0]
        for piece in parts[1:]:
            halo = piece.buffer(1e-7)
            others = [i for i in range(len(cells)) if i != split]
            best = max(others, key=lambda i: halo.intersection(cells[i]).area)
            cells[best] = polygonal(shapely.union_all([cells[best], piece]))
    raise ValueError("Could not make every cell a single polygon.")


def sample_points(area: BaseGeometry, n: int, rng: np.random.Generator) -> list[XY]:
    minx, miny, maxx, maxy = area.bounds
    found: list[XY] = []
    while len(found) < n:
        xs = rng.uniform(minx, maxx, 64 * n)
        ys = rng.uniform(miny, maxy, 64 * n)
        inside = shapely.contains_xy(area, xs, ys)
        found.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
    return found[:n]


def _inner_point(cell: BaseGeometry) -> XY:
    c = cell.centroid
    if not cell.contains(c):
        c = cell.representative_point()
    return (c.x, c.y)


def relaxed_points(area: BaseGeometry, n: int, rng: np.random.Generator, rounds: int = 12) -> list[XY]:
    """n points spread evenly over `area` (Lloyd's relaxation), so the cells come out of similar size."""
    points = sample_points(area, n, rng)
    for _ in range(rounds):
        points = [_inner_point(cell) for cell in voronoi_split(area, points)]
    return points


def split_by_seeds(area: BaseGeometry, seeds: Sequence[Sequence[XY]]) -> list[BaseGeometry]:
    """One area per group of seed points: the union of the group's cells (several points shape a long area)."""
    flat = [p for group in seeds for p in group]
    cells = voronoi_split(area, flat)
    groups: list[BaseGeometry] = []
    start = 0
    for group in seeds:
        groups.append(polygonal(shapely.union_all(cells[start : start + len(group)])))
        start += len(group)
    return merge_fragments(groups)


def split_even(area: BaseGeometry, hints: Sequence[XY], rng: np.random.Generator) -> list[BaseGeometry]:
    """len(hints) areas of similar size; the i-th is the one lying nearest hints[i] (best overall match)."""
    cells = merge_fragments(voronoi_split(area, relaxed_points(area, len(hints), rng)))
    centres = [_inner_point(c) for c in cells]
    order = _best_match(hints, centres)
    return [cells[j] for j in order]


def _best_match(hints: Sequence[XY], centres: Sequence[XY]) -> list[int]:
    """For each hint the index of a centre, minimising the total distance (sizes here are tiny: brute force)."""
    n = len(hints)
    if n > 8:
        return list(range(n))
    best: tuple[float, tuple[int, ...]] = (math.inf, tuple(range(n)))
    for perm in permutations(range(n)):
        cost = sum(math.dist(hints[i], centres[j]) for i, j in enumerate(perm))
        best = min(best, (cost, perm))
    return list(best[1])


def snap(geom: BaseGeometry) -> BaseGeometry:
    """Round to GRID_SIZE; the result stays valid."""
    return polygonal(shapely.set_precision(geom, GRID_SIZE))


def snap_coverage(cells: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Round a set of non-overlapping cells to GRID_SIZE together, so shared edges stay shared.

    Rounding each cell alone would move a vertex lying on a neighbour's edge off that edge and leave a
    sliver gap or overlap; noding all the edges at once and rebuilding the faces does not.
    """
    lines = shapely.union_all([c.boundary for c in cells], grid_size=GRID_SIZE)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree(list(cells))
    owned: list[list[BaseGeometry]] = [[] for _ in cells]
    for face in faces:
        point = face.representative_point()
        hits = tree.query(point, predicate="intersects")
        owner = int(hits[0]) if len(hits) else int(tree.nearest(point))
        owned[owner].append(face)
    return [union(faces_of) for faces_of in owned]


def union(children: Sequence[BaseGeometry]) -> BaseGeometry:
    """A parent's area as the union of its children (which share their edges exactly)."""
    return polygonal(shapely.union_all(list(children), grid_size=GRID_SIZE))


def patch(host: BaseGeometry, size: float, sides: int = 8, angle: float = 0.0) -> Polygon:
    """A small regular polygon deep inside `host` (for a special grid inside a basic grid)."""
    centre = polylabel(host, tolerance=1e-5)
    room = host.exterior.distance(centre) if isinstance(host, Polygon) else host.boundary.distance(centre)
    radius = min(size, 0.6 * room)
    # Degrees of longitude are shorter than degrees of latitude here: stretch x so the shape looks round.
    stretch = 1 / math.cos(math.radians(centre.y))
    ring = [
        (
            centre.x + radius * stretch * 0.8 * math.cos(angle + 2 * math.pi * k / sides),
            centre.y + radius * 0.8 * math.sin(angle + 2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]
    shape = snap(Polygon(ring))
    if not host.contains(shape):
        shape = snap(Polygon(ring).intersection(host))
    assert isinstance(shape, Polygon)
    return shape
