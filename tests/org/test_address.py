from __future__ import annotations

from typing import Any

import pytest

from suban.org.address import AddressMatcher, invalidate_address_matcher, match_address, strip_suffix
from suban.org.models import Place, Unit, UnitKind
from suban.org.services import unit_create, unit_update


@pytest.fixture(autouse=True)
def fresh_matcher(settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_address_matcher()


@pytest.fixture
def shazikou(org: dict[str, Unit]) -> dict[str, Unit]:
    """A street with a community whose name a community in the other street shares."""
    street = unit_create(by=None, code="SZK", name="沙子口街道", kind=UnitKind.STREET, parent=org["D"])
    nanyao = unit_create(by=None, code="SZKNY", name="南窑社区", kind=UnitKind.COMMUNITY, parent=street)
    other = unit_create(by=None, code="S2NY", name="南窑社区", kind=UnitKind.COMMUNITY, parent=org["S2"])
    return {"street": street, "nanyao": nanyao, "other": other}


def test_a_street_and_a_community_in_the_text_give_that_community(shazikou: dict[str, Unit]) -> None:
    match = match_address("崂山区沙子口街道南窑社区12号")
    assert match is not None
    assert match.unit == shazikou["nanyao"]
    assert match.matched == ["沙子口街道", "南窑社区"]
    assert match.score == 1.0


def test_the_street_decides_between_two_communities_of_the_same_name(
    shazikou: dict[str, Unit], org: dict[str, Unit]
) -> None:
    match = match_address("西街道南窑社区")
    assert match is not None and match.unit == shazikou["other"]
    alone = match_address("南窑社区")
    assert alone is not None and alone.score == 0.5


def test_names_without_their_generic_suffix_match_too(shazikou: dict[str, Unit]) -> None:
    match = match_address("沙子口南窑村委旁边")
    assert match is not None
    assert match.unit == shazikou["nanyao"]
    assert match.matched == ["沙子口", "南窑"]


def test_an_alias_names_its_unit(org: dict[str, Unit]) -> None:
    unit_update(by=None, unit=org["S1C2"], aliases="东二居, 老东二")
    match = match_address("老东二菜市场门口")
    assert match is not None and match.unit == org["S1C2"]


def test_a_place_name_of_a_compound_gives_its_grid(org: dict[str, Unit]) -> None:
    Place.objects.create(name="阳光花园", unit=org["S1C1G2"])
    match = match_address("东街道阳光花园3号楼2单元")
    assert match is not None
    assert match.unit == org["S1C1G2"]
    assert match.matched == ["东街道", "阳光花园"]


def test_text_naming_no_unit_gives_nothing(org: dict[str, Unit]) -> None:
    assert match_address("火星基地一号") is None
    assert match_address("") is None


def test_suffixes_are_only_stripped_when_two_characters_remain() -> None:
    assert strip_suffix("南窑社区") == "南窑"
    assert strip_suffix("东村") is None
    assert strip_suffix("沙子口街道办事处") == "沙子口"


def test_the_matcher_scans_the_longest_name_first() -> None:
    matcher = AddressMatcher([(1, "/A/", ["青岛"]), (2, "/A/B/", ["青岛大学"])])
    raw = matcher.match("青岛大学东门")
    assert raw is not None and (raw.unit_id, raw.matched) == (2, ["青岛大学"])
