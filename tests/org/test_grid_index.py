from __future__ import annotations

from typing import Any

import pytest
import shapely

from suban.org.grid_index import GridHit, GridIndex, invalidate_grid_index, lookup_point, lookup_points
from suban.org.models import Unit
from suban.org.services import unit_create, unit_deactivate, unit_set_boundary
from tests.conftest import square


@pytest.fixture(autouse=True)
def fresh_index(settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_grid_index()


def test_a_point_in_a_basic_grid_gives_the_grid_its_community_and_its_street(org: dict[str, Unit]) -> None:
    hit = lookup_point(120.008, 36.008)
    assert hit == GridHit(
        grid_id=org["S1C1G1"].pk,
        grid_code="S1C1G1",
        grid_name="东一社区第一网格",
        community_id=org["S1C1"].pk,
        community_name="东一社区",
        street_id=org["S1"].pk,
        street_name="东街道",
    )


def test_it_finds_the_special_grid_inside_a_basic_grid(org: dict[str, Unit]) -> None:
    hit = lookup_point(120.003, 36.003)
    assert hit is not None
    assert hit.grid_code == "S1C1X"
    assert (hit.community_name, hit.street_name) == ("东一社区", "东街道")


def test_a_point_outside_every_grid_gives_nothing(org: dict[str, Unit]) -> None:
    assert lookup_point(121.5, 37.0) is None


def test_a_grid_of_the_other_street_answers_with_that_street(org: dict[str, Unit]) -> None:
    hit = lookup_point(119.985, 36.005)
    assert hit is not None
    assert (hit.grid_code, hit.community_id, hit.street_id) == ("S2C1G1", org["S2C1"].pk, org["S2"].pk)


def test_a_special_grid_directly_under_a_street_has_no_community(org: dict[str, Unit]) -> None:
    unit_create(
        by=None, code="S2X", name="西市场", kind="special_grid", parent=org["S2"], boundary=square(119.95, 36.0)
    )
    hit = lookup_point(119.955, 36.005)
    assert hit is not None
    assert (hit.grid_code, hit.community_id, hit.community_name, hit.street_name) == ("S2X", None, "", "西街道")


def test_a_changed_boundary_is_seen_by_the_next_lookup(org: dict[str, Unit]) -> None:
    assert lookup_point(120.5, 36.5) is None
    unit_set_boundary(by=None, unit=org["S1C2G1"], boundary=square(120.5, 36.5))
    hit = lookup_point(120.505, 36.505)
    assert hit is not None and hit.grid_code == "S1C2G1"
    assert lookup_point(120.025, 36.005) is None


def test_a_deactivated_grid_drops_out_of_the_index(org: dict[str, Unit]) -> None:
    assert lookup_point(120.015, 36.005) is not None
    unit_deactivate(by=None, unit=org["S1C1G2"])
    assert lookup_point(120.015, 36.005) is None


def test_between_checks_the_index_is_not_rebuilt(org: dict[str, Unit], settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 3600
    assert lookup_point(120.5, 36.5) is None
    unit_set_boundary(by=None, unit=org["S1C2G1"], boundary=square(120.5, 36.5))
    assert lookup_point(120.505, 36.505) is None
    invalidate_grid_index()
    hit = lookup_point(120.505, 36.505)
    assert hit is not None and hit.grid_code == "S1C2G1"


def test_bulk_lookup_answers_like_single_lookups(org: dict[str, Unit]) -> None:
    lons = [120.008, 120.003, 121.5, 119.985, 120.015]
    lats = [36.008, 36.003, 37.0, 36.005, 36.005]
    hits = lookup_points(lons, lats)
    assert [h.grid_code if h else None for h in hits] == ["S1C1G1", "S1C1X", None, "S2C1G1", "S1C1G2"]
    assert hits == [lookup_point(x, y) for x, y in zip(lons, lats, strict=True)]


def test_an_index_built_from_plain_data_needs_no_database() -> None:
    big = GridHit(1, "B", "Big", None, "", None, "")
    small = GridHit(2, "S", "Small", None, "", None, "")
    index = GridIndex([(big, shapely.box(0, 0, 10, 10)), (small, shapely.box(4, 4, 6, 6))])
    assert index.lookup(5, 5) == small
    assert index.lookup(1, 1) == big
    assert index.lookup(11, 11) is None
    assert GridIndex([]).lookup(1, 1) is None
    assert GridIndex([]).lookup_many([1.0], [1.0]) == [None]


def test_moving_a_community_to_another_street_is_seen_by_the_next_lookup(org: dict[str, Unit]) -> None:
    from suban.org.services import unit_move

    assert lookup_point(120.025, 36.005).street_name == "东街道"  # type: ignore[union-attr]
    unit_move(by=None, unit=org["S1C2"], parent=org["S2"])
    hit = lookup_point(120.025, 36.005)
    assert hit is not None
    assert (hit.grid_code, hit.community_name, hit.street_name) == ("S1C2G1", "东二社区", "西街道")
    assert Unit.objects.get(code="S1C2G1").path == "/D/S2/S1C2/S1C2G1/"
