"""Point → grid → community → street, from an in-memory STRtree over the grid boundaries.

The index is plain data (no ORM objects): `GridIndex(entries)` can be built from any list of
(GridHit, geometry), which is what the benchmark does. `lookup_point` keeps one index per process and
rebuilds it when a cheap aggregate over the units (the fingerprint) changes.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from suban.fingerprint_cache import FingerprintCache
from suban.org.models import GRID_KINDS, Unit, UnitKind

logger = logging.getLogger(__name__)

T = TypeVar("T")
Coords = Sequence[float] | np.ndarray
Ancestor = tuple[int, str, str]  # id, name, kind


@dataclass(frozen=True, slots=True)
class GridHit:
    grid_id: int
    grid_code: str
    grid_name: str
    community_id: int | None
    community_name: str
    street_id: int | None
    street_name: str


class GridIndex:
    """Grids in an STRtree, sorted by area so that the smallest tree index is the most specific grid."""

    def __init__(self, entries: Iterable[tuple[GridHit, BaseGeometry]]) -> None:
        pairs = list(entries)
        geoms = np.array([geom for _, geom in pairs], dtype=object)
        areas = shapely.area(geoms) if len(pairs) else np.empty(0)
        # Stable sort: equal areas keep their input order, so the result does not depend on chance.
        order = np.argsort(areas, kind="stable")
        self.hits: list[GridHit] = [pairs[i][0] for i in order]
        self.geoms = geoms[order] if len(pairs) else geoms
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.hits)

    def lookup(self, lon: float, lat: float) -> GridHit | None:
        # shapely.Point is quicker than shapely.points() for one point; "intersects" keeps edge points.
        found = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self.hits[found.min()] if found.size else None

    def lookup_many(self, lons: Coords, lats: Coords) -> list[GridHit | None]:
        xs = np.asarray(lons, dtype=float)
        ys = np.asarray(lats, dtype=float)
        if xs.shape != ys.shape or xs.ndim != 1:
            raise ValueError("lons and lats must be 1-d sequences of the same length")
        if not len(self.hits) or not xs.size:
            return [None] * xs.size
        point_idx, grid_idx = self.tree.query(shapely.points(xs, ys), predicate="intersects")
        missing = len(self.hits)
        best = np.full(xs.size, missing, dtype=np.int64)
        np.minimum.at(best, point_idx, grid_idx)
        hits = self.hits
        return [hits[i] if i != missing else None for i in best.tolist()]


def entries_from_units(grids: Iterable[Any], ancestors: dict[str, Ancestor]) -> list[tuple[GridHit, BaseGeometry]]:
    """(GridHit, geometry) for grid rows; `ancestors` maps code → (id, name, kind) of streets and communities."""
    entries: list[tuple[GridHit, BaseGeometry]] = []
    for pk, code, name, path, boundary in grids:
        try:
            geom = shape(boundary)
        except Exception:  # a broken row must not take the whole index down
            logger.warning("grid %s has an unreadable boundary; left out of the index", code)
            continue
        community: Ancestor | None = None
        street: Ancestor | None = None
        # Walk from the nearest ancestor up; the grid's own code is the last one in its path.
        for anc_code in reversed([c for c in path.split("/") if c][:-1]):
            anc = ancestors.get(anc_code)
            if anc is None:
                continue
            if anc[2] == UnitKind.COMMUNITY and community is None and street is None:
                community = anc
            elif anc[2] == UnitKind.STREET and street is None:
                street = anc
        hit = GridHit(
            grid_id=pk,
            grid_code=code,
            grid_name=name,
            community_id=community[0] if community else None,
            community_name=community[1] if community else "",
            street_id=street[0] if street else None,
            street_name=street[1] if street else "",
        )
        entries.append((hit, geom))
    return entries


def build_index_from_db() -> GridIndex:
    grids = (
        Unit.objects.filter(kind__in=GRID_KINDS, is_active=True, boundary__isnull=False)
        .order_by("path")
        .values_list("pk", "code", "name", "path", "boundary")
    )
    ancestors = {
        code: (pk, name, kind)
        for pk, code, name, kind in Unit.objects.filter(kind__in=(UnitKind.STREET, UnitKind.COMMUNITY)).values_list(
            "pk", "code", "name", "kind"
        )
    }
    return GridIndex(entries_from_units(grids.iterator(chunk_size=2000), ancestors))


def grid_fingerprint() -> Hashable:
    """One aggregate query. Streets and communities count too: their names and ids are part of each hit."""
    agg = Unit.objects.filter(kind__in=(*GRID_KINDS, UnitKind.STREET, UnitKind.COMMUNITY)).aggregate(
        n=Count("id"), updated=Max("updated_at"), boundary=Max("boundary_updated_at")
    )
    return (agg["n"], agg["updated"], agg["boundary"])


_grid_cache: FingerprintCache[GridIndex] = FingerprintCache(build_index_from_db, grid_fingerprint)


def get_grid_index() -> GridIndex:
    return _grid_cache.get()


def lookup_point(lon: float, lat: float) -> GridHit | None:
    """The most specific active grid containing the point (WGS84 lon/lat), or None."""
    return _grid_cache.get().lookup(lon, lat)


def lookup_points(lons: Coords, lats: Coords) -> list[GridHit | None]:
    """`lookup_point` for many points at once, in one vectorised tree query."""
    return _grid_cache.get().lookup_many(lons, lats)


def invalidate_grid_index() -> None:
    """Drop this process's index; the next lookup rebuilds it (tests, or right after a bulk import)."""
    _grid_cache.invalidate()
