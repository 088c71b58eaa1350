"""The citizen picks the place of her request on the grid map (no GPS): a tap on the map sets the point, the
status line names the grid it falls in, and the case is filed in that grid."""

from __future__ import annotations

import pytest

from suban.cases.models import Case
from tests.e2e.conftest import citizen_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
TARGET = (120.008, 36.008)  # inside 东一社区第一网格 (S1C1G1), outside the school's special grid


# A page that wraps the H5 form (a mini-program's web view) may have filled in a GCJ-02 point before; the
# map, like the phone's GPS, gives WGS-84, and the form must say so or the server shifts the point ~500 m.
@pytest.mark.parametrize("wrapper_system", [None, "gcj02"])
def test_a_tap_on_the_map_sets_the_place_and_the_case_lands_in_that_grid(faces, sms, org, cast, wrapper_system):
    page = faces.phone()
    citizen_login(page, sms, CINDY)
    page.click("[data-testid=tab-submit]")
    page.wait_for_selector("#submit-form")
    if wrapper_system:
        page.evaluate("(system) => { document.getElementById('id_coordinate_system').value = system; }", wrapper_system)
    page.fill("#id_title", "小区门口井盖松动")
    page.fill("#id_text", "东一社区东门口的井盖松动，踩上去会翻，晚上很危险。")
    page.click("[data-testid=pick-on-map]")
    page.wait_for_function(
        "() => { const box = document.getElementById('grid-map');"
        " return window.echarts && window.echarts.getInstanceByDom(box) && box.clientHeight > 0; }"
    )
    # Where the target lies on the drawn map, as ECharts itself would place it; then a finger's tap there.
    x, y = page.evaluate(
        "([lon, lat]) => window.echarts.getInstanceByDom(document.getElementById('grid-map'))"
        ".convertToPixel({ geoIndex: 0 }, [lon, lat])",
        list(TARGET),
    )
    box = page.locator("#grid-map").bounding_box()
    assert box is not None and 0 < x < box["width"] and 0 < y < box["height"]
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function("() => document.getElementById('id_longitude').value !== ''")
    # The tap lands within a pixel of the target: at the map's first zoom, well inside the grid.
    assert float(page.input_value("#id_longitude")) == pytest.approx(TARGET[0], abs=0.002)
    assert float(page.input_value("#id_latitude")) == pytest.approx(TARGET[1], abs=0.002)
    assert page.input_value("#id_coordinate_system") == "wgs84"
    page.wait_for_selector("#location-status:has-text('东一社区第一网格')")
    screenshot(page, "h5-map-pick")
    with page.expect_navigation():
        page.click("#submit-request")
    assert "/h5/submitted/" in page.url, page.locator("form").inner_text()[:1500]
    case = Case.objects.select_related("grid").get()
    assert case.grid == org["S1C1G1"] and case.title == "小区门口井盖松动"
    assert case.longitude == pytest.approx(TARGET[0], abs=0.002) and case.latitude == pytest.approx(
        TARGET[1], abs=0.002
    )
