"""Every form refuses bad input with a message next to the field and keeps what was typed, in the browser.

The checks select by id, name and data-testid, never by the (translated) wording of the messages."""

from __future__ import annotations

import pytest

from suban.cases.models import Case, Status
from suban.cases.services import case_accept, case_claim, case_dispatch, case_submit
from tests.conftest import PASSWORD
from tests.e2e.conftest import citizen_login, jpeg_file, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY = "13800000001"
LONG_TEXT = (
    "小区北门外的雨水井盖缺了一角，晚上看不清，已经有两位老人差点绊倒。"
    "物业说这是市政的，市政热线说要找社区。麻烦尽快派人看看，最好先放个警示牌。" * 3
)


def test_the_h5_form_names_the_missing_title_and_keeps_the_text(faces, sms, cast, tmp_path):
    page = faces.phone(permissions=["geolocation"], geolocation={"longitude": 120.008, "latitude": 36.008})
    citizen_login(page, sms, CINDY, next_url="/h5/new/")
    page.wait_for_selector("#submit-form")
    page.fill("#id_text", LONG_TEXT)
    page.fill("#id_address", "东一社区北门")
    page.set_input_files("#id_photos", str(jpeg_file(tmp_path)))
    page.click("#locate-gps")
    page.wait_for_function("() => document.getElementById('id_longitude').value !== ''")
    with page.expect_navigation():
        page.click("#submit-request")

    error = page.locator("[data-testid=error-title]")
    assert error.is_visible() and error.text_content().strip()
    assert page.get_attribute("#id_title", "aria-invalid") == "true"
    # The message sits next to the title: in the title's own field box.
    assert page.locator(".field:has(#id_title) [data-testid=error-title]").count() == 1
    assert page.locator("[data-testid=form-errors]").is_visible()
    assert page.input_value("#id_text") == LONG_TEXT
    assert page.input_value("#id_address") == "东一社区北门"
    assert page.input_value("#id_longitude") and page.input_value("#id_latitude")
    # Files are never kept across a refusal: the page says so.
    assert page.locator("[data-testid=files-again]").is_visible()
    screenshot(page, "form-phone-h5-submit-refused")
    assert not Case.objects.exists()


def test_the_h5_login_refuses_a_wrong_code_and_keeps_the_number(faces, sms):
    page = faces.phone()
    page.goto("/h5/login/")
    page.fill("#id_phone", "13912345678")
    page.click("#send-code")
    page.wait_for_selector("#code-status [data-sent]")
    right = sms.login_code("13912345678")
    page.fill("#id_code", "000000" if right != "000000" else "111111")
    with page.expect_navigation():
        page.click("#login-submit")
    assert page.locator("[data-testid=error-code]").is_visible()
    assert page.input_value("#id_phone") == "13912345678"
    assert page.locator("[data-testid=tabbar]").count() == 0  # not logged in


def test_the_staff_login_refuses_a_wrong_password_and_keeps_the_user_name(faces, cast):
    page = faces.phone()
    staff_login(page, "dora", "not-the-password")
    error = page.locator("main form [role=alert]")
    assert error.is_visible() and error.text_content().strip()
    assert page.input_value("#id_username") == "dora"
    assert page.input_value("#id_password") == ""  # a password is never sent back
    screenshot(page, "form-phone-staff-login-refused")
    assert "/login/" in page.url


@pytest.fixture
def in_progress(cast, org) -> Case:
    """Cindy's request, dispatched to 东一社区 and claimed by carol."""
    case = case_submit(
        by=cast.cindy, title="井盖缺角", text="北门外雨水井盖缺了一角", longitude=120.008, latitude=36.008
    )
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    return case_claim(case=case, by=cast.carol)


