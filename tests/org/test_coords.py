"""WGS-84, GCJ-02 and BD-09: the forward transforms, their exact inverses, and to_wgs84."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suban.org.coords import (
    CoordinateSystem,
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# China's rough bounding box (out_of_china), less a margin wider than the largest offset in it (about 0.011°),
# so that a point and its offset image both lie inside.
MARGIN = 0.02
lngs = st.floats(min_value=72.004 + MARGIN, max_value=137.8347 - MARGIN)
lats = st.floats(min_value=0.8293 + MARGIN, max_value=55.8271 - MARGIN)
EXACT = 1e-6  # degrees: about 0.1 m; the inverses do far better (about 1e-12)

TIANANMEN_WGS84 = (116.397428, 39.90923)


def close(p: tuple[float, float], q: tuple[float, float], within: float = EXACT) -> bool:
    return abs(p[0] - q[0]) < within and abs(p[1] - q[1]) < within


def metres(p: tuple[float, float], q: tuple[float, float]) -> float:
    dlat = (p[1] - q[1]) * 111_320.0
    dlng = (p[0] - q[0]) * 111_320.0 * math.cos(math.radians(p[1]))
    return math.hypot(dlng, dlat)


def test_tiananmen_moves_by_the_known_offset_and_back():
    # The commonly cited GCJ-02 of Tiananmen's WGS-84 (116.397428, 39.90923) is about (116.40366, 39.91064),
    # some 570 m to the north-east; the exact figures below come from the public algorithm itself
    # (wgs84_to_gcj02, as in e.g. github.com/wandergis/coordTransform_py), rounded to 1e-8.
    gcj = wgs84_to_gcj02(*TIANANMEN_WGS84)
    assert close(gcj, (116.40366, 39.91064), within=2e-5)
    assert close(gcj, (116.40367163, 39.91063351), within=1e-8)
    assert 500 < metres(gcj, TIANANMEN_WGS84) < 700
    assert close(gcj02_to_wgs84(116.40367163, 39.91063351), TIANANMEN_WGS84)
    # BD-09 is GCJ-02 moved once more.
    bd = wgs84_to_bd09(*TIANANMEN_WGS84)
    assert close(bd, (116.41004410, 39.91697286), within=1e-8)
    assert close(bd09_to_gcj02(*bd), gcj, within=1e-9)
    assert close(bd09_to_wgs84(*bd), TIANANMEN_WGS84)


def test_the_inverse_is_exact_where_the_one_step_approximation_is_not():
    def one_step(gcj: tuple[float, float]) -> tuple[float, float]:
        # The usual shortcut: subtract the offset computed at the GCJ-02 point instead of the WGS-84 one.
        shift = wgs84_to_gcj02(*gcj)
        return 2 * gcj[0] - shift[0], 2 * gcj[1] - shift[1]

    for point in [TIANANMEN_WGS84, (120.005, 36.005), (111.0, 55.7)]:
        gcj = wgs84_to_gcj02(*point)
        assert metres(one_step(gcj), point) > 0.02  # centimetres here, metres in the north
        assert metres(gcj02_to_wgs84(*gcj), point) < 0.0001
    assert metres(one_step(wgs84_to_gcj02(111.0, 55.7)), (111.0, 55.7)) > 2


@pytest.mark.parametrize(
    "point",
    [(-0.1276, 51.5072), (139.6917, 35.6895), (2.3522, 48.8566), (-74.006, 40.7128), (72.0, 30.0), (100.0, 56.0)],
)
def test_outside_china_gcj02_is_wgs84(point):
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point
    assert to_wgs84(*point, "gcj02") == point


def test_inside_china_the_offset_is_hundreds_of_metres_at_most():
    for point in [(116.397428, 39.90923), (121.4737, 31.2304), (120.005, 36.005), (87.6168, 43.8256)]:
        assert not out_of_china(*point)
        assert 1 < metres(wgs84_to_gcj02(*point), point) < 1000


@given(lngs, lats)
def test_gcj02_round_trips(lng, lat):
    assert close(gcj02_to_wgs84(*wgs84_to_gcj02(lng, lat)), (lng, lat))
    assert close(wgs84_to_gcj02(*gcj02_to_wgs84(lng, lat)), (lng, lat))


@given(lngs, lats)
def test_bd09_round_trips(lng, lat):
    assert close(bd09_to_gcj02(*gcj02_to_bd09(lng, lat)), (lng, lat))
    assert close(bd09_to_wgs84(*wgs84_to_bd09(lng, lat)), (lng, lat))


@given(lngs, lats)
def test_to_wgs84_undoes_each_system(lng, lat):
    assert to_wgs84(lng, lat, "wgs84") == (lng, lat)
    assert close(to_wgs84(*wgs84_to_gcj02(lng, lat), CoordinateSystem.GCJ02), (lng, lat))
    assert close(to_wgs84(*wgs84_to_bd09(lng, lat), "bd09"), (lng, lat))


def test_an_unknown_system_is_refused():
    with pytest.raises(ValueError):
        to_wgs84(116.4, 39.9, "bd09mc")
    assert [s.value for s in CoordinateSystem] == ["wgs84", "gcj02", "bd09"]
