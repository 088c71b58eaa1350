"""The main pages of each face, at phone (375 px) and desktop (1920 px) width: each loads without a console
error (the `faces` fixture fails the test otherwise), fits the phone's width without scrolling sideways, and
is saved as a full-page screenshot in test-output/screenshots/<width>-<page>.png for people to look at."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suban.cases.models import Case
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_reply,
    case_review_reply,
    case_submit,
    case_supervise,
)
from suban.gridwork.services import grid_report
from suban.h5.services import h5_submit
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import citizen_login, jpeg_file, layout_problems, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
IN_S1C1G1 = {"longitude": 120.008, "latitude": 36.008}


def photo(tmp_path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile("lamp.jpg", jpeg_file(tmp_path).read_bytes(), content_type="image/jpeg")


@pytest.fixture
def cases(cast: Cast, tmp_path: Path) -> dict[str, Case]:
    """A small day's work in 东一社区: a request answered and waiting for its rating (with a photo), one just
    submitted, one to claim, one in progress under supervision, and a grid worker's own report."""
    cindy, dora, carol = cast.cindy, cast.dora, cast.carol
    answered, _ = h5_submit(
        by=cindy,
        key=uuid.uuid4(),
        title="东门口路灯不亮",
        text="东一社区东门口的路灯坏了三天，晚上路很黑。",
        case_type="livelihood",
        contact_name="王女士",
        files=[photo(tmp_path)],
        **IN_S1C1G1,
    )
    case_accept(case=answered, by=dora)
    case_dispatch(case=answered, by=dora)
    case_claim(case=answered, by=carol)
    case_reply(case=answered, by=carol, reply="已安排电工更换灯泡，东门口路灯已恢复照明。")
    case_review_reply(case=answered, by=dora, approve=True)

    fresh = case_submit(by=cindy, title="楼道堆放杂物", text="3号楼2单元楼道堆满纸箱，存在消防隐患。", **IN_S1C1G1)
    to_claim = case_submit(by=cast.chen, title="小区井盖松动", text="北门外井盖踩上去晃动。", **IN_S1C1G1)
    case_accept(case=to_claim, by=dora)
    case_dispatch(case=to_claim, by=dora)
    supervised = case_submit(by=cast.chen, title="垃圾清运不及时", text="西侧垃圾站已三天未清运。", **IN_S1C1G1)
    case_accept(case=supervised, by=dora)
    case_dispatch(case=supervised, by=dora)
    case_claim(case=supervised, by=carol)
    case_supervise(case=supervised, by=cast.sam, note="群众反映强烈，请两日内清运并回复。")
    reported = grid_report(
        by=cast.gary, title="路面塌陷", text="东一路中段路面塌陷约一平方米。", photos=[photo(tmp_path)], **IN_S1C1G1
    )
    return {
        "answered": answered,
        "fresh": fresh,
        "to_claim": to_claim,
        "supervised": supervised,
        "reported": reported,
    }


class Tour:
    """One person's pages in two windows: their phone and a desktop, sharing the login."""

    def __init__(self, faces: Any, first: Any, *, first_is_phone: bool) -> None:
        second = faces.same_session(first, phone=not first_is_phone)
        self.phone, self.desktop = (first, second) if first_is_phone else (second, first)
        self.broken: list[str] = []

    def visit(self, path: str, name: str, *, ready: str, settled: str = "") -> None:
        for face, page in (("phone-375", self.phone), ("desktop-1920", self.desktop)):
            page.goto(path)
            page.wait_for_selector(ready)
            if settled:
                page.wait_for_selector(settled)
            screenshot(page, f"{face}-{name}")
            self.broken += [f"{name} at {face}: {problem}" for problem in layout_problems(page)]


def test_the_citizen_pages(faces, sms, cases):
    page = faces.phone()
    page.goto("/h5/login/")
    page.wait_for_selector("#login-form")
    screenshot(page, "phone-375-h5-login")
    assert not layout_problems(page)
    citizen_login(page, sms, CINDY)
    tour = Tour(faces, page, first_is_phone=True)
    number = cases["answered"].number
    tour.visit("/h5/", "h5-home", ready="[data-testid=home]")
    tour.visit("/h5/new/", "h5-submit", ready="#submit-form")
    tour.visit("/h5/mine/", "h5-my-requests", ready="[data-testid=case-list]")
    tour.visit(f"/h5/mine/{number}/", "h5-request-detail", ready="[data-testid=reply]", settled="#rate-form")
    tour.visit("/h5/services/", "h5-services", ready="[data-testid=tabbar]")
    assert not tour.broken, tour.broken


def test_the_console_pages(faces, cases):
    page = faces.desktop()
    page.goto("/login/")
    page.wait_for_selector("#id_username")
    screenshot(page, "desktop-1920-staff-login")
    dora = faces.desktop()
    staff_login(dora, "dora", PASSWORD, next_url="/console/dispatch/")
    tour = Tour(faces, dora, first_is_phone=False)
    tour.visit("/console/dispatch/", "console-dispatch-centre", ready=f"[data-testid='row-{cases['fresh'].number}']")

    carol = faces.desktop()
    staff_login(carol, "carol", PASSWORD)
    carol_tour = Tour(faces, carol, first_is_phone=False)
    carol_tour.visit("/console/inbox/", "console-inbox", ready="[data-testid=inbox-table]")
    number = cases["supervised"].number
    carol_tour.visit(
        f"/console/cases/{number}/",
        "console-case-page",
        ready="[data-testid=action-reply]",
        settled="#case-map canvas",
    )
    assert not tour.broken + carol_tour.broken, tour.broken + carol_tour.broken


def test_the_grid_work_pages(faces, cases):
    gary = faces.phone()
    staff_login(gary, "gary", PASSWORD)
    tour = Tour(faces, gary, first_is_phone=True)
    tour.visit("/console/grid/", "grid-my-grid", ready="[data-testid=my-grid-list]")
    tour.visit("/console/grid/report/", "grid-report", ready="#report-form")
    tour.visit("/console/grid/patrol/", "grid-patrol", ready="[data-testid=console]")

    sam = faces.desktop()
    staff_login(sam, "sam", PASSWORD)
    sam_tour = Tour(faces, sam, first_is_phone=False)
    sam_tour.visit("/console/supervise/board/", "supervisor-board", ready="[data-testid=board-orders]")
    sam_tour.visit("/console/supervise/visits/", "supervisor-visits", ready="[data-testid=console]")
    assert not tour.broken + sam_tour.broken, tour.broken + sam_tour.broken


def test_the_case_map_outlives_a_moment_without_width(faces, cases):
    """ECharts throws when it lays a map out in a box of no width; the page must not draw it then."""
    page = faces.desktop()
    staff_login(page, "carol", PASSWORD, next_url=f"/console/cases/{cases['supervised'].number}/")
    page.wait_for_selector("#case-map canvas")
    page.evaluate("document.getElementById('case-map').style.width = '0px'")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.evaluate("document.getElementById('case-map').style.width = ''")
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.wait_for_selector("#case-map canvas")
    # Any error thrown meanwhile fails the test through the `faces` fixture.
