"""Failed log-ins lock an account at the address they came from, not everywhere; guesses from many addresses
put the account under attack, which only its known addresses get through, and the security admins are told."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from suban.accounts.lockout import login_alert_end
from suban.accounts.models import LoginAlert
from suban.audit.models import AuditEntry
from suban.notify.models import Outbox
from tests.conftest import PASSWORD

OFFICE = "198.51.100.7"  # dora's dispatch centre
WRONG = "Wrong-pass-1"


def attempt(username: str, password: str, ip: str) -> int:
    """One log-in from its own browser at `ip`; the answer's status (302 in, 200 wrong, 429 refused)."""
    return Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password}).status_code


def attacker(n: int) -> str:
    return f"203.0.113.{n}"


@pytest.fixture
def told(cast):
    """The security admin has a mobile number, so the alert reaches them by SMS (no e-mail address)."""
    secadmin = cast.secadmin
    secadmin.set_phone("13900000009")
    secadmin.save()
    return secadmin


def back_in_time(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))
    LoginAlert.objects.update(last_attempt_at=timezone.now() - timedelta(minutes=minutes))


def test_five_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(cast):
    assert [attempt("dora", WRONG, attacker(1)) for _ in range(5)] == [200, 200, 200, 200, 429]
    assert attempt("dora", PASSWORD, attacker(1)) == 429  # the guessing address is locked
    assert attempt("dora", PASSWORD, OFFICE) == 302  # dora at her desk is not
    back_in_time(16)
    assert attempt("dora", PASSWORD, attacker(1)) == 302


def test_the_lockout_page_says_it_is_this_address(cast):
    browser = Client(REMOTE_ADDR=attacker(1))
    for _ in range(5):
        browser.post("/login/", {"username": "dora", "password": WRONG})
    page = browser.post("/login/", {"username": "dora", "password": PASSWORD}).content.decode()
    assert 'data-testid="locked-here"' in page and "从此地址" in page


def test_refused_attempts_count_as_no_guess(cast, told):
    """A locked address that keeps trying checks no password and cannot reach the account-wide limit alone."""
    for _ in range(40):
        attempt("dora", WRONG, attacker(1))
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert not LoginAlert.objects.exists()


def test_guesses_from_many_addresses_put_the_account_under_attack(cast, told):
    assert attempt("dora", PASSWORD, OFFICE) == 302  # her known address
    for n in range(1, 4):
        for _ in range(5):
            attempt("dora", WRONG, attacker(n))
    for _ in range(4):
        attempt("dora", WRONG, attacker(4))
    assert not LoginAlert.objects.exists()  # 19 failures from 4 addresses: not yet
    attempt("dora", WRONG, attacker(5))
    alert = LoginAlert.objects.get()
    assert (alert.username, alert.user, alert.notified) == ("dora", cast.dora, 1)
    assert (alert.failures, alert.addresses) == (20, 5)

    [message] = Outbox.objects.filter(template="login_attack")
    assert message.recipient == told and message.to == "13900000009"
    assert "dora" in message.text and "登录告警" in message.text
    entry = AuditEntry.objects.get(action="login.attack")
    assert entry.actor_name == "dora" and entry.detail["failures"] == alert.failures

    # A new address is refused even with the right password; dora's own gets in.
    assert attempt("dora", PASSWORD, attacker(7)) == 429
    page = Client(REMOTE_ADDR=attacker(8)).post("/login/", {"username": "dora", "password": PASSWORD})
    assert 'data-testid="under-attack"' in page.content.decode()
    assert attempt("dora", PASSWORD, OFFICE) == 302

    # The attack goes on: still one alert, one message; refusals are counted on it.
    for n in range(9, 20):
        attempt("dora", WRONG, attacker(n))
    assert LoginAlert.objects.count() == 1 and Outbox.objects.filter(template="login_attack").count() == 1
    assert LoginAlert.objects.get().refused >= 12
    # Other accounts are not affected.
    assert attempt("alice", PASSWORD, attacker(7)) == 302


def test_a_new_attack_after_a_quiet_window_is_a_new_alert(cast, told):
    for n in range(1, 6):
        for _ in range(5):
            attempt("dora", WRONG, attacker(n))
    assert LoginAlert.objects.count() == 1
    back_in_time(16)
    assert attempt("dora", PASSWORD, attacker(30)) == 302  # quiet for a window: no longer under attack
    for n in range(31, 36):
        for _ in range(5):
            attempt("dora", WRONG, attacker(n))
    first, second = LoginAlert.objects.order_by("started_at")
    assert first.ended_at is not None and second.ended_at is None
    assert Outbox.objects.filter(template="login_attack").count() == 2


def test_a_name_that_is_no_account_raises_no_alert(cast, told):
    for n in range(1, 6):
        for _ in range(5):
            attempt("nobody", WRONG, attacker(n))
    assert not LoginAlert.objects.exists() and not Outbox.objects.exists()


def test_the_security_admin_sees_the_attack_and_ends_it(cast, told, login):
    for n in range(1, 6):
        for _ in range(5):
            attempt("dora", WRONG, attacker(n))
    alert = LoginAlert.objects.get()
    client = login(told)
    for url in ("/admin/", "/admin/axes/accessattempt/", "/admin/accounts/loginalert/"):
        page = client.get(url).content.decode()
        assert "dora" in page and ("以下账号疑似遭受密码猜测攻击" in page or "攻击进行中" in page), url
    assert 'data-testid="login-alert-dora"' in client.get("/admin/").content.decode()
    # The system admin keeps master data: no alerts for them.
    assert "login-alert-dora" not in login(cast.sysadmin).get("/admin/").content.decode()

    client = login(told)
    response = client.post(
        "/admin/accounts/loginalert/", {"action": "end_alerts", "_selected_action": [alert.pk]}, follow=True
    )
    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.ended_at is not None and not AccessAttempt.objects.filter(username="dora").exists()
    assert AuditEntry.objects.filter(action="login.alert_end", actor=told).exists()
    assert attempt("dora", PASSWORD, attacker(1)) == 302


def test_only_the_security_admin_ends_an_alert(cast, told):
    from suban.errors import Forbidden

    for n in range(1, 6):
        for _ in range(5):
            attempt("dora", WRONG, attacker(n))
    with pytest.raises(Forbidden):
        login_alert_end(by=cast.sysadmin, alert=LoginAlert.objects.get())


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(cast, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"

    def through_proxy(password: str, client_ip: str, spoofed: str = "") -> int:
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        browser = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
        return browser.post("/login/", {"username": "dora", "password": password}).status_code

    for n in range(5):
        through_proxy(WRONG, attacker(1), spoofed=f"192.0.2.{n}")  # a made-up first entry changes nothing
    assert through_proxy(PASSWORD, attacker(1)) == 429
    assert through_proxy(PASSWORD, OFFICE) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker(1)}
