"""Chinese map coordinates to WGS-84, the only system Suban stores.

Maps and apps in mainland China give points in one of three systems:

- WGS-84: GPS, the browser's Geolocation API, Open311 (GeoReport v2 says so), OpenStreetMap;
- GCJ-02 (国测局坐标, "Mars coordinates"): WeChat ``wx.getLocation({type: 'gcj02'})``, Amap/Gaode, Tencent
  maps; WGS-84 moved by a deliberate, non-linear offset of up to about 500 m (none outside China);
- BD-09: Baidu maps; GCJ-02 moved once more (about another 300-700 m).

A case's grid is looked up with WGS-84 (suban.org.grid_index), so a GCJ-02 or BD-09 point taken as it is may
land in the neighbouring grid. to_wgs84() turns a point of any of the three into WGS-84.

The WGS-84 -> GCJ-02 transform is the well-known public algorithm (the Krasovsky 1940 ellipsoid, a = 6378245.0,
e² = 0.00669342162296594323, and the published polynomial-and-sine offset functions), as in e.g. the
coordTransform libraries; it applies only inside the rough bounding box of China (out_of_china). It has no closed
inverse: gcj02_to_wgs84 solves forward(w) = g by fixed-point iteration (the offset's derivative is tiny, so each
step gains several digits), to well under a millimetre, not the usual one-step approximation (off by centimetres
to several metres).
BD-09 <-> GCJ-02 is Baidu's published rotation-and-scale; its inverse is refined the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from django.utils.translation import gettext as _

from suban.errors import Invalid


class CoordinateSystem(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


# Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm has it.
A = 6378245.0
EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0

# The inverses stop once a step moves the point by less than this (degrees; 1e-10° is about 0.01 mm).
TOLERANCE = 1e-10
MAX_STEPS = 30


def out_of_china(lng: float, lat: float) -> bool:
    """Outside the rough bounding box of China, where GCJ-02 is WGS-84 (the test every implementation uses)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """WGS-84 -> GCJ-02 (unchanged outside China)."""
    if out_of_china(lng, lat):
        return lng, lat
    dlat = _offset_lat(lng - 105.0, lat - 35.0)
    dlng = _offset_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 -> WGS-84, exact: the WGS-84 point whose GCJ-02 is (lng, lat), to within TOLERANCE."""
    if out_of_china(lng, lat):
        return lng, lat
    return _inverse(wgs84_to_gcj02, lng, lat, (lng, lat))


def _inverse(
    forward: Callable[[float, float], tuple[float, float]], lng: float, lat: float, start: tuple[float, float]
) -> tuple[float, float]:
    """The point p with forward(p) = (lng, lat), by fixed-point iteration from `start`: p -= forward(p) - target
    (converges fast where forward is the identity plus a small, slowly varying offset, as both transforms are)."""
    p_lng, p_lat = start
    for _step in range(MAX_STEPS):
        f_lng, f_lat = forward(p_lng, p_lat)
        d_lng, d_lat = f_lng - lng, f_lat - lat
        p_lng, p_lat = p_lng - d_lng, p_lat - d_lat
        if abs(d_lng) < TOLERANCE and abs(d_lat) < TOLERANCE:
            break
    return p_lng, p_lat


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 -> BD-09 (Baidu's published transform; applied everywhere, as Baidu does)."""
    z = math.hypot(lng, lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_once(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """BD-09 -> GCJ-02: Baidu's approximate inverse, refined until gcj02_to_bd09 gives (lng, lat) back."""
    return _inverse(gcj02_to_bd09, lng, lat, _bd09_to_gcj02_once(lng, lat))


def wgs84_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


Point = tuple[float, float]


def _same(lng: float, lat: float) -> Point:
    return lng, lat


# Each system's way into WGS-84 and back out of it.
TRANSFORMS: dict[CoordinateSystem, tuple[Callable[[float, float], Point], Callable[[float, float], Point]]] = {
    CoordinateSystem.WGS84: (_same, _same),
    CoordinateSystem.GCJ02: (gcj02_to_wgs84, wgs84_to_gcj02),
    CoordinateSystem.BD09: (bd09_to_wgs84, wgs84_to_bd09),
}


def to_wgs84(lng: float, lat: float, system: str) -> Point:
    """The point (lng, lat), given in `system` ("wgs84", "gcj02" or "bd09"), in WGS-84.

    Raises ValueError for any other system."""
    return TRANSFORMS[CoordinateSystem(system)][0](lng, lat)


def from_wgs84(lng: float, lat: float, system: str) -> Point:
    """The WGS-84 point (lng, lat) in `system` ("wgs84", "gcj02" or "bd09"): to_wgs84's inverse, for exports to a
    source that reads its own system. Raises ValueError for any other system."""
    return TRANSFORMS[CoordinateSystem(system)][1](lng, lat)


def checked_system(value: str, *, field: str) -> CoordinateSystem:
    """`value` as a CoordinateSystem, or Invalid naming `field` and the systems there are."""
    try:
        return CoordinateSystem(value)
    except ValueError:
        raise Invalid(
            _("There is no coordinate system %(system)s; choose one of: %(choices)s.")
            % {"system": value, "choices": ", ".join(CoordinateSystem)},
            field=field,
        ) from None
