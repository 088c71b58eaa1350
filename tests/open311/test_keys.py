"""API keys: the command creates (the key is its last line), lists and revokes; the admin shows them and
revokes; each key has its own rate limit, and callers without a key share one per address."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suban.audit.models import AuditEntry
from suban.errors import Forbidden, Invalid
from suban.open311.keys import hash_key, key_create, key_for, key_revoke
from suban.open311.models import ApiKey
from tests.open311.conftest import form

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_creates_lists_and_revokes(matters):
    lines = run("create", "--name", "市民通 App", "--rate", "100/hour")
    key = lines[-1]
    row = ApiKey.objects.get()
    assert key.startswith(f"o311_{row.prefix}_") and row.key_hash == hash_key(key) and key not in row.key_hash
    assert (row.name, row.rate_limit, row.active) == ("市民通 App", "100/hour", True)
    assert key_for(key) == row
    [listed] = run("list")
    assert row.prefix in listed and "active" in listed and key not in listed
    run("revoke", row.prefix)
    assert key_for(key) is None and not ApiKey.objects.get().active
    assert "revoked" in run("list")[0]
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", key)  # the whole key names it too
    with pytest.raises(CommandError, match="no key"):
        run("revoke", "deadbeef")
    assert AuditEntry.objects.filter(action__startswith="open311_key.").count() == 2


def test_a_bad_rate_or_name_is_refused():
    with pytest.raises(CommandError):
        run("create", "--name", "x", "--rate", "lots")
    with pytest.raises(Invalid):
        key_create(by=None, name="  ")
    assert not ApiKey.objects.exists()


def test_only_people_with_the_permission_manage_keys(cast):
    with pytest.raises(Forbidden):
        key_create(by=cast.dora, name="mine")
    row, _key = key_create(by=None, name="app")
    with pytest.raises(Forbidden):
        key_revoke(by=cast.sysadmin, key=row)
    assert ApiKey.objects.get().active


def test_each_key_has_its_own_rate_limit(o311, org, matters):
    _slow, slow_key = key_create(by=None, name="slow", rate_limit="2/min")
    _fast, fast_key = key_create(by=None, name="fast", rate_limit="100/min")
    assert o311.post("requests.json", form(slow_key)).status_code == 200
    assert o311.get("services.json", {"api_key": slow_key}).status_code == 200
    refused = o311.post("requests.json", form(slow_key))
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert json.loads(refused.content)[0]["code"] == 429
    assert o311.post("requests.json", form(fast_key)).status_code == 200  # another client is not held up


def test_callers_without_a_key_share_a_limit_per_address(o311, monkeypatch):
    from suban.open311 import keys

    monkeypatch.setattr(keys, "ANONYMOUS_RATE", "3/min")
    assert [o311.get("services.json").status_code for _n in range(4)] == [200, 200, 200, 429]
    elsewhere = o311.client.get("/open311/v2/services.json", REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 200


def test_a_bad_key_on_a_read_is_403(o311):
    response = o311.get("services.xml", {"api_key": "o311_nope_nope"})
    assert response.status_code == 403


def test_the_admin_lists_keys_and_never_shows_them(cast, login):
    row, key = key_create(by=None, name="city app")
    page = login(cast.auditor).get("/admin/open311/apikey/")
    assert page.status_code == 200
    assert row.prefix.encode() in page.content and key.encode() not in page.content
    assert row.key_hash.encode() not in login(cast.auditor).get(f"/admin/open311/apikey/{row.pk}/change/").content
