"""Housekeeping on the worker: data is kept only as long as the rules require; the audit log is checked
nightly and its head written hourly to the application log, outside the database (README, "Audit")."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from suban.audit.models import AuditHead
from suban.audit.services import GENESIS, audit_purge
from suban.audit.verify import audit_verify

logger = logging.getLogger(__name__)


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    login_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    attempt_cutoff = now - settings.AXES_COOLOFF_TIME
    return {
        "audit": audit_purge(now=now),
        "login_logs": AccessLog.objects.filter(attempt_time__lt=login_cutoff).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff).delete()[0],
        "expired_lockouts": AccessAttempt.objects.filter(attempt_time__lt=attempt_cutoff).delete()[0],
    }


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_daily() -> dict[str, int]:
    return purge_expired()


def log_audit_head() -> tuple[int, str]:
    """One line a log server keeps: `audit_verify --anchor SEQ:HASH` checks later that the chain still holds it."""
    head = AuditHead.objects.filter(pk=1).first()
    seq, digest = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
    logger.info("audit chain head %d:%s", seq, digest)
    return seq, digest


@db_periodic_task(crontab(minute="3"))
def log_audit_head_hourly() -> None:
    log_audit_head()


def check_audit_log() -> bool:
    verdict = audit_verify()
    if verdict.whole:
        logger.info("audit log whole: %d entries, head %d:%s", verdict.checked, verdict.newest_seq, verdict.newest_hash)
    else:
        logger.error("audit log NOT whole: %s", "; ".join(problem.message for problem in verdict.problems))
    return verdict.whole


@db_periodic_task(crontab(hour="3", minute="37"))
def check_audit_log_nightly() -> None:
    check_audit_log()
