"""The big screen in Debian's Chromium at 1920×1080 and on a laptop: it loads, every chart draws, the map shows
the district's grids, nothing is logged to the console; screenshots in test-output/screenshots/."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from suban.assess.services import rebuild
from suban.cases.services import case_claim, case_intake
from suban.gridwork.models import Patrol
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IN_S1C1G1 = {"longitude": 120.008, "latitude": 36.008}
CHARTS = ("chart-intake", "chart-map", "chart-rates", "chart-matters", "chart-grid")


@pytest.fixture
def district(cast: Cast, org: dict[str, Any]) -> None:
    dora = cast.dora
    for title in ("路灯不亮", "井盖松动", "垃圾清运不及时"):
        case = case_intake(by=dora, dispatch=True, title=title, text=title, channel="hotline", **IN_S1C1G1)
    case_claim(case=case, by=cast.carol)
    now = timezone.now()
    Patrol.objects.create(worker=cast.gary, grid=org["S1C1G1"], started_at=now, ended_at=now)
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
    # No request of a matter in 30 days: the matter mix says so rather than draw a grey ring without a name.
    assert page.locator("[data-testid=matters-empty]").is_visible()
    assert faces.errors == []


def test_the_clock_shows_the_districts_time_on_a_pc_set_to_another_zone(faces, cast):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    page = faces.desktop(timezone_id="America/New_York")  # 12 or 13 hours behind Beijing
    staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    page.wait_for_function("() => document.getElementById('clock').textContent.trim() !== ''")
    shown = page.inner_text("#clock")
    beijing = datetime.now(ZoneInfo("Asia/Shanghai"))
    assert f"{beijing.hour:02d}:" in shown or f"{(beijing.hour + 1) % 24:02d}:" in shown, shown  # a minute's edge
    # The date as a Chinese clerk writes it, with the weekday: 2026年2月9日星期一.
    assert f"{beijing.year}年{beijing.month}月{beijing.day}日星期" in shown or beijing.hour == 23, shown
    assert "/" not in shown, shown
    assert faces.errors == []


# --- Every chart element leads to its cases; hostile names stay text --------------------------------------

# What an xlsx import can put into a name: markup that runs script if a page inserts it as HTML, and quotes.
HOSTILE = "<img src=x onerror=window.__pwned=1>"
NAMES = {
    "S1": f"东街道\"'{HOSTILE}",
    "S1C1": f"东一社区{HOSTILE}",
    "S1C1G1": f'东一社区第一网格"{HOSTILE}',
    "DEPT1": f"城管局'{HOSTILE}",
}
IN_S1C2G1 = {"longitude": 120.025, "latitude": 36.005}
IN_S2C1G1 = {"longitude": 119.985, "latitude": 36.005}

# Each chart's elements, in page coordinates: bars, slices, points, map regions (their centres) and dots.
ELEMENTS_JS = """
(id) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  const box = el.getBoundingClientRect();
  const found = [];
  chart.getModel().eachSeries((series) => {
    const data = series.getData();
    const last = data.count() - 1;
    for (let i = 0; i <= last; i++) {
      // A line's days are alike: its first, middle and last point; every bar, slice, region and dot.
      if (series.subType === "line" && ![0, Math.floor(last / 2), last].includes(i)) continue;
      const layout = data.getItemLayout(i);
      let at = null;
      if (series.subType === "map") {
        const region = chart.getModel().getComponent("geo").coordinateSystem.getRegion(data.getName(i));
        at = region ? chart.convertToPixel({ geoIndex: 0 }, region.getCenter()) : null;
      } else if (series.subType === "line") {
        const points = data.getLayout("points");
        at = points ? [points[2 * i], points[2 * i + 1]] : null;
      } else if (Array.isArray(layout)) {
        at = layout;
      } else if (layout && layout.cx !== undefined) {
        const angle = (layout.startAngle + layout.endAngle) / 2, r = (layout.r0 + layout.r) / 2;
        at = [layout.cx + r * Math.cos(angle), layout.cy + r * Math.sin(angle)];
      } else if (layout && layout.width !== undefined) {
        at = [layout.x + layout.width / 2, layout.y + layout.height / 2];
      }
      if (at && isFinite(at[0]) && isFinite(at[1])) {
        found.push({ type: series.subType, name: data.getName(i), x: box.left + at[0], y: box.top + at[1] });
      }
    }
  });
  // A map drawn by the geo component alone (the case page's): its regions.
  const geo = chart.getModel().getComponent("geo");
  if (geo && !found.some((f) => f.type === "map")) {
    geo.coordinateSystem.regions.forEach((region) => {
      const at = chart.convertToPixel({ geoIndex: 0 }, region.getCenter());
      found.push({ type: "geo", name: region.name, x: box.left + at[0], y: box.top + at[1] });
    });
  }
  return found;
}
"""


@pytest.fixture
def hostile_district(cast: Cast, org: dict[str, Any]) -> dict[str, Any]:
    """Units, a matter and a hotspot named by an attacker; cases led by a street's community, a grid, a department
    and the other street, all of the hostile matter, one of them overdue now; a day of patrol."""
    from suban.cases.models import Alert, Case
    from suban.catalogue.models import Matter
    from suban.fingerprint_cache import invalidate_all
    from suban.intel.models import Hotspot
    from suban.org.models import Unit

    for code, name in NAMES.items():
        Unit.objects.filter(code=code).update(name=name)
    invalidate_all()
    matter = Matter.objects.create(code="M1", name=f"市政设施'{HOSTILE}", full_name=f"市政设施'{HOSTILE}", level=1)
    dora, units = cast.dora, {code: Unit.objects.get(code=code) for code in ("S1C1", "S1C1G1", "DEPT1", "S2C1")}
    made = {}
    for code, where in (("S1C1", IN_S1C1G1), ("S1C1G1", IN_S1C1G1), ("DEPT1", IN_S1C2G1), ("S2C1", IN_S2C1G1)):
        made[code] = case_intake(
            by=dora, dispatch=True, unit=units[code], title="路灯不亮", text="路灯不亮", matter=matter, **where
        )
    Case.objects.filter(pk=made["S1C1"].pk).update(alert=Alert.RED)
    now = timezone.now()
    Patrol.objects.create(worker=cast.gary, grid=org["S1C1G1"], started_at=now, ended_at=now)
    spot = Hotspot.objects.create(
        district=org["D"],
        area=org["S1C1"],
        area_path=org["S1C1"].path,
        place=f"东街道 · {HOSTILE}",
        title=f'路灯"{HOSTILE}',
        keywords=["路灯"],
        first_at=now,
        last_at=now,
        period_start=now,
        period_end=now,
        score=2.0,
        reporters=2,
        support=2,
        recency=1,
        spread=1,
        size=2,
        rank=1,
        computed_at=now,
    )
    spot.cases.set([made["S1C1"], made["S1C1G1"]])
    rebuild()
    return made


# The chart's tooltip (ECharts puts it beside its canvas) is shown and says something.
TIP_SHOWN_JS = """
(id) => {
  const tip = [...document.getElementById(id).children].slice(1).pop();
  const shown = !!tip && tip.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  return shown && tip.innerText.trim() !== "";
}
"""


def _hover_everything(page: Any, chart: str) -> list[str]:
    """Move the mouse over every element of the chart; what each tooltip said."""
    from playwright.sync_api import TimeoutError as Timeout

    said = []
    page.locator(f"#{chart}").scroll_into_view_if_needed()  # the mouse reaches only what the viewport shows
    elements = page.evaluate(ELEMENTS_JS, chart)
    assert elements, chart
    tip = page.locator(f"#{chart} > div:not(:first-child)").last  # ECharts' tooltip, beside its canvas
    for element in elements:
        page.mouse.move(1, 1)  # away: the last tooltip goes, so that the next one is this element's
        tip.wait_for(state="hidden")
        # ECharts throttles the pointer's moves: a single jump may go unheard. Come in from a few pixels away.
        for nudge in (4, -4, 8):
            page.mouse.move(element["x"] + nudge, element["y"] - nudge)
            page.mouse.move(element["x"], element["y"], steps=3)
            try:
                page.wait_for_function(TIP_SHOWN_JS, arg=chart, timeout=2000)
                break
            except Timeout:
                continue
        else:
            raise AssertionError(f"no tooltip over {element} of {chart}")
        said.append(tip.inner_text())
        assert said[-1].strip(), element
    page.mouse.move(1, 1)
    return said


def test_hostile_names_are_shown_as_text_in_every_chart(faces, hostile_district):
    page = faces.desktop()
    staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    said = {}
    for kind in ("street", "community", "grid", "department"):
        page.select_option("#rank-kind", kind)
        page.wait_for_function(
            "(k) => echarts.getInstanceByDom(document.getElementById('c-rates')).getOption().series[0].data.length"
            " && document.getElementById('rank-kind').value === k",
            arg=kind,
        )
        page.wait_for_timeout(300)  # the new bars are laid out
        said[f"rates-{kind}"] = _hover_everything(page, "c-rates")
    for chart in ("c-map", "c-matters", "c-intake", "c-grid"):
        said[chart] = _hover_everything(page, chart)
    screenshot(page, "dashboard-hostile-names")
    # A tooltip up, for people to look at: the hostile grid's, on the map.
    region = next(e for e in page.evaluate(ELEMENTS_JS, "c-map") if e["name"] == "S1C1G1")
    page.mouse.move(region["x"] + 4, region["y"] - 4)
    page.mouse.move(region["x"], region["y"], steps=3)
    page.wait_for_function(TIP_SHOWN_JS, arg="c-map")
    screenshot(page, "dashboard-hostile-tooltip")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#dashboard img").count() == 0  # no markup made it into the page
    text = "\n".join(t for tips in said.values() for t in tips)
    for name in (*NAMES.values(), f"市政设施'{HOSTILE}"):
        assert name in text, name  # shown as written, quotes and all
    for kind in ("street", "community", "grid", "department"):
        assert any(HOSTILE in t for t in said[f"rates-{kind}"]), kind
    assert any(NAMES["S1C1G1"] in t for t in said["c-map"])
    # Each figure is "label：value" with the full-width colon, a slice's share in full-width brackets.
    charts = [key for key in said if key.startswith("rates-") or key == "c-map"]
    figures = [line for key in charts for t in said[key] for line in t.split("\n")[1:]]
    assert figures and all("：" in line and ": " not in line for line in figures if line.strip()), figures
    assert any("（" in t and "%）" in t for t in said["c-matters"]), said["c-matters"]
    assert page.inner_text("[data-testid=hotspots]").count(HOSTILE) == 2  # the title and the place
    # Drilled down to the street: its name in the title and the heading, as text.
    page.goto("/dashboard/?unit=S1")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    assert page.inner_text("[data-testid=unit-name]") == NAMES["S1"] and NAMES["S1"] in page.title()
    assert page.evaluate("window.__pwned") is None


def test_the_case_pages_map_shows_hostile_grid_names_as_text(faces, hostile_district):
    page = faces.desktop()
    staff_login(page, "carol", PASSWORD, next_url=f"/console/cases/{hostile_district['S1C1'].number}/")
    page.wait_for_selector("#case-map canvas")
    page.wait_for_function("!!echarts.getInstanceByDom(document.getElementById('case-map'))")
    said = _hover_everything(page, "case-map")
    assert any(NAMES["S1C1G1"] in t for t in said), said
    assert page.evaluate("window.__pwned") is None and page.locator("#case-map img").count() == 0


def _screen(page: Any, path: str = "/dashboard/") -> None:
    page.goto(path)
    page.wait_for_selector("#dashboard[data-loaded='1']")


def _click(page: Any, chart: str, type_: str, name: str | None = None, *, nth: int = 0) -> str:
    """Click an element of a chart (its type, and its name if given) and say where that led. The chart's
    elements are read once they stop moving: ECharts animates them in, and a busy machine can still be
    drawing when the page says it has loaded (a click on where a point was misses it)."""
    for _click_attempt in range(3):
        elements: list[dict[str, Any]] = []
        for _attempt in range(50):
            seen = [e for e in page.evaluate(ELEMENTS_JS, chart) if e["type"] == type_ and name in (None, e["name"])]
            if seen and seen == elements:
                break
            elements = seen
            page.wait_for_timeout(100)
        assert elements, (chart, type_, name)
        element = elements[nth]
        try:
            # The screen redraws itself every few seconds; a click during a redraw can miss. Once more, then.
            with page.expect_navigation(timeout=5_000):
                page.mouse.click(element["x"], element["y"])
        except PlaywrightTimeout:
            continue
        page.wait_for_load_state()
        return str(page.url)
    raise AssertionError(f"clicking {type_} {name or nth} of {chart} three times opened nothing")


def _total(page: Any) -> int:
    return int(page.inner_text("[data-testid=total]"))


def test_every_chart_element_opens_the_cases_behind_it(faces, hostile_district):
    page = faces.desktop()
    staff_login(page, "leo", PASSWORD, next_url="/dashboard/")
    page.wait_for_selector("#dashboard[data-loaded='1']")
    # The live figures: the inbox's tab, narrowed to the screen's unit.
    red = page.inner_text("[data-testid=k-red]")
    with page.expect_navigation():
        page.click("[data-testid=kpi-red]")
    assert "tab=overdue" in page.url and str(_total(page)) == red == "1"
    screenshot(page, "dashboard-drill-overdue-now")
    _screen(page)
    today = page.inner_text("[data-testid=k-today]")
    with page.expect_navigation():
        page.click("[data-testid=kpi-today]")
    assert "/console/assessment/cases/" in page.url and str(_total(page)) == today == "4"

    # A day of the intake: that day's requests, or those of them completed (each line's first, middle and last
    # point, received first).
    _screen(page)
    assert "measure=received" in _click(page, "c-intake", "line", nth=2) and _total(page) == 4
    _screen(page)
    assert "measure=completed" in _click(page, "c-intake", "line", nth=5) and _total(page) == 0
    # A matter's slice: its requests over 30 days.
    _screen(page)
    assert page.locator("[data-testid=matters-empty]").is_hidden()
    assert "/console/assessment/matters/cases/" in _click(page, "c-matters", "pie") and _total(page) == 4
    assert page.locator("[data-testid=drill-row]").count() == 4
    screenshot(page, "dashboard-drill-matter")
    # A grid of the map: the requests placed in it; its red dot: those overdue now.
    _screen(page)
    assert "（S1C1G1）" in unquote(_click(page, "c-map", "map", "S1C1G1")) and _total(page) == 2
    assert page.input_value("#id_place") == f"{NAMES['S1C1G1']}（S1C1G1）"  # the filter, as the picker writes it
    _screen(page)
    assert "tab=overdue" in _click(page, "c-map", "effectScatter") and _total(page) == 1
    # A unit's bar: its assessment for the month; a street's name: the screen of that street.
    _screen(page)
    assert "/console/assessment/units/" in _click(page, "c-rates", "bar")
    assert page.locator("[data-testid=figures]").is_visible()
    _screen(page)
    label = page.evaluate(
        """() => {
          const el = document.getElementById('c-rates'), chart = echarts.getInstanceByDom(el);
          const box = el.getBoundingClientRect();
          const plot = chart.getModel().getComponent('grid').coordinateSystem.getRect();
          return { x: box.left + plot.x - 24, y: box.top + chart.convertToPixel({ yAxisIndex: 0 }, 'S1') };
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(label["x"], label["y"])
    page.wait_for_selector("#dashboard[data-loaded='1']")
    assert page.url.endswith("/dashboard/?unit=S1") and page.inner_text("[data-testid=unit-name]") == NAMES["S1"]
    # A grid's activity bar: the grid's workers.
    _screen(page)
    assert "grid=S1C1G1" in _click(page, "c-grid", "bar")
    assert page.locator("[data-testid=activity-worker-row]").count() == 1
    # A hotspot: its requests.
    _screen(page)
    with page.expect_navigation():
        page.click("[data-testid=hotspots] a")
    assert page.locator("[data-testid=member]").count() == 2
    screenshot(page, "dashboard-drill-hotspot")
