"""Logging in on the H5 by phone number and SMS code; who gets past the door."""

from __future__ import annotations

import secrets

import pytest

from suban.accounts.models import User

CODE = 123456


@pytest.fixture
def known_code(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(secrets, "randbelow", lambda _n: CODE)
    return str(CODE)


def test_a_citizen_logs_in_with_the_code_from_the_sms(client, db, known_code):
    page = client.get("/h5/login/?next=/h5/mine/")
    assert page.status_code == 200
    assert 'name="phone"' in page.content.decode() and 'id="send-code"' in page.content.decode()

    sent = client.post("/h5/login/", {"phone": "13912345678", "action": "send", "next": "/h5/mine/"})
    assert sent.status_code == 200
    assert "data-sent" in sent.content.decode()
    assert "13912345678" in sent.content.decode()  # the number stays typed in its field

    done = client.post(
        "/h5/login/", {"phone": "13912345678", "code": known_code, "action": "login", "next": "/h5/mine/"}
    )
    assert done.status_code == 302 and done["Location"] == "/h5/mine/"
    citizen = User.objects.get(pk=client.session["_auth_user_id"])
    assert citizen.is_citizen and citizen.phone == "13912345678"
    assert client.get("/h5/").status_code == 200


def test_htmx_gets_only_the_status_line_when_the_code_is_sent(client, db, known_code):
    response = client.post("/h5/login/", {"phone": "13912345678", "action": "send"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-sent" in body and "<html" not in body


def test_a_wrong_number_is_named_next_to_its_field(client, db):
    response = client.post("/h5/login/", {"phone": "12345", "action": "send"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-phone"' in body and 'value="12345"' in body


def test_a_wrong_code_is_refused_and_nobody_is_logged_in(client, db, known_code):
    client.post("/h5/login/", {"phone": "13912345678", "action": "send"})
    response = client.post("/h5/login/", {"phone": "13912345678", "code": "000000", "action": "login"})
    assert response.status_code == 200
    assert 'data-testid="error-code"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_second_code_within_the_minute_is_refused(client, db, known_code):
    client.post("/h5/login/", {"phone": "13912345678", "action": "send"})
    again = client.post("/h5/login/", {"phone": "13912345678", "action": "send"})
    assert again.status_code == 200
    assert 'data-testid="error-phone"' in again.content.decode()


def test_a_staff_number_does_not_log_in_here(client, cast, known_code):
    from suban.accounts.services import staff_update

    staff_update(by=None, user=cast.alice, phone="13700000009")
    response = client.post("/h5/login/", {"phone": "13700000009", "action": "send"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_only_follows_next_to_our_own_pages(client, db, known_code):
    client.post("/h5/login/", {"phone": "13912345678", "action": "send"})
    done = client.post(
        "/h5/login/", {"phone": "13912345678", "code": known_code, "action": "login", "next": "https://evil.example/"}
    )
    assert done["Location"] == "/h5/"


def test_pages_ask_anonymous_visitors_to_log_in(client, db):
    response = client.get("/h5/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/h5/login/?next=/h5/mine/")


def test_staff_are_sent_to_the_console(login, cast):
    response = login(cast.alice).get("/h5/new/")
    assert response.status_code == 302 and response["Location"] == "/console/"


def test_a_citizen_logs_out(as_citizen, cast):
    client = as_citizen(cast.cindy)
    assert client.get("/h5/").status_code == 200
    assert client.post("/h5/logout/").status_code == 302
    assert client.get("/h5/").status_code == 302
