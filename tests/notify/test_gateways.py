"""The gateways: SMS to the log or to a signed webhook (a local HTTP server here), email through Django's
backend (locmem in tests); and the settings that choose them fail loudly when incomplete."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from suban.accounts.services import staff_update
from suban.cases.services import case_accept, case_claim, case_dispatch, case_escalate, case_submit
from suban.notify import sending
from suban.notify.gateways import SIGNATURE_HEADER, GatewayError, Message, send
from suban.notify.models import Outbox, OutboxStatus
from suban.notify.sending import STUCK_AFTER, deliver, sweep
from suban.notify.services import Recipient, outbox_add
from tests.notify.helpers import messages

pytestmark = pytest.mark.django_db

SECRET = "webhook-test-secret"


class Hook:
    """A local SMS provider: records each request and answers with `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.requests.append((dict(self.headers), body))
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook(settings):
    server = Hook()
    settings.SMS_GATEWAY = "webhook"
    settings.SMS_WEBHOOK_URL = server.url
    settings.SMS_WEBHOOK_SECRET = SECRET
    yield server
    server.close()


def sms(text="您的诉求已受理", sensitive=False):
    return Message("sms", "13800000001", "case_accepted", "", text, sensitive, key="suban-notify-test")


def test_the_log_gateway_writes_the_whole_message_for_the_developer(caplog, settings):
    settings.DEBUG = True
    send(sms("验证码 424242", sensitive=True))
    assert "SMS to 138****0001 [case_accepted]: 验证码 424242" in caplog.text
    assert "13800000001" not in caplog.text


def test_without_debug_the_log_gateway_hides_login_codes(caplog, settings):
    settings.DEBUG = False
    send(sms("验证码 424242", sensitive=True))
    assert "424242" not in caplog.text
    assert "验证码 ******" in caplog.text


def test_the_webhook_gets_signed_json(hook):
    send(sms())
    [(headers, body)] = hook.requests
    assert json.loads(body) == {
        "idempotency_key": "suban-notify-test",
        "to": "13800000001",
        "template": "case_accepted",
        "text": "您的诉求已受理",
    }
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Idempotency-Key"] == '"suban-notify-test"'  # a Structured Field String, as the draft says
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected


def test_a_webhook_answer_other_than_2xx_is_a_failure(hook):
    hook.status = 503
    with pytest.raises(GatewayError, match="503"):
        send(sms())


def test_an_unreachable_webhook_is_a_failure_recorded_on_the_message(hook, settings):
    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens-here"
    row = outbox_add(template="case_accepted", to=Recipient(phone="13800000001"), context={"number": "N1"})
    assert deliver(row.pk).status == "retry"
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING
    assert "SMS webhook unreachable" in row.last_error


def test_a_message_goes_out_through_the_webhook(hook):
    row = outbox_add(template="case_closed", to=Recipient(phone="13800000002"), context={"number": "N7"})
    assert deliver(row.pk).status == "sent"
    [(_headers, body)] = hook.requests
    sent = json.loads(body)
    assert sent["to"] == "13800000002"
    assert sent["template"] == "case_closed"
    assert "N7" in sent["text"]


def test_email_goes_through_the_django_backend(cast):
    alice = cast.alice
    alice.email = "alice@example.com"
    row = outbox_add(
        template="staff_new_case",
        to=Recipient(phone="", email=alice.email, user=alice),
        context={"number": "N9", "title": "路灯不亮", "unit": "东街道", "due": None},
    )
    assert row.channel == "email"
    assert deliver(row.pk).status == "sent"
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "新工单 N9"
    assert "东街道收到新工单 N9：路灯不亮" in email.body


# A title as a citizen may type it: what HTML escaping would change, and what looks like the template language.
TYPED = '灯"坏" & <杆> {{ x }}{% load %}'


def test_a_citizens_title_reaches_the_phone_and_the_mailbox_as_typed(cast, hook, frozen):
    staff_update(by=None, user=cast.carol, phone="13700000003")
    cast.alice.email = "alice@example.com"
    cast.alice.save(update_fields=["email"])
    case = case_submit(by=cast.cindy, title=TYPED, text="路灯坏了", longitude=120.008, latitude=36.008)
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    [sms_row] = messages("staff_new_case")  # carol has no e-mail address: hers goes by SMS
    assert deliver(sms_row.pk).status == "sent"
    [(_headers, body)] = hook.requests
    assert f"东一社区收到新工单 {case.number}：{TYPED}。" in json.loads(body)["text"]

    case_claim(case=case, by=cast.carol)
    case_escalate(case=case, by=cast.carol, note="需街道协调")
    [email_row] = messages("staff_new_case", recipient=cast.alice)
    assert deliver(email_row.pk).status == "sent"
    [email] = mail.outbox
    assert f"东街道收到新工单 {case.number}：{TYPED}。" in email.body


def test_a_failing_email_backend_is_a_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with pytest.raises(GatewayError, match="email not sent"):
        send(Message("email", "a@example.com", "staff_overdue", "subject", "text", key="suban-notify-test"))


def _settings_error(tmp_path, **env: str) -> str:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='suban.settings'; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "SUBAN_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr if result.returncode else ""


def test_the_webhook_gateway_needs_its_url_and_secret(tmp_path):
    assert "SMS_WEBHOOK_URL must be an http(s):// URL" in _settings_error(tmp_path, SMS_GATEWAY="webhook")
    error = _settings_error(tmp_path, SMS_GATEWAY="webhook", SMS_WEBHOOK_URL="https://sms.example.com/send")
    assert "SMS_WEBHOOK_SECRET is required" in error
    assert "SMS_GATEWAY='carrier-pigeon' must be one of log, webhook" in _settings_error(
        tmp_path, SMS_GATEWAY="carrier-pigeon"
    )
    assert (
        _settings_error(
            tmp_path, SMS_GATEWAY="webhook", SMS_WEBHOOK_URL="https://sms.example.com/send", SMS_WEBHOOK_SECRET="s"
        )
        == ""
    )


# --- at least once, and a key to drop repeats by -----------------------------------------------------------


class Kill:
    """While armed, the worker is killed after the gateway took the message, before it could record that."""

    def __init__(self) -> None:
        self.armed = True
        self.finish = sending._finish

    def __call__(self, *args, **kwargs):
        if self.armed:
            raise SystemExit("killed")
        return self.finish(*args, **kwargs)


@pytest.fixture
def kill(monkeypatch):
    worker = Kill()
    monkeypatch.setattr(sending, "_finish", worker)
    return worker


def resend_after_the_worker_died(frozen, kill, row):
    kill.armed = True
    with pytest.raises(SystemExit):
        deliver(row.pk)
    kill.armed = False  # the next worker lives
    assert Outbox.objects.get(pk=row.pk).status == OutboxStatus.SENDING
    assert sweep().sent == 0  # it may still be sending
    frozen.advance(seconds=STUCK_AFTER.total_seconds())
    assert sweep().sent == 1


def key_of(request):
    headers, body = request
    key = json.loads(body)["idempotency_key"]
    assert headers["Idempotency-Key"] == f'"{key}"'
    return key


def test_a_message_sent_again_after_a_crash_or_a_failure_carries_the_same_key_and_another_its_own(hook, frozen, kill):
    crashed = outbox_add(template="case_closed", to=Recipient(phone="13800000002"), context={"number": "N7"})
    resend_after_the_worker_died(frozen, kill, crashed)
    assert len(hook.requests) == 2  # the gateway got it twice ...
    assert key_of(hook.requests[0]) == key_of(hook.requests[1]) == crashed.idempotency_key  # ... and can tell

    hook.status = 503
    failed = outbox_add(template="case_closed", to=Recipient(phone="13800000002"), context={"number": "N7"})
    assert deliver(failed.pk).status == "retry"
    hook.status = 200
    frozen.advance(seconds=30)
    assert deliver(failed.pk).status == "sent"
    assert key_of(hook.requests[2]) == key_of(hook.requests[3]) == failed.idempotency_key
    # The same text to the same phone is another message, with another key.
    assert failed.idempotency_key != crashed.idempotency_key
    assert crashed.idempotency_key.startswith("suban-notify-")


def test_an_email_sent_again_after_a_crash_has_the_same_message_id(cast, frozen, settings, kill):
    settings.DEFAULT_FROM_EMAIL = "诉办 <suban@district.example.cn>"
    context = {"number": "N9", "title": "路灯不亮", "unit": "东街道", "due": None}
    to = Recipient(email="alice@example.com", user=cast.alice)
    row = outbox_add(template="staff_new_case", to=to, context=context)
    resend_after_the_worker_died(frozen, kill, row)
    other = outbox_add(template="staff_new_case", to=to, context=context)
    assert deliver(other.pk).status == "sent"
    first, again, another = (email.message() for email in mail.outbox)
    assert first["Message-ID"] == again["Message-ID"] == f"<{row.idempotency_key}@district.example.cn>"
    assert first["X-Suban-Idempotency-Key"] == again["X-Suban-Idempotency-Key"] == row.idempotency_key
    assert another["Message-ID"] == f"<{other.idempotency_key}@district.example.cn>"
