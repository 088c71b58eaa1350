"""A grid's centre for a report made without GPS, and the length of a patrol's track."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from suban.errors import DomainError, Invalid
from suban.org.geometry import parse_boundary
from suban.org.models import Unit

MAX_TRACK_POINTS = 5000
EARTH_RADIUS_M = 6_371_008.8


def unit_centre(unit: Unit) -> tuple[float, float] | None:
    """A point inside the unit's boundary (not the centroid, which may fall outside a crescent-shaped grid)."""
    if not unit.boundary:
        return None
    try:
        point = parse_boundary(unit.boundary).representative_point()
    except DomainError:
        return None
    return round(point.x, 6), round(point.y, 6)


def clean_track(raw: Any) -> list[list[float]]:
    """[[longitude, latitude], ...] in degrees; anything else is refused rather than half-kept."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_TRACK_POINTS:
        raise Invalid(_("The patrol track cannot be read."), field="track")
    points: list[list[float]] = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) < 2:
            raise Invalid(_("The patrol track cannot be read."), field="track")
        lon, lat = item[0], item[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
            raise Invalid(_("The patrol track cannot be read."), field="track")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise Invalid(_("The patrol track cannot be read."), field="track")
        points.append([round(float(lon), 6), round(float(lat), 6)])
    return points


def haversine_m(a: list[float], b: list[float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def track_length_m(points: list[list[float]]) -> int:
    return round(sum(haversine_m(p, q) for p, q in pairwise(points)))
