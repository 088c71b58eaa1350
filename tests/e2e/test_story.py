"""Issue 4's story, in the browser from start to end: a citizen reports a broken street light from her
phone, the district dispatcher sends it to the community, the community handler answers, the dispatcher
releases the answer, and the citizen rates it, which closes the case."""

from __future__ import annotations

import re

import pytest

from suban.cases.models import Attachment, Case, Satisfaction, Status
from tests.conftest import PASSWORD
from tests.e2e.conftest import citizen_login, jpeg_file, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
# Inside 东一社区第一网格 (S1C1G1), outside the school's special grid.
INSIDE_S1C1G1 = {"longitude": 120.008, "latitude": 36.008}
TITLE = "东门口路灯不亮"
TEXT = "东一社区东门口的路灯坏了三天，晚上路很黑，老人出门不方便。"
REPLY = "已安排电工更换灯泡，东门口路灯已恢复照明。"


def case_of(number: str) -> Case:
    return Case.objects.select_related("unit", "grid").get(number=number)


def test_a_request_goes_from_the_citizen_through_the_console_and_back_to_be_rated(faces, sms, org, cast, tmp_path):
    # --- The citizen, on her phone, logs in with the code from the SMS and reports the problem.
    citizen = faces.phone(permissions=["geolocation"], geolocation=INSIDE_S1C1G1)
    citizen_login(citizen, sms, CINDY)
    citizen.click("[data-testid=tab-submit]")
    citizen.wait_for_selector("#submit-form")
    citizen.fill("#id_title", TITLE)
    citizen.fill("#id_text", TEXT)
    citizen.set_input_files("#id_photos", str(jpeg_file(tmp_path, "lamp.jpg")))
    citizen.wait_for_selector("#photo-previews img")
    citizen.click("#locate-gps")
    citizen.wait_for_function("() => document.getElementById('id_longitude').value !== ''")
    assert float(citizen.input_value("#id_longitude")) == pytest.approx(120.008)
    assert float(citizen.input_value("#id_latitude")) == pytest.approx(36.008)
    # The status line names the grid the point falls in (the grid's name is data, not a translated string).
    citizen.wait_for_selector("#location-status:has-text('东一社区第一网格')")
    citizen.fill("#id_contact_name", "王女士")
    with citizen.expect_navigation():
        citizen.click("#submit-request")

    # The case number shows at once.
    number = citizen.text_content("[data-testid=case-number]").strip()
    assert re.fullmatch(r"\d{8,}", number), number
    assert citizen.url.endswith(f"/h5/submitted/{number}/")
    screenshot(citizen, "story-01-phone-h5-submitted")
    case = case_of(number)
    assert case.status == Status.NEW and case.citizen == cast.cindy
    assert case.grid == org["S1C1G1"] and case.title == TITLE
    assert Attachment.objects.filter(case=case, kind="photo").count() == 1

    # --- The dispatcher accepts it and sends it to the suggested unit, 东一社区, in one click.
    dora = faces.desktop()
    staff_login(dora, "dora", PASSWORD, next_url="/console/dispatch/")
    row = dora.locator(f"[data-testid='row-{number}']")
    row.wait_for()
    assert "东一社区" in row.locator("[data-testid=suggestion]").text_content()
    screenshot(dora, "story-02-desktop-dispatch-centre")
    row.locator(f"[data-testid='submit-{number}-quick']").click()
    dora.locator(f"[data-testid='row-{number}'] [data-testid=row-done]").wait_for()
    case = case_of(number)
    assert case.status == Status.DISPATCHED and case.unit == org["S1C1"]
    assert number in sms.wait_for(CINDY, "case_accepted")  # the citizen hears it was accepted

    # --- Carol, of 东一社区, finds it among the cases to claim, claims it and replies.
    carol = faces.desktop()
    staff_login(carol, "carol", PASSWORD, next_url="/console/inbox/?tab=to_claim")
    with carol.expect_navigation():
        carol.click(f"[data-testid=case-row][data-case='{number}'] [data-testid=case-link]")
    carol.wait_for_selector("[data-testid=case-page]")
    with carol.expect_navigation():  # done: the page reloads with the actions that follow
        carol.click("[data-testid=submit-claim]")
    carol.locator("[data-testid=action-reply] summary").click()
    carol.fill("#id_reply_reply", REPLY)
    with carol.expect_navigation():
        carol.click("[data-testid=submit-reply]")
    carol.wait_for_selector("[data-testid=case-page]")
    assert carol.locator("[data-testid=action-reply]").count() == 0
    screenshot(carol, "story-03-desktop-case-replied")
    case = case_of(number)
    assert case.status == Status.REVIEWING and case.handler == cast.carol and case.reply == REPLY

    # --- The dispatcher reviews the reply and releases it to the citizen.
    dora.goto("/console/inbox/?tab=to_review")
    with dora.expect_navigation():
        dora.click(f"[data-testid=case-row][data-case='{number}'] [data-testid=case-link]")
    dora.locator("[data-testid=action-approve_reply] summary").click()
    with dora.expect_navigation():
        dora.click("[data-testid=submit-approve_reply]")
    dora.wait_for_selector("[data-testid=case-page]")
    assert case_of(number).status == Status.VISITING
    assert number in sms.wait_for(CINDY, "case_replied")

    # --- The citizen reads the reply on her request's page and rates it: satisfied, resolved.
    citizen.click("[data-testid=tab-mine]")
    with citizen.expect_navigation():
        citizen.click(f"[data-testid=case-item][data-number='{number}']")
    reply = citizen.locator("[data-testid=reply]")
    reply.wait_for()
    assert REPLY in reply.text_content()
    screenshot(citizen, "story-04-phone-h5-reply-to-rate")
    citizen.check(f"input[name=satisfaction][value={Satisfaction.SATISFIED}]")
    citizen.check("input[name=resolved][value=yes]")
    citizen.fill("#id_comment", "修得很快，谢谢！")
    with citizen.expect_navigation():
        citizen.click("#rate-submit")
    citizen.wait_for_selector("[data-testid=my-rating]")
    assert citizen.locator("#rate-form").count() == 0
    screenshot(citizen, "story-05-phone-h5-closed")

    # --- Closed, in the database too.
    case = case_of(number)
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert case.satisfaction == Satisfaction.SATISFIED and case.resolved is True
    assert list(case.events.order_by("seq").values_list("action", flat=True)) == [
        "submit",
        "accept",
        "dispatch",
        "claim",
        "reply",
        "approve_reply",
        "rate",
    ]
