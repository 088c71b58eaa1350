"""Validating and reading GeoJSON boundaries (WGS84 longitude/latitude)."""

from __future__ import annotations

from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from suban.errors import Invalid


def parse_boundary(geojson: Any) -> BaseGeometry:
    """Turn a GeoJSON geometry into a valid shapely (Multi)Polygon, or raise Invalid with the reason."""
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise Invalid(_("A boundary must be a GeoJSON geometry object."), field="boundary")
    if geojson["type"] not in ("Polygon", "MultiPolygon"):
        raise Invalid(
            _("A boundary must be a Polygon or MultiPolygon, not %(type)s.") % {"type": geojson["type"]},
            field="boundary",
        )
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise Invalid(
            _("The boundary's coordinates cannot be read: %(error)s") % {"error": exc}, field="boundary"
        ) from None
    if geom.is_empty:
        raise Invalid(_("The boundary is empty."), field="boundary")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise Invalid(_("The boundary's coordinates are not longitude/latitude in degrees."), field="boundary")
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise Invalid(_("The boundary is not a valid polygon: %(reason)s") % {"reason": reason}, field="boundary")
    return geom


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    data = mapping(geom)
    # mapping() returns tuples; store plain lists so the JSON round-trips unchanged.
    return _listify(data)


def _listify(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value
