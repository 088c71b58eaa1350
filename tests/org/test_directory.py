"""The per-process unit directory follows changes made through the services."""

from __future__ import annotations

from suban.org.directory import directory
from suban.org.models import UnitKind
from suban.org.services import unit_create, unit_move


def test_the_directory_sees_new_and_moved_units(org, cast, settings):
    settings.CACHE_CHECK_SECONDS = 0
    grid = org["S1C1G1"]
    assert directory().ancestor_of_kind(directory().get(grid.pk), UnitKind.STREET) == org["S1"]
    added = unit_create(by=None, code="S2C2", name="西二社区", kind=UnitKind.COMMUNITY, parent=org["S2"])
    assert directory().get(added.pk) == added
    unit_move(by=cast.sysadmin, unit=org["S1C1"], parent=org["S2"])
    moved = directory().get(grid.pk)
    assert moved is not None and moved.path == "/D/S2/S1C1/S1C1G1/"
    assert directory().ancestor_of_kind(moved, UnitKind.STREET) == org["S2"]
    assert directory().root_of(moved) == org["D"]


def test_between_checks_the_directory_answers_without_a_query(org, settings, django_assert_num_queries):
    settings.CACHE_CHECK_SECONDS = 60
    directory()
    with django_assert_num_queries(0):
        assert directory().get(org["S2"].pk) == org["S2"]
