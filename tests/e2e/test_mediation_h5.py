"""Mediation on the H5 in a phone's browser: a citizen applies for the mediation of a dispute, follows it while
the centre takes it in, assigns it and sets a session, and downloads the agreement; the pages keep to the phone's
width and raise no console error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suban.mediation.models import Dispute
from suban.mediation.services import dispute_accept, dispute_agree, dispute_assign, dispute_session
from tests.e2e.conftest import citizen_login, layout_problems, screenshot
from tests.mediation.conftest import centre  # noqa: F401  (the mediation centre's cast, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"


def test_a_citizen_applies_for_mediation_and_follows_it_to_the_agreement(faces, sms, org, cast, centre):  # noqa: F811
    page = faces.phone()
    citizen_login(page, sms, CINDY, next_url="/h5/")
    page.click("[data-testid=home-mediation]")
    page.click("[data-testid=mediation-apply]")
    page.select_option("#id_category", "neighbours")
    page.fill("#id_summary", "楼上漏水<b>殃及</b>楼下")
    page.fill("#id_facts", "楼上卫生间漏水，楼下天花板受损。")
    page.select_option("#id_place", str(org["S1C1"].pk))
    page.fill("#id_name", "张三")
    page.fill("#id_other_name", "李四")
    page.fill("#id_other_phone", "13900000009")
    assert layout_problems(page) == []
    screenshot(page, "h5-mediation-apply")
    with page.expect_navigation():
        page.click("#apply-submit")
    page.wait_for_selector("[data-testid=dispute-detail]")
    assert page.inner_text("[data-testid=dispute-summary]") == "楼上漏水<b>殃及</b>楼下"
    dispute = Dispute.objects.get()

    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    dispute_session(
        dispute=dispute,
        by=centre.rhea,
        held_at=timezone.now() + timedelta(days=1),
        place="东街道调解室",
        attended="双方",
        said="约定时间",
    )
    page.reload()
    assert page.locator("[data-testid=session].ahead").count() == 1
    dispute.refresh_from_db()
    dispute_session(
        dispute=dispute, by=centre.rhea, held_at=timezone.now(), place="东街道调解室", attended="双方", said="达成一致"
    )
    dispute.refresh_from_db()
    dispute_agree(
        dispute=dispute, by=centre.rhea, kind="written", terms="李四赔偿张三2000元。", signed_on=timezone.localdate()
    )
    page.reload()
    assert page.get_attribute("[data-testid=outcome]", "data-outcome") == "agreed"
    assert layout_problems(page) == []
    screenshot(page, "h5-mediation-agreed")
    with page.expect_download() as download:
        page.click("[data-testid=agreement-pdf]")
    assert download.value.suggested_filename == f"{dispute.number}.pdf"
    page.goto("/h5/mediation/")
    assert page.locator("[data-testid=dispute-item]").count() == 1
    screenshot(page, "h5-mediation-list")
    page.goto("/h5/")
    screenshot(page, "h5-home")
