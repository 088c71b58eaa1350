"""The working-day calendar's writes, each with its audit entry in one transaction."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest

from suban.audit.services import audit_record
from suban.org.services import require_perm
from suban.workdays.models import CalendarYear
from suban.workdays.notice import NOTICE_PERMISSIONS, Notice, enter_notice


def calendar_enter_notice(
    *, by: AbstractUser | AnonymousUser | None, notice: Notice, source: str, request: HttpRequest | None = None
) -> tuple[int, int]:
    """Enter the State Council's notice of a year (suban.workdays.notice.enter_notice) and record who did, in
    one transaction: the days and their audit entry, or neither. Returns (rows removed, rows written)."""
    for perm in NOTICE_PERMISSIONS:
        require_perm(by, perm)
    with transaction.atomic():
        removed, written = enter_notice(notice, source=source)
        audit_record(
            action="calendar.notice",
            actor=by,
            target=CalendarYear.objects.get(year=notice.year),
            detail={
                "source": source,
                "days_off": len(notice.days_off),
                "days_worked": len(notice.worked),
                "rows_replaced": removed,
            },
            request=request,
        )
    return removed, written
