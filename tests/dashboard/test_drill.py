"""Every figure and chart element of the big screen leads to its cases, and the list it opens holds exactly the
figure's count: the live figures open the console's inbox, the period's figures the assessment's drill-down,
a matter its requests, a grid its requests and its overdue cases, a hotspot its requests, a unit's bar its
assessment. (The browser test tests/e2e/test_dashboard.py clicks them; this one follows the addresses.)"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django.utils import timezone

from suban.assess.periods import Period, span
from suban.assess.selectors import unit_figures
from suban.cases.services import case_intake
from suban.intel.models import Hotspot
from tests.dashboard.conftest import IN_S1C1G1, client_of, listed


def api(client: Any, path: str, **params: Any) -> Any:
    return client.get(f"/api/dashboard/{path}", params, HTTP_ACCEPT="application/json").json()


def links_of(html: str) -> dict[str, str]:
    found = re.search(r'<script id="dashboard-links" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return dict(json.loads(found.group(1)))


def test_each_live_figure_opens_the_list_that_counts_it(piles, cast, org):
    leo = cast.leo
    case_intake(by=cast.dora, title="井盖松动", text="井盖松动", **IN_S1C1G1)  # today, waiting for dispatch
    screen = client_of(leo)
    html = screen.get("/dashboard/").content.decode()
    hrefs = {key: unescape(href) for href, key in re.findall(r'href="([^"]+)" data-testid="kpi-(\w+)"', html)}
    live = api(screen, "live")
    month = unit_figures(leo, org["D"], span(Period.MONTH, timezone.localdate()))
    figures = {
        "open": live["open"],
        "yellow": live["yellow"],
        "red": live["red"],
        "new": live["new"],
        "today": live["today_received"],
        "done": live["today_completed"],
        "month": live["month_received"],
        "sat": month.rated,  # the satisfaction rate's cases: those rated
    }
    assert figures == {"open": 7, "yellow": 1, "red": 2, "new": 1, "today": 1, "done": 0, "month": 7, "sat": 1}
    assert set(hrefs) == set(figures)
    for key, href in hrefs.items():
        response = screen.get(href)
        assert response.status_code == 200, (key, href)
        assert listed(response.content) == figures[key], (key, href)
    # Drilled down to the street, the figures and their lists narrow alike.
    street = screen.get("/dashboard/?unit=S1").content.decode()
    red = unescape(re.search(r'href="([^"]+)" data-testid="kpi-red"', street).group(1))
    assert parse_qs(urlparse(red).query)["unit"] == ["东街道（S1）"]  # as the unit picker writes it
    assert listed(screen.get(red).content) == api(screen, "live", unit="S1")["red"] == 2


def test_each_chart_element_opens_the_cases_behind_it(piles, cast, org):
    leo, dora = cast.leo, cast.dora
    case_intake(by=dora, title="井盖松动", text="井盖松动", **IN_S1C1G1)
    screen = client_of(leo)
    links = links_of(screen.get("/dashboard/").content.decode())

    # A day of the intake trend: its requests, and those of them completed.
    for day in api(screen, "intake", days=30)["days"]:
        if day["received"]:
            for measure in ("received", "completed"):
                query = {"period": "day", "date": day["day"], "unit": links["unit_id"], "measure": measure}
                assert listed(screen.get(links["drill"], query).content) == day[measure], (day, measure)

    # A slice of the matter mix: its requests over the 30 days, of every street or of the screen's street.
    for unit in ("", "S1", "S2"):
        mix = api(screen, "matters", days=30, unit=unit)
        assert mix["street"] == (unit or None)
        for slice_ in mix["matters"]:
            query = {"matter": slice_["code"], "start": mix["from"], "end": mix["to"], "street": mix["street"] or ""}
            page = screen.get(links["matter"], query).content
            assert listed(page) == slice_["received"] == page.count(b'data-testid="drill-row"')
        assert [m["received"] for m in mix["matters"]] == ([] if unit == "S2" else [6])

    # A grid of the map: the requests placed in it over the days of its colour; its red dot: overdue now.
    load = api(screen, "map", days=30)
    (grid,) = load["grids"]
    assert (grid["code"], grid["received"], grid["red"]) == ("S1C1G1", 7, 2)
    placed = {"tab": "all", "place": grid["code"], "created_from": load["from"], "created_to": load["to"]}
    assert listed(screen.get(links["inbox"], placed).content) == 7
    assert listed(screen.get(links["inbox"], {"tab": "overdue", "place": grid["code"]}).content) == 2

    # A unit's bar of the ranking: its assessment for the month.
    ranking = api(screen, "rates", kind="community")
    east = next(r for r in ranking["rows"] if r["code"] == "S1C1")
    page = screen.get(links["unit"].replace("{id}", str(east["id"])), {"period": "month", "date": ranking["from"]})
    assert page.status_code == 200 and 'data-testid="figures"' in page.content.decode()

    # A hotspot: its requests.
    now = timezone.now()
    spot = Hotspot.objects.create(
        district=org["D"],
        area=org["S1C1"],
        area_path=org["S1C1"].path,
        place="东街道 · 东一社区",
        title="路灯不亮",
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
    spot.cases.set([piles["working"], piles["reviewing"]])
    (shown,) = api(screen, "hotspots")["hotspots"]
    page = screen.get(links["hotspot"].replace("{id}", str(shown["id"])))
    assert page.status_code == 200 and page.content.count(b'data-testid="member"') == 2
    assert piles["working"].number.encode() in page.content
    assert screen.get(links["hotspot"].replace("{id}", str(spot.pk + 1))).status_code == 404


def test_the_assessment_pages_count_overdue_now_apart_from_ever_overdue(piles, cast, org):
    leo = cast.leo
    screen = client_of(leo)
    query = urlencode({"period": "month", "date": "2026-02-01"})
    page = screen.get(f"/console/assessment/units/{org['D'].pk}/?{query}").content.decode()
    # Ever overdue: the four cases the clock marked red in February, replied or not.
    ever = re.search(r"曾超期</div><div class=\"value\"><a href=\"([^\"]+)\">(\d+)</a>", page)
    assert ever and ever.group(2) == "4"
    assert listed(screen.get(unescape(ever.group(1))).content) == 4
    # Overdue now and due soon now: the cases a unit holds; each opens its list.
    for key, count in (("live-red", 2), ("live-yellow", 1), ("live-open", 6)):
        href = unescape(re.search(rf'href="([^"]+)" data-testid="{key}">(\d+)<', page).group(1))
        assert listed(screen.get(href).content) == count, key
    assert "当前超期" in page and "即将超期" in page