def test_a_console_reply_without_text_is_refused_next_to_the_field(faces, cast, in_progress):
    page = faces.desktop()
    staff_login(page, "carol", PASSWORD, next_url=f"/console/cases/{in_progress.number}/")
    page.locator("[data-testid=action-reply] summary").click()
    page.fill("#id_reply_reply", "   ")
    page.click("[data-testid=submit-reply]")
    error = page.locator("#form-reply [data-testid=error-reply]")
    error.wait_for()
    assert error.text_content().strip()
    # Refused in place (htmx): the form stays open on the same page, the case unchanged.
    assert page.locator("[data-testid=action-reply]").get_attribute("open") is not None
    screenshot(page, "form-desktop-console-reply-refused")
    assert Case.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_the_dispatch_centre_keeps_an_unknown_unit_and_the_note_as_typed(faces, cast, org):
    case = case_submit(by=cast.cindy, title="路灯不亮", text="东门口路灯坏了", longitude=120.008, latitude=36.008)
    page = faces.desktop()
    staff_login(page, "dora", PASSWORD, next_url="/console/dispatch/")
    row = page.locator(f"[data-testid='row-{case.number}']")
    row.locator(f"[data-testid='other-{case.number}'] summary").click()
    page.fill(f"#id_{case.number}_other_unit", "火星街道")
    page.fill(f"#id_{case.number}_other_note", "请尽快处理")
    # The answer is awaited on its own, so that a failure says what the server sent (this test once timed out
    # waiting for the error on a loaded CI machine, with no trace of the response).
    with page.expect_response(lambda r: r.request.method == "POST", timeout=30_000) as answer:
        row.locator(f"[data-testid='submit-{case.number}-other']").click()
    assert answer.value.status in (200, 400), (answer.value.status, answer.value.text()[:2000])
    error = page.locator(f"#form-{case.number}-other [data-testid=error-unit]")
    error.wait_for()
    assert error.text_content().strip()
    assert page.input_value(f"#id_{case.number}_other_unit") == "火星街道"
    assert page.input_value(f"#id_{case.number}_other_note") == "请尽快处理"
    assert Case.objects.get(pk=case.pk).status == Status.NEW  # nothing was written, not even the accept


def test_the_grid_report_names_what_is_missing_and_keeps_the_rest(faces, cast, tmp_path):
    page = faces.phone()
    staff_login(page, "gary", PASSWORD, next_url="/console/grid/report/")
    page.wait_for_selector("#report-form")
    page.fill("[data-testid=report-text]", LONG_TEXT)
    page.fill("[data-testid=report-address]", "东一社区北门")
    page.fill("[data-testid=report-contact-name]", "李大爷")
    page.check("[data-testid=report-solved]")
    page.set_input_files("[data-testid=report-photos]", str(jpeg_file(tmp_path)))
    with page.expect_navigation():
        page.click("#report-submit")

    assert page.locator("[data-field=title] [data-testid=error-title]").is_visible()
    assert page.locator("[data-field=solution] [data-testid=error-solution]").is_visible()
    assert page.input_value("[data-testid=report-text]") == LONG_TEXT
    assert page.input_value("[data-testid=report-address]") == "东一社区北门"
    assert page.input_value("[data-testid=report-contact-name]") == "李大爷"
    assert page.is_checked("[data-testid=report-solved]")
    screenshot(page, "form-phone-grid-report-refused")
    assert not Case.objects.exists()


def test_a_console_note_with_a_nul_is_refused_in_the_form_and_keeps_the_text(faces, cast, in_progress):
    """A NUL (U+0000: pasted from a broken document) is refused before the view (suban.nul): the console's htmx
    form shows why inside itself, with the words as typed, instead of a whole error page swapped into the
    panel."""
    page = faces.desktop()
    staff_login(page, "carol", PASSWORD, next_url=f"/console/cases/{in_progress.number}/")
    page.locator("[data-testid=action-note] summary").click()
    page.fill("#id_note_note", "已到场\x00查看")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("[data-testid=submit-note]")
    assert answer.value.status == 400
    error = page.locator("#form-note [data-testid=error-400]")
    error.wait_for()
    assert "U+0000" in error.text_content() and "note" not in error.text_content()
    assert page.input_value("#id_note_note") == "已到场\x00查看"
    assert page.locator("#case-actions [data-testid=site-header], #case-actions header").count() == 0
    screenshot(page, "form-desktop-console-note-nul-refused")
    faces.errors.clear()  # the browser logs the 400 answer itself as a failed resource
    assert Case.objects.get(pk=in_progress.pk).version == in_progress.version
