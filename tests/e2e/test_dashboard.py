"""The big screen in Debian's Chromium at 1920×1080 and on a laptop: it loads, every chart draws, the map shows
the district's grids, nothing is logged to the console; screenshots in test-output/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from suban.assess.services import rebuild
from suban.cases.services import case_claim, case_intake
from suban.gridwork.models import Patrol
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IN_S1C1G1 = {"longitude": 120.008, "latitude": 36.008}
CHARTS = ("chart-intake", "chart-map", "chart-rates", "chart-matters", "chart-grid")


@pytest.fixture
def district(cast: dict[str, Any], org: dict[str, Any]) -> None:
    dora = cast["dora"]
    for title in ("路灯不亮", "井盖松动", "垃圾清运不及时"):
        case = case_intake(by=dora, dispatch=True, title=title, text=title, channel="hotline", **IN_S1C1G1)
    case_claim(case=case, by=cast["carol"])
    now = timezone.now()
    Patrol.objects.create(worker=cast["gary"], grid=org["S1C1G1"], started_at=now, ended_at=now)
    rebuild()


def test_the_dashboard_draws_every_panel(faces, district):
    for name, size in (("desktop-1920-dashboard", None), ("laptop-1366-dashboard", {"width": 1366, "height": 768})):
        page = faces.desktop()
        if size:
            page.set_viewport_size(size)
        staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
        page.wait_for_selector("#dashboard[data-loaded='1']")
        assert page.inner_text("[data-testid=k-open]") == "3"
        for chart in CHARTS:
            # ECharts draws into a canvas of the panel's size: the panel got data and laid it out.
            box = page.locator(f"[data-testid={chart}] canvas").first.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 100, chart
        # The map is our own GeoJSON: the district's five grids, the one with the requests coloured by them.
        grids = page.evaluate("() => echarts.getMap('suban-dashboard').geoJSON.features.length")
        assert grids == 5
        value = page.evaluate(
            """() => echarts.getInstanceByDom(document.getElementById('c-map')).getOption().series[0].data
                 .filter((d) => d.name === 'S1C1G1')[0].value"""
        )
        assert value == 3
        assert page.inner_text("[data-testid=hotspots]").strip()
        assert page.locator("[data-testid=rates-empty]").is_hidden()  # the streets are ranked
        screenshot(page, name)
    assert faces.errors == []


def test_the_ranking_says_so_before_any_unit_is_ranked(faces, cast):
    page = faces.desktop()
    staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    # No case assessed this month: the panel says so instead of staying blank.
    assert page.locator("[data-testid=rates-empty]").is_visible()
    assert faces.errors == []


def test_the_clock_shows_the_districts_time_on_a_pc_set_to_another_zone(faces, cast):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    page = faces.desktop(timezone_id="America/New_York")  # 12 or 13 hours behind Beijing
    staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    page.wait_for_function("document.getElementById('clock').textContent.trim() !== ''")
    shown = page.inner_text("#clock")
    beijing = datetime.now(ZoneInfo("Asia/Shanghai"))
    assert f"{beijing.hour:02d}:" in shown or f"{(beijing.hour + 1) % 24:02d}:" in shown, shown  # a minute's edge
    assert f"{beijing.year}/{beijing.month}/{beijing.day}" in shown or beijing.hour == 23, shown
    assert faces.errors == []
