"""Logging in: password policy, lockout after 5 failures for 15 minutes, 30-minute idle timeout."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.utils import timezone

from suban.accounts.services import account_set_password, staff_create
from suban.errors import Invalid
from tests.conftest import PASSWORD


@pytest.mark.parametrize("weak", ["Ab1!xyz", "abcdefgh", "abcdefg1", "ABCDEFG1", "12345678!"])
def test_it_refuses_weak_passwords(org, weak):
    with pytest.raises(Invalid):
        staff_create(by=None, username="newbie", name="N", unit=org["S1"], roles=["street_handler"], password=weak)


@pytest.mark.parametrize("strong", ["Harbour7Q", "harbour7q!", "街道Abc123"])
def test_it_accepts_passwords_of_three_classes(org, strong):
    user = staff_create(by=None, username="newbie", name="N", unit=org["S1"], roles=["street_handler"], password=strong)
    assert user.check_password(strong)


def test_a_person_logs_in_and_sees_their_reach(client, cast):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "东街道" in page


def test_the_start_page_leads_staff_to_the_console(client, login, cast):
    page = login(cast.alice).get("/").content.decode()
    assert 'data-testid="open-console"' in page and 'href="/console/"' in page
    # Admin accounts and citizens keep their own ways in: the console would refuse them.
    admin = login(cast.sysadmin).get("/").content.decode()
    assert 'data-testid="open-console"' not in admin and 'href="/admin/"' in admin
    client.force_login(cast.cindy, backend="suban.accounts.backends.CitizenSmsBackend")
    assert 'data-testid="open-console"' not in client.get("/").content.decode()


def test_it_locks_an_account_after_five_failures_for_fifteen_minutes(client, cast):
    for _ in range(5):
        client.post("/login/", {"username": "alice", "password": "Wrong-pass-1"})
    locked = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert client.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302
    client.post("/logout/")

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_four_failures_do_not_lock(client, cast):
    for _ in range(4):
        client.post("/login/", {"username": "alice", "password": "Wrong-pass-1"})
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(client, cast):
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    client.get("/")
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert "东街道" not in client.get("/").content.decode()


def test_changing_a_password_checks_the_policy(cast):
    with pytest.raises(Invalid):
        account_set_password(by=cast.alice, user=cast.alice, password="short1A")
    account_set_password(by=cast.alice, user=cast.alice, password="Longer-Pass-2")
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("Longer-Pass-2")


def test_the_start_page_and_the_admin_login_answer(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"


def test_pages_speak_chinese_by_default_and_english_on_request(client, db):
    page = client.get("/login/").content.decode()
    # Each language in its own name, so that a reader of the other one finds it: not "英语" on a Chinese page.
    assert "登录" in page and 'lang="en">English</option>' in page and "英语" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/login/").content.decode()
    assert "Log in" in page and 'lang="zh-hans">简体中文</option>' in page
    h5 = client.get("/h5/login/").content.decode()
    assert 'lang="zh-hans">简体中文</option>' in h5 and 'lang="en">English</option>' in h5


def test_an_english_browser_still_gets_chinese_until_it_chooses(client, db):
    assert "登录" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()


def test_a_password_change_refuses_the_current_password(client, login, cast):
    page = login(cast.alice)
    same = page.post(
        "/password/", {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    ).content.decode()
    assert "新密码不能与当前密码相同。" in same
    cast.alice.refresh_from_db()
    with pytest.raises(Invalid, match="新密码不能与当前密码相同"):
        account_set_password(by=cast.alice, user=cast.alice, password=PASSWORD)
    changed = page.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Harbour-7Q", "new_password2": "Harbour-7Q"}
    )
    assert changed.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("Harbour-7Q")


def test_the_admin_refuses_to_set_an_accounts_current_password(client, login, cast):
    page = login(cast.secadmin)
    url = f"/admin/accounts/user/{cast.dora.pk}/password/"
    response = page.post(url, {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 200 and "新密码不能与当前密码相同。" in response.content.decode()
