"""The mediation centre in the browser, from a case's escalation to a kept agreement: the community that holds a
hard case sends it to the mediation centre from the case page; the centre names the respondent, accepts it and
assigns it to the street's room with a desk of the centre beside it; the lead mediator records a session, the
written agreement (markup typed into it) and downloads its PDF; the case comes back with the outcome on its
timeline; the fulfilment visit and the closing follow; the citizen follows the dispute on the H5 and reads the
outcome on her request's timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from suban.cases.models import Case, Status
from suban.cases.services import case_accept, case_claim, case_dispatch, case_submit
from suban.mediation.models import Dispute, DisputeStatus
from tests.conftest import PASSWORD
from tests.e2e.conftest import citizen_login, layout_problems, screenshot, staff_login
from tests.mediation.conftest import centre  # noqa: F401  (the mediation centre's cast, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
TERMS = "李四于12月31日前赔偿张三维修费<b>2000元</b>，双方不再追究。<script>alert(1)</script>"


def step(page, name: str) -> None:
    page.locator(f"[data-testid=step-{name}] summary").click()


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=submit-{name}]")


def test_a_hard_case_is_mediated_to_a_kept_agreement(faces, sms, org, cast, centre):  # noqa: F811
    case = case_submit(
        by=cast.cindy,
        title="楼上漏水殃及我家",
        text="楼上卫生间漏水三个月，协商赔偿未果",
        longitude=120.008,
        latitude=36.008,
    )
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_claim(case=case, by=cast.carol)
    number = case.number

    # --- Carol, who holds the case, sends it to the mediation centre from the case page.
    carol = faces.desktop()
    staff_login(carol, "carol", PASSWORD, next_url=f"/console/cases/{number}/")
    carol.locator("[data-testid=action-to_mediation] summary").click()
    carol.select_option("#id_to_mediation_category", "neighbours")
    carol.fill("#id_to_mediation_note", "双方多次协商未果，<i>需要</i>专业调解")
    with carol.expect_navigation():
        carol.click("[data-testid=submit-to_mediation]")
    carol.wait_for_selector("[data-testid=case-page]")
    assert Case.objects.get(number=number).status == Status.ON_HOLD
    dispute = Dispute.objects.get(case__number=number)
    assert carol.locator(f"a[href='/console/mediation/{dispute.number}/']").count() == 0  # not hers to read
    screenshot(carol, "mediation-01-case-sent")

    # --- Mia, the centre's intake, finds it, names the respondent, accepts and assigns it.
    mia = faces.desktop()
    staff_login(mia, "mia", PASSWORD, next_url="/console/mediation/")
    assert mia.locator("[data-testid=mediation-count-intake]").text_content() == "1"
    with mia.expect_navigation():
        mia.click(f"a[href='/console/mediation/{dispute.number}/']")
    mia.locator("[data-testid=party-add] summary").click()
    mia.select_option("#id_party_side", "respondent")
    mia.fill("#id_party_name", "李四<b>楼上</b>")
    mia.fill("#id_party_phone", "13900000009")
    with mia.expect_navigation():
        mia.click("[data-testid=submit-party]")
    assert mia.locator("[data-testid=party-name]").all_text_contents()[-1] == "李四<b>楼上</b>"
    step(mia, "accept")
    submit(mia, "accept")
    step(mia, "assign")
    mia.select_option("#id_assign_room", str(centre.street.pk))
    mia.select_option("#id_assign_lead", str(centre.mediator("rhea").pk))
    mia.check(f"[data-testid=form-assign] input[name=joint][value='{centre.mediator('max').pk}']")
    submit(mia, "assign")
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ASSIGNED
    screenshot(mia, "mediation-02-assigned")

    # --- Rhea, the lead, records a session, then the written agreement, and prints it.
    rhea = faces.desktop()
    staff_login(rhea, "rhea", PASSWORD, next_url="/console/mediation/?tab=mine")
    with rhea.expect_navigation():
        rhea.click(f"a[href='/console/mediation/{dispute.number}/']")
    assert rhea.locator("[data-testid=party-phone]").first.text_content().strip() == "13800000001"  # she calls them
    step(rhea, "session")
    rhea.fill("#id_session_held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    rhea.fill("#id_session_place", "东街道调解室")
    rhea.fill("#id_session_attended", "张三、李四、调解员、城管局窗口")
    rhea.fill("#id_session_said", "双方陈述，同意按维修费赔偿")
    submit(rhea, "session")
    assert rhea.locator("[data-testid=session]").count() == 1
    step(rhea, "agree")
    rhea.check("[data-testid=form-agree] input[name=kind][value=written]")
    rhea.fill("#id_agree_terms", TERMS)
    rhea.fill("#id_agree_signed_on", timezone.localdate().isoformat())
    submit(rhea, "agree")
    assert rhea.locator("[data-testid=terms]").text_content().strip() == TERMS
    assert rhea.locator("[data-testid=terms] b, [data-testid=terms] script").count() == 0
    with rhea.expect_download() as download:
        rhea.click("[data-testid=agreement-pdf]")
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
    screenshot(rhea, "mediation-03-agreed")

    # --- The case is back with the unit, its clock running, the outcome on its timeline.
    assert Case.objects.get(number=number).status == Status.IN_PROGRESS
    carol.reload()
    assert carol.locator("[data-testid=timeline]").get_by_text(dispute.number).count() >= 1
    screenshot(carol, "mediation-04-case-back")

    # --- A month on: the visit finds it kept, and the centre closes it.
    step(rhea, "visit")
    rhea.check("[data-testid=form-visit] input[name=fulfilled][value=yes]")
    rhea.fill("#id_visit_note", "回访：赔偿已付清")
    submit(rhea, "visit")
    mia.goto(f"/console/mediation/{dispute.number}/")
    step(mia, "close")
    submit(mia, "close")
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.CLOSED

    # --- Cindy follows her dispute on the H5 and sees the outcome on her request.
    cindy = faces.phone()
    citizen_login(cindy, sms, CINDY, next_url="/h5/mediation/")
    cindy.goto("/h5/mediation/")
    with cindy.expect_navigation():
        cindy.click(f"a[href='/h5/mediation/{dispute.number}/']")
    assert cindy.get_attribute("[data-testid=outcome]", "data-outcome") == "agreed"
    assert "2000" in cindy.locator("[data-testid=outcome]").text_content()
    assert layout_problems(cindy) == []
    screenshot(cindy, "mediation-05-h5-dispute")
    cindy.goto(f"/h5/mine/{number}/")
    assert cindy.get_by_text(dispute.number).count() >= 1
    screenshot(cindy, "mediation-06-h5-request")
