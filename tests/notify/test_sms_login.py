"""A citizen logs in with a code sent by SMS: the number checked, the rate limits, the code's expiry and its
attempts, staff numbers refused, and the Django session through CitizenSmsBackend."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory
from django.utils import translation

from suban.accounts.backends import CitizenSmsBackend
from suban.accounts.models import User
from suban.accounts.services import account_set_active, staff_update
from suban.accounts.sms_login import RateLimited, login_citizen, send_code, verify_code
from suban.cases.services import case_submit
from suban.errors import Forbidden, Invalid
from suban.notify.models import LoginCode, OutboxStatus
from tests.notify.helpers import messages


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are checked in their source language (the UI's default is Chinese)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

NEW = "13900000077"  # nobody has this number yet
IP = "203.0.113.5"


def code_sent_to(phone: str) -> str:
    """The code in the latest login SMS to `phone` (as the citizen reads it on their phone)."""
    row = [m for m in messages("login_code") if m.to == phone][-1]
    return re.search(r"\d{6}", row.text).group()


def test_a_code_goes_out_by_sms_and_only_its_hash_is_kept(frozen, django_capture_on_commit_callbacks, caplog, settings):
    settings.DEBUG = True  # as in development: the log gateway shows the code
    with django_capture_on_commit_callbacks(execute=True):
        send_code("139 0000 0077", ip=IP)
    [row] = messages("login_code")
    assert row.status == OutboxStatus.SENT and row.sensitive and row.body == ""
    code = re.search(r"验证码为 (\d{6})", caplog.text).group(1)
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=5)


@pytest.mark.parametrize("phone", ["", "12345", "1380000000", "12800000000", "053288886666", "138000000011"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(frozen, phone):
    with pytest.raises(Invalid, match="11-digit mainland mobile") as refused:
        send_code(phone, ip=IP)
    assert refused.value.field == "phone"
    assert LoginCode.objects.count() == 0


def test_one_code_a_minute_per_number(frozen):
    send_code(NEW, ip=IP)
    frozen.advance(seconds=20)
    with pytest.raises(RateLimited, match="try again in 40 seconds") as refused:
        send_code(NEW, ip="198.51.100.1")
    assert refused.value.status == 429
    assert refused.value.details == {"retry_after": 40}
    frozen.advance(seconds=41)
    send_code(NEW, ip=IP)
    assert LoginCode.objects.count() == 2


def test_five_codes_an_hour_per_number(frozen):
    for _n in range(5):
        send_code(NEW, ip=IP)
        frozen.advance(minutes=2)
    with pytest.raises(RateLimited, match="try again in 50 minutes"):  # when the first one, at 0, ages out
        send_code(NEW, ip=IP)
    frozen.advance(minutes=50)
    send_code(NEW, ip=IP)


def test_twenty_codes_an_hour_per_address(frozen):
    for n in range(20):
        send_code(f"1390000{n:04d}", ip=IP)
    with pytest.raises(RateLimited):
        send_code("13911112222", ip=IP)
    send_code("13911112222", ip="198.51.100.1")  # another address is not held up


def test_a_missing_or_odd_address_counts_by_number_only(frozen):
    send_code(NEW, ip="unknown")
    send_code("13900000078", ip="")
    assert list(LoginCode.objects.values_list("ip", flat=True)) == [None, None]


def test_the_right_code_logs_in_and_creates_the_citizen(frozen):
    send_code(NEW, ip=IP)
    user = verify_code(NEW, code_sent_to(NEW))
    assert user.is_citizen and user.phone == NEW
    assert not user.has_usable_password()


def test_an_existing_citizen_gets_their_own_account(cast, frozen):
    send_code("13800000001", ip=IP)
    assert verify_code("13800000001", code_sent_to("13800000001")) == cast.cindy


def test_a_code_is_used_once(frozen):
    send_code(NEW, ip=IP)
    code = code_sent_to(NEW)
    verify_code(NEW, code)
    with pytest.raises(Invalid, match="has been used"):
        verify_code(NEW, code)


def test_a_code_expires_after_five_minutes(frozen):
    send_code(NEW, ip=IP)
    frozen.advance(minutes=5, seconds=1)
    with pytest.raises(Invalid, match="expired"):
        verify_code(NEW, code_sent_to(NEW))


def test_five_wrong_codes_spend_the_code(frozen):
    send_code(NEW, ip=IP)
    right = code_sent_to(NEW)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(Invalid, match=f"{left} attempts? left") as refused:
            verify_code(NEW, wrong)
        assert refused.value.field == "code"
    with pytest.raises(Invalid, match="Too many wrong codes"):
        verify_code(NEW, wrong)
    with pytest.raises(Invalid, match="Too many wrong codes"):
        verify_code(NEW, right)
    assert not User.objects.filter(phone_hash__isnull=False, kind="citizen").exists()


def test_only_the_latest_code_counts(frozen):
    send_code(NEW, ip=IP)
    first = code_sent_to(NEW)
    frozen.advance(seconds=61)
    send_code(NEW, ip=IP)
    second = code_sent_to(NEW)
    if first != second:  # one chance in a million that the two are the same
        with pytest.raises(Invalid):
            verify_code(NEW, first)
    assert verify_code(NEW, second).phone == NEW


def test_no_code_no_login(frozen):
    with pytest.raises(Invalid, match="No code was sent"):
        verify_code(NEW, "123456")
    with pytest.raises(Invalid, match="6-digit code"):
        verify_code(NEW, "12ab")


def test_a_staff_number_is_refused(cast, frozen):
    staff_update(by=None, user=cast.carol, phone="13700000003")
    with pytest.raises(Forbidden, match="staff account"):
        send_code("13700000003", ip=IP)
    with pytest.raises(Forbidden, match="staff account"):
        verify_code("13700000003", "123456")
    assert messages() == []


def test_a_disabled_citizen_is_refused(cast, frozen):
    account_set_active(by=None, user=cast.cindy, active=False)
    send_code("13800000001", ip=IP)
    with pytest.raises(Forbidden, match="disabled"):
        verify_code("13800000001", code_sent_to("13800000001"))


def logged_in_client(user: User) -> Client:
    """login_citizen on a real request with a session, then a client holding that session's cookie."""
    request = RequestFactory().post("/h5/login/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    login_citizen(request, user)
    request.session.save()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


def test_the_citizen_logs_into_a_session_and_sees_only_their_cases(cast, frozen):
    mine = case_submit(by=cast.cindy, title="路灯不亮", longitude=120.008, latitude=36.008)
    case_submit(by=cast.chen, title="井盖缺失", longitude=120.008, latitude=36.008)
    send_code("13800000001", ip=IP)
    client = logged_in_client(verify_code("13800000001", code_sent_to("13800000001")))
    me = client.get("/api/me").json()
    assert me["kind"] == "citizen" and me["phone"] == "138****0001"
    listed = client.get("/api/cases").json()
    assert [c["number"] for c in listed["items"]] == [mine.number]


def test_the_session_backend_restores_only_active_citizens(cast):
    backend = CitizenSmsBackend()
    assert backend.get_user(cast.cindy.pk) == cast.cindy
    assert backend.get_user(cast.dora.pk) is None
    account_set_active(by=None, user=cast.chen, active=False)
    assert backend.get_user(cast.chen.pk) is None
    assert backend.authenticate(None, username="cindy", password="anything") is None


def test_a_disabled_citizens_session_ends(cast, frozen):
    client = logged_in_client(cast.cindy)
    assert client.get("/api/me").status_code == 200
    account_set_active(by=None, user=cast.cindy, active=False)
    assert client.get("/api/me").status_code == 401


def test_staff_cannot_be_logged_in_as_citizens(cast):
    with pytest.raises(Forbidden):
        logged_in_client(cast.dora)
