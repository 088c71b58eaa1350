"""AUDIT_HMAC_KEY: entries sealed with a key the database does not hold, so that someone holding only the
database cannot rewrite the chain unnoticed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suban.audit.models import AuditEntry
from suban.audit.services import KEY_ADOPTED_ACTION, hashed_fields, plain_digest
from suban.audit.verify import audit_verify
from tests.audit.conftest import rewrite_from, superuser

KEY = "k" * 40


def test_a_chain_rewritten_without_the_key_is_found(write, settings):
    settings.AUDIT_HMAC_KEY = KEY
    made = write(4)
    assert audit_verify().whole and audit_verify().keyed == 4
    assert made[0].hash != plain_digest(made[0].prev_hash, hashed_fields(made[0]))
    with superuser():
        rewrite_from(made[0], action="test.innocent")
    verdict = audit_verify()
    assert verdict.kinds == {"unkeyed"}
    # Without the key the same rewrite passes: the hash chain alone does not stop whoever holds the database.
    settings.AUDIT_HMAC_KEY = ""
    assert audit_verify().whole


def test_a_forged_entry_appended_without_the_key_is_found(write, settings):
    settings.AUDIT_HMAC_KEY = KEY
    write(2)
    settings.AUDIT_HMAC_KEY = ""
    write(1)  # sealed with a plain hash, as someone without the key would
    settings.AUDIT_HMAC_KEY = KEY
    verdict = audit_verify()
    assert verdict.kinds == {"unkeyed"}
    assert "entry 3 is not sealed with AUDIT_HMAC_KEY, though entries before it are" in verdict.problems[0].message


def test_keyed_entries_do_not_verify_without_the_key(write, settings):
    settings.AUDIT_HMAC_KEY = KEY
    write(2)
    settings.AUDIT_HMAC_KEY = ""
    verdict = audit_verify()
    assert verdict.kinds == {"altered"} and "AUDIT_HMAC_KEY, which is not set" in verdict.problems[0].message


def test_a_key_set_on_a_running_log_is_adopted_once(write, settings, capsys):
    write(3)
    settings.AUDIT_HMAC_KEY = KEY
    write(2)
    assert audit_verify().kinds == {"unkeyed"}
    with pytest.raises(CommandError, match="adopt-key"):
        call_command("audit_verify")
    call_command("audit_verify", "--adopt-key")
    assert "Entries up to 3 are accepted without the key (entry 6 says so)" in capsys.readouterr().out
    assert AuditEntry.objects.get(action=KEY_ADOPTED_ACTION).detail == {"unkeyed_through_seq": 3}
    verdict = audit_verify()
    assert verdict.whole and verdict.keyed == 3
    # From here on an unsealed entry is found again.
    settings.AUDIT_HMAC_KEY = ""
    write(1)
    settings.AUDIT_HMAC_KEY = KEY
    assert audit_verify().kinds == {"unkeyed"}


def test_adopting_again_keeps_what_was_accepted(write, settings):
    write(3)
    settings.AUDIT_HMAC_KEY = KEY
    write(1)
    call_command("audit_verify", "--adopt-key", verbosity=0)
    call_command("audit_verify", "--adopt-key", verbosity=0)
    latest = AuditEntry.objects.filter(action=KEY_ADOPTED_ACTION).order_by("-seq").first()
    assert latest is not None and latest.detail == {"unkeyed_through_seq": 3}
    assert audit_verify().whole


def test_adopting_needs_the_key(write):
    write(1)
    with pytest.raises(CommandError, match="needs AUDIT_HMAC_KEY"):
        call_command("audit_verify", "--adopt-key")
