"""The retention purge: the only way entries leave the log, oldest first, past retention, with a checkpoint."""

from __future__ import annotations

import logging

from suban.audit.models import AuditEntry
from suban.audit.services import PURGE_ACTION, audit_purge, audit_record
from suban.audit.tasks import check_audit_log, log_audit_head, purge_expired
from suban.audit.verify import audit_verify


def test_entries_past_retention_go_and_a_checkpoint_anchors_the_rest(write):
    old = write(5, days_ago=200)
    kept = write(3)
    assert purge_expired()["audit"] == 5
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [6, 7, 8, 9]
    checkpoint = AuditEntry.objects.get(action=PURGE_ACTION)
    assert checkpoint.detail["through_seq"] == old[-1].seq and checkpoint.detail["through_hash"] == old[-1].hash
    assert checkpoint.detail["count"] == 5
    verdict = audit_verify()
    assert verdict.whole and verdict.checked == 4 and verdict.start_seq == 5
    assert kept[0].prev_hash == old[-1].hash
    # Nothing more is past retention: nothing goes, no second checkpoint.
    assert audit_purge() == 0
    assert AuditEntry.objects.filter(action=PURGE_ACTION).count() == 1


def test_the_configured_retention_is_kept(write, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    write(3, days_ago=200)
    assert audit_purge() == 0
    write(2, days_ago=400)  # appended after the others, though dated earlier: they stay with them
    assert audit_purge() == 0
    assert audit_verify().whole


def test_the_purge_stops_at_the_first_kept_entry_leaving_no_hole(write):
    # Times may step back (a clock set back): the purge removes a run from the start, never a middle entry.
    write(2, days_ago=200)
    write(1)
    write(2, days_ago=200)
    assert audit_purge() == 2
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [3, 4, 5, 6]
    assert audit_verify().whole


def test_when_everything_is_past_retention_the_checkpoint_starts_the_chain(write):
    old = write(4, days_ago=300)
    assert audit_purge() == 4
    only = AuditEntry.objects.get()
    assert (only.seq, only.prev_hash, only.action) == (5, old[-1].hash, PURGE_ACTION)
    audit_record(action="test.after")
    assert audit_verify().whole


def test_a_later_purge_anchors_on_its_own_checkpoint(write):
    write(3, days_ago=300)
    write(3, days_ago=200)
    write(1)
    assert audit_purge() == 6
    write(2)
    verdict = audit_verify()
    assert verdict.whole and verdict.start_seq == 6


def test_the_head_is_logged_hourly_and_the_log_checked_nightly(write, caplog):
    made = write(3)
    with caplog.at_level(logging.INFO, logger="suban.audit.tasks"):
        assert log_audit_head() == (3, made[-1].hash)
        assert check_audit_log()
    assert f"audit chain head 3:{made[-1].hash}" in caplog.text
    assert "audit log whole: 3 entries" in caplog.text
