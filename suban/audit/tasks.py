"""Housekeeping on the worker: data is kept only as long as the rules require."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from suban.audit.models import AuditEntry


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    audit_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    login_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    attempt_cutoff = now - settings.AXES_COOLOFF_TIME
    return {
        "audit": AuditEntry.objects.filter(at__lt=audit_cutoff).delete()[0],
        "login_logs": AccessLog.objects.filter(attempt_time__lt=login_cutoff).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff).delete()[0],
        "expired_lockouts": AccessAttempt.objects.filter(attempt_time__lt=attempt_cutoff).delete()[0],
    }


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_daily() -> dict[str, int]:
    return purge_expired()
