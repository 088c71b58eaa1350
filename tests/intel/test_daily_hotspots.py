"""The daily hotspot list: computed from the district's cases, stored with its heat and parts, shown on the
console page and the API within each reader's reach, and recomputed by the command or the nightly job."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.intel.daily import compute_hotspots
from suban.intel.models import Hotspot
from suban.intel.tasks import daily_hotspots
from tests.api.contract import conforms
from tests.conftest import Cast
from tests.timing import FrozenTime, at

IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}
IN_S1C2G1 = {"longitude": 120.025, "latitude": 36.005}
IN_S2C1G1 = {"longitude": 119.985, "latitude": 36.005}

SAME = [
    ("东一社区幸福路工地夜间施工噪音扰民", "幸福路工地每天夜里施工到凌晨，噪音太大，居民无法休息。"),
    ("幸福路工地夜里施工噪音", "幸福路那个工地晚上一直施工，噪音扰民，孩子睡不着。"),
    ("投诉幸福路工地夜间施工", "幸福路工地夜间施工噪音严重扰民，请管一管。"),
]
OTHERS = [
    ("学校门口早高峰拥堵", "小学门口早上接送孩子的车太多，堵得水泄不通。"),
    ("小区垃圾桶满了没人清", "三号楼下的垃圾桶满了好几天没人清运，很臭。"),
    ("公园路灯坏了", "公园里的路灯坏了一片，晚上散步很危险。"),
    ("物业费上涨", "物业突然上涨物业费，没有开业主大会。"),
]


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    from django.utils import timezone

    clock = FrozenTime(at(2026, 3, 2, 9))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def spotted(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> Hotspot:
    from suban.accounts.services import citizen_for_phone

    where = [IN_S1C1G1, IN_S1C2G1, IN_S1C1G1]
    for k, (title, text) in enumerate(SAME):
        case_submit(by=citizen_for_phone(f"1370000000{k}"), title=title, text=text, **where[k])
        frozen.advance(days=1)
    for title, text in OTHERS:
        case_submit(by=cast.chen, title=title, text=text, **IN_S2C1G1)
    run = compute_hotspots(org["D"], days=30)
    assert run.cases == 7 and run.hotspots == 1
    return Hotspot.objects.get()


def test_complaints_about_a_units_staff_make_no_hotspot(org: dict[str, Any], frozen: FrozenTime) -> None:
    from suban.accounts.services import citizen_for_phone

    # The units of the area read its hotspots: a complaint about their own staff must not surface there.
    for k, (title, text) in enumerate(SAME):
        case_submit(
            by=citizen_for_phone(f"1370000000{k}"),
            title=title,
            text=text,
            nature="complaint",
            complained_unit=org["S1"],
            **IN_S1C1G1,
        )
    run = compute_hotspots(org["D"], days=30)
    assert (run.cases, run.hotspots) == (0, 0)


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def test_a_hotspot_is_stored_with_its_members_place_and_heat(spotted: Hotspot, org: dict[str, Any]) -> None:
    assert spotted.size == 3 and spotted.cases.count() == 3
    assert "幸福路" in spotted.title
    assert spotted.area == org["S1"] and spotted.place == "东街道"  # two communities of one street
    assert (spotted.reporters, spotted.support, spotted.spread) == (3, 0.0, 2)
    assert 0.9 < spotted.recency <= 1.0 and spotted.score > 1.0
    assert spotted.first_at < spotted.last_at and spotted.rank == 1


def test_the_page_shows_it_to_the_district_and_its_street_but_not_the_other_street(
    spotted: Hotspot, cast: Cast, org: dict[str, Any]
) -> None:
    def shown(who: str) -> tuple[int, int]:
        page = browser(cast[who]).get("/console/hotspots/")
        assert page.status_code == 200
        body = page.content.decode()
        return body.count('data-testid="hotspot"'), body.count('data-testid="member"')

    assert shown("dora") == shown("leo") == (1, 3)
    # The street sees the hotspot of its area, and its requests once the dispatch centre has sent them on.
    assert shown("alice") == (1, 0)
    for case in spotted.cases.all():
        case_accept(case=case, by=cast.dora)
        case_dispatch(case=case, by=cast.dora, unit=org["DEPT1"])
    assert shown("alice") == (1, 3)
    assert 'data-testid="hotspot"' not in browser(cast.bob).get("/console/hotspots/").content.decode()
    assert browser(cast.carol).get("/console/hotspots/").status_code == 403


def test_the_api_lists_it_with_the_parts_of_its_heat(spotted: Hotspot, cast: Cast) -> None:
    response = browser(cast.dora).get("/api/hotspots")
    conforms("GET", "/api/hotspots", response)
    found = response.json()
    assert len(found) == 1
    assert found[0]["heat"]["reporters"] == 3 and found[0]["area"]["code"] == "S1"
    assert len(found[0]["cases"]) == 3
    assert browser(cast.bob).get("/api/hotspots").json() == []
    assert browser(cast.dan).get("/api/hotspots").status_code == 403


def test_a_new_run_replaces_the_list_and_the_command_and_the_job_compute_it(
    spotted: Hotspot, org: dict[str, Any], frozen: FrozenTime
) -> None:
    frozen.advance(days=60)  # the requests are older than the period now
    out = StringIO()
    call_command("compute_hotspots", "--days", "30", stdout=out)
    assert "0 hotspots among 0 cases" in out.getvalue()
    assert not Hotspot.objects.exists()
    frozen.advance(days=-60)
    assert daily_hotspots.call_local() == {"D": 1}
    assert Hotspot.objects.count() == 1
