"""The demo district's polygons, keyed by unit code: outline → streets → communities → grids, special grids.

Cut top-down (each level inside its parent), stored bottom-up: the grids are snapped to GRID_SIZE together
and every community and street is the union of its children, so a child lies exactly inside its parent.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from suban.demo import data
from suban.demo.geometry import patch, snap_coverage, split_by_seeds, split_even, union

# A community's grids are numbered along this direction (south-west first).
_GRID_HINTS = ((-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0))


@dataclass(frozen=True)
class Layout:
    district: BaseGeometry
    units: dict[str, BaseGeometry]  # street, community and grid code → polygon
    special: dict[str, BaseGeometry]  # special grid name → polygon


def _rng(key: str) -> np.random.Generator:
    return np.random.default_rng([data.SEED, zlib.crc32(key.encode())])


def _grid_hints(area: BaseGeometry) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = area.bounds
    cx, cy, rx, ry = (minx + maxx) / 2, (miny + maxy) / 2, (maxx - minx) / 2, (maxy - miny) / 2
    return [(cx + dx * rx, cy + dy * ry) for dx, dy in _GRID_HINTS[: data.GRIDS_PER_COMMUNITY]]


@cache
def build_layout() -> Layout:
    outline = Polygon(data.OUTLINE)
    raw: dict[str, BaseGeometry] = {}
    street_areas = split_by_seeds(outline, [s.seeds for s in data.STREETS])
    for s, (street, street_area) in enumerate(zip(data.STREETS, street_areas, strict=True)):
        hints = [c.hint for c in street.communities]
        community_areas = split_even(street_area, hints, _rng(data.street_code(s)))
        for c, community_area in enumerate(community_areas):
            code = data.community_code(s, c)
            grids = split_even(community_area, _grid_hints(community_area), _rng(code))
            raw.update({data.grid_code(s, c, g): grid for g, grid in enumerate(grids)})
    units = dict(zip(raw, snap_coverage(list(raw.values())), strict=True))
    for s, street in enumerate(data.STREETS):
        for c in range(len(street.communities)):
            grids = [units[data.grid_code(s, c, g)] for g in range(data.GRIDS_PER_COMMUNITY)]
            units[data.community_code(s, c)] = union(grids)
        units[data.street_code(s)] = union([units[data.community_code(s, c)] for c in range(len(street.communities))])
    # The district is the outline, noded with its streets' edges so that they lie exactly inside it.
    district = union([units[data.street_code(s)] for s in range(len(data.STREETS))])
    return Layout(district=district, units=units, special=_special_grids(units))


def _special_grids(units: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    found: dict[str, BaseGeometry] = {}
    for k, spec in enumerate(data.SPECIAL_GRIDS):
        s, c = locate(spec.street, spec.community)
        found[spec.name] = patch(units[data.grid_code(s, c, spec.grid)], spec.size, angle=0.35 * k)
    return found


def locate(street: str, community: str) -> tuple[int, int]:
    """The (street, community) indexes of a community given by name."""
    s = next(i for i, st in enumerate(data.STREETS) if st.name == street)
    c = next(i for i, cm in enumerate(data.STREETS[s].communities) if cm.name == community)
    return s, c
