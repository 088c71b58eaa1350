"""The citizen's app logs in over the API: POST /api/auth/sms-code, then /api/auth/sms-login for a token."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from suban.accounts.services import staff_update
from suban.cases.services import case_submit
from tests.notify.helpers import messages

pytestmark = pytest.mark.django_db

PHONE = "13800000001"


def post(client: Client, path: str, body: dict) -> tuple[int, dict]:
    response = client.post(f"/api{path}", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def code_sent_to(phone: str) -> str:
    row = [m for m in messages("login_code") if m.to == phone][-1]
    return re.search(r"\d{6}", row.text).group()


def test_a_citizen_logs_in_and_uses_the_token(cast, frozen):
    mine = case_submit(by=cast.cindy, title="路灯不亮", longitude=120.008, latitude=36.008)
    case_submit(by=cast.chen, title="井盖缺失", longitude=120.008, latitude=36.008)
    client = Client(enforce_csrf_checks=True)
    status, body = post(client, "/auth/sms-code", {"phone": PHONE})
    assert (status, body) == (202, {"expires_in": 300, "resend_after": 60})
    status, body = post(client, "/auth/sms-login", {"phone": PHONE, "code": code_sent_to(PHONE)})
    assert status == 200
    assert body["token"].startswith("sbn_")
    assert parse_datetime(body["expires_at"]) == frozen() + timedelta(days=30)
    app = Client(headers={"Authorization": f"Bearer {body['token']}"})
    assert app.get("/api/me").json()["kind"] == "citizen"
    assert [c["number"] for c in app.get("/api/cases").json()["items"]] == [mine.number]


def test_errors_have_the_apis_one_format(cast, frozen):
    client = Client()
    status, body = post(client, "/auth/sms-code", {"phone": "12345"})
    assert status == 400
    assert body["error"]["code"] == "invalid" and body["error"]["field"] == "phone"
    status, body = post(client, "/auth/sms-code", {"phone": PHONE, "extra": 1})
    assert status == 400 and body["error"]["field"] == "extra"
    post(client, "/auth/sms-code", {"phone": PHONE})
    status, body = post(client, "/auth/sms-code", {"phone": PHONE})
    assert status == 429
    assert body["error"]["code"] == "throttled"
    assert body["error"]["details"] == {"retry_after": 60}
    wrong = f"{(int(code_sent_to(PHONE)) + 1) % 1_000_000:06d}"
    status, body = post(client, "/auth/sms-login", {"phone": PHONE, "code": wrong})
    assert status == 400 and body["error"]["field"] == "code"


def test_a_staff_number_gets_no_code(cast, frozen):
    staff_update(by=None, user=cast.alice, phone="13700000001")
    status, body = post(Client(), "/auth/sms-code", {"phone": "13700000001"})
    # The message is in the UI language (Chinese by default): it tells staff to log in with their password.
    assert status == 403 and body["error"]["code"] == "forbidden" and "工作人员" in body["error"]["message"]


def test_one_address_asking_too_fast_is_throttled(cast, frozen):
    client = Client()
    answers = [post(client, "/auth/sms-code", {"phone": f"1390000{n:04d}"})[0] for n in range(11)]
    assert answers == [202] * 10 + [429]


def test_no_full_phone_number_leaves_the_api(cast, frozen):
    client = Client()
    bodies = [client.post("/api/auth/sms-code", {"phone": PHONE}, content_type="application/json").content]
    bodies.append(
        client.post(
            "/api/auth/sms-login", {"phone": PHONE, "code": code_sent_to(PHONE)}, content_type="application/json"
        ).content
    )
    assert all(PHONE.encode() not in body for body in bodies)
