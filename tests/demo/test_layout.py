"""The demo district's polygons, without the database: a tiling of the outline, deterministic."""

from itertools import combinations

import shapely

from suban.demo import data
from suban.demo.layout import build_layout
from suban.org.geometry import parse_boundary, to_geojson


def test_the_layout_tiles_the_outline_level_by_level():
    layout = build_layout()
    streets = [layout.units[data.street_code(s)] for s in range(len(data.STREETS))]
    grids = [g for code, g in layout.units.items() if "G" in code]
    assert len(streets) == 5
    assert len(grids) == 80
    outline = shapely.Polygon(data.OUTLINE)
    assert abs(layout.district.area - outline.area) < 1e-6 * outline.area
    assert abs(sum(g.area for g in grids) - layout.district.area) < 1e-9
    minx, miny, maxx, maxy = layout.district.bounds
    assert 120.40 < minx < maxx < 120.71
    assert 36.04 < miny < maxy < 36.34
    for a, b in combinations(streets, 2):
        assert a.intersection(b).area < 1e-12


def test_every_polygon_is_a_valid_single_polygon():
    layout = build_layout()
    for geom in [layout.district, *layout.units.values(), *layout.special.values()]:
        parsed = parse_boundary(to_geojson(geom))
        assert parsed.geom_type == "Polygon"
        assert not parsed.interiors


def test_the_layout_is_the_same_every_time():
    first = to_geojson(build_layout().units[data.grid_code(1, 1, 0)])
    build_layout.cache_clear()
    assert to_geojson(build_layout().units[data.grid_code(1, 1, 0)]) == first
