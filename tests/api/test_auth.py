"""Who may call: the console's session, or an API token (`Authorization: Bearer <key>`)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from suban.accounts.services import account_set_active
from suban.api.models import ApiToken
from suban.api.services import token_create, token_revoke
from suban.crypto import hash_key
from suban.errors import Forbidden


def create_token(username: str, *args: str) -> tuple[str, str]:
    out = StringIO()
    call_command("api_token", "create", "--user", username, "--name", "城市平台对接", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines[0], lines[-1]


def test_the_consoles_session_reaches_the_api(login, cast):
    response = login(cast.alice).get("/api/me")
    assert response.status_code == 200
    assert response.json()["reach"]["unit"]["code"] == "S1"


def test_the_command_prints_a_key_that_authenticates_as_its_account(bearer, cast):
    summary, key = create_token("dora")
    assert "dora" in summary and key.startswith("sbn_")
    me = bearer(key).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "dora" and me.json()["roles"] == ["dispatcher"]
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.expires_at is not None
    assert key.split("_")[1] == token.prefix


def test_only_the_keys_hash_is_stored(cast):
    token, key = token_create(by=None, user=cast.dora, name="脚本")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(stored)
    assert stored["key_hash"] == hash_key(key)


def test_a_revoked_token_is_refused_with_401(bearer, cast):
    _summary, key = create_token("dora")
    out = StringIO()
    call_command("api_token", "revoke", ApiToken.objects.get().prefix, stdout=out)
    assert "Revoked" in out.getvalue()
    response = bearer(key).get("/cases")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", ApiToken.objects.get().prefix, stdout=StringIO())


def test_an_expired_or_unknown_token_is_refused_with_401_even_beside_a_valid_session(api, bearer, cast):
    token, key = token_create(by=None, user=cast.dora, name="脚本", days=1)
    assert bearer(key).get("/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(key).get("/me").status_code == 401
    client = api(cast.dora).client
    response = client.get("/api/me", headers={"Authorization": "Bearer sbn_nothing_here"})
    assert response.status_code == 401


def test_a_disabled_account_is_refused_by_token_and_by_session(bearer, cast):
    _token, key = token_create(by=None, user=cast.carol, name="脚本")
    session = Client()
    session.force_login(cast.carol, backend="suban.accounts.backends.RoleBackend")
    account_set_active(by=None, user=cast.carol, active=False)
    assert bearer(key).get("/me").status_code == 401
    assert session.get("/api/me").status_code == 401


def test_the_command_refuses_unknown_and_admin_accounts_and_lists_tokens_without_keys(cast):
    with pytest.raises(CommandError):
        create_token("nobody")
    with pytest.raises(CommandError):
        create_token("sysadmin")

    _summary, key = create_token("dora", "--days", "0")
    out = StringIO()
    call_command("api_token", "list", stdout=out)
    assert "dora" in out.getvalue() and "no expiry" in out.getvalue()
    assert key not in out.getvalue()


def test_tokens_are_read_only_in_the_admin_and_revoking_needs_the_permission(cast):
    token_create(by=None, user=cast.dora, name="脚本")
    auditor = Client()
    auditor.force_login(cast.auditor, backend="suban.accounts.backends.RoleBackend")
    page = auditor.get("/admin/api/apitoken/")
    assert page.status_code == 200 and "脚本" in page.content.decode()
    assert auditor.get("/admin/api/apitoken/add/").status_code == 403
    model_admin = admin.site._registry[ApiToken]
    assert model_admin.actions == ["revoke"]
    token = ApiToken.objects.get()
    with pytest.raises(Forbidden):
        token_revoke(by=cast.auditor, token=token)


def test_the_security_admin_revokes_tokens_in_the_admin_and_the_system_admin_cannot_see_them(cast):
    token_create(by=None, user=cast.dora, name="脚本")
    token = ApiToken.objects.get()
    security = Client()
    security.force_login(cast.secadmin, backend="suban.accounts.backends.RoleBackend")
    assert security.get("/admin/api/apitoken/").status_code == 200
    response = security.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked and token.revoked_at is not None
    system = Client()
    system.force_login(cast.sysadmin, backend="suban.accounts.backends.RoleBackend")
    assert system.get("/admin/api/apitoken/").status_code == 403
