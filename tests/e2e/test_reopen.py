"""A reopened case in the browser: the citizen objected to the first reply, a supervisor reopens the case, the
unit replies again and the district releases it. Both replies show, escaped, on the staff case page and on the
citizen's request; the supervision order issued on the way ends when the case closes."""

from __future__ import annotations

import pytest

from suban.cases.models import Case, Status, SupervisionOrder
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_rate,
    case_reply,
    case_review_reply,
    case_submit,
    case_supervise,
)
from tests.conftest import PASSWORD
from tests.e2e.conftest import citizen_login, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
FIRST = "已更换灯泡，东门口路灯已恢复照明。"
SECOND = "已更换整条线路并加装护罩 <b>请勿</b> <script>alert('x')</script>，灯不再闪烁。"


def test_both_replies_of_a_reopened_case_show_to_staff_and_to_the_citizen(faces, sms, org, cast):
    case = case_submit(by=cast.cindy, title="东门口路灯闪烁", text="灯一闪一闪", longitude=120.008, latitude=36.008)
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_claim(case=case, by=cast.carol)
    order = case_supervise(case=case, by=cast.sam, note="请两日内彻底修复")
    case_reply(case=case, by=cast.carol, reply=FIRST)
    case_review_reply(case=case, by=cast.dora, approve=True)
    case_rate(case=case, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="灯还在闪")
    number = case.number

    # --- Sam, the supervisor, reopens it from the case page.
    sam = faces.desktop()
    staff_login(sam, "sam", PASSWORD, next_url=f"/console/cases/{number}/")
    sam.locator("[data-testid=action-reopen] summary").click()
    sam.fill("#id_reopen_note", "灯仍闪烁，请彻底修复")
    with sam.expect_navigation():
        sam.click("[data-testid=submit-reopen]")
    sam.wait_for_selector("[data-testid=case-page]")
    assert Case.objects.get(number=number).status == Status.IN_PROGRESS

    # --- Carol replies again (with markup typed into it), Dora releases it.
    carol = faces.desktop()
    staff_login(carol, "carol", PASSWORD, next_url=f"/console/cases/{number}/")
    carol.locator("[data-testid=action-reply] summary").click()
    carol.fill("#id_reply_reply", SECOND)
    with carol.expect_navigation():
        carol.click("[data-testid=submit-reply]")
    dora = faces.desktop()
    staff_login(dora, "dora", PASSWORD, next_url=f"/console/cases/{number}/")
    dora.locator("[data-testid=action-approve_reply] summary").click()
    with dora.expect_navigation():
        dora.click("[data-testid=submit-approve_reply]")
    dora.wait_for_selector("[data-testid=case-page]")
    assert Case.objects.get(number=number).status == Status.VISITING

    # --- The staff timeline shows each reply on its step, as text.
    steps = dora.locator("[data-testid=timeline] [data-testid=step-reply]")
    assert steps.all_text_contents() == [FIRST, SECOND]
    assert dora.locator("[data-testid=timeline] b, [data-testid=timeline] script").count() == 0
    dora.locator("[data-testid=timeline]").scroll_into_view_if_needed()
    screenshot(dora, "reopen-01-desktop-case-both-replies")

    # --- The citizen reads both released replies on her request, newest first, and rates the second.
    citizen = faces.phone()
    citizen_login(citizen, sms, CINDY, next_url=f"/h5/mine/{number}/")
    citizen.goto(f"/h5/mine/{number}/")
    released = citizen.locator("[data-testid=timeline] [data-testid=step-reply]")
    released.first.wait_for()
    assert released.all_text_contents() == [SECOND, FIRST]
    assert SECOND in citizen.locator("[data-testid=reply]").text_content()
    assert citizen.locator("[data-testid=timeline] b, [data-testid=timeline] script").count() == 0
    screenshot(citizen, "reopen-02-phone-h5-both-replies")
    citizen.check("input[name=satisfaction][value=satisfied]")
    citizen.check("input[name=resolved][value=yes]")
    with citizen.expect_navigation():
        citizen.click("#rate-submit")
    citizen.wait_for_selector("[data-testid=my-rating]")

    # --- Closed by her rating: the supervision order ended with it, and the case page says so.
    saved = SupervisionOrder.objects.get(pk=order.pk)
    assert (saved.state, saved.outcome, saved.done_by) == ("done", "case_closed", cast.cindy)
    dora.goto(f"/console/cases/{number}/")
    assert "随案件办结结束" in dora.locator("[data-testid=supervision-outcome]").text_content()
    assert dora.locator("[data-testid=supervisions] .sup.open").count() == 0
    screenshot(dora, "reopen-03-desktop-case-closed-order-ended")
