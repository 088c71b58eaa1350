"""Grid work as a district clerk reads it: the board's headings and what a report says happened."""

from __future__ import annotations

import re
from typing import Any

from suban.cases.models import Case, Status
from suban.cases.services import case_supervise
from tests.conftest import Cast
from tests.gridwork.conftest import INSIDE_G1
from tests.gridwork.test_report import URL as REPORT
from tests.gridwork.test_report import form


def test_the_boards_column_of_the_orders_text_is_headed_as_such(cast: Cast, at_grid: Case, login: Any):
    case_supervise(case=at_grid, by=cast.sam, note="三日内修复并反馈", days=3)
    html = login(cast.sam).get("/console/supervise/board/").content.decode()
    headers = re.findall(r"<th>([^<]*)</th>", html)
    assert "督办要求" in headers and "排序" not in headers, headers
    assert 'data-label="督办要求" class="gw-pre">三日内修复并反馈<' in html


def test_a_report_handled_on_the_spot_says_its_reply_is_under_review(cast: Cast, login: Any, frozen: Any):
    lon, lat = INSIDE_G1
    client = login(cast.gary)
    client.post(REPORT, form(longitude=lon, latitude=lat, solved_on_spot="on", solution="已放置警示锥"))
    case = Case.objects.get(title="井盖缺失")
    assert case.status == Status.REVIEWING
    html = client.get("/console/grid/?show=reported").content.decode()
    assert f"诉求 {case.number} 已上报并即报即办，您的处置答复正由派单中心审核。" in html
    assert "由派单中心受理派单" not in html  # it is past the dispatch centre's acceptance


def test_a_report_for_the_dispatch_centre_says_it_will_accept_it(cast: Cast, login: Any, frozen: Any):
    client = login(cast.gary)
    client.post(REPORT, form())
    case = Case.objects.get(title="井盖缺失")
    assert case.status == Status.NEW
    html = client.get("/console/grid/?show=reported").content.decode()
    assert f"事项已上报，诉求编号 {case.number}，将由派单中心受理派单。" in html
