"""Deadlines: limits from the policies, instants from the working-day calendar.

On dispatch a case gets a response limit (natural hours, 4 by default) and a handling limit in working
days (the most specific DeadlinePolicy row). Yellow from 1 working day before the deadline, red from the
deadline on. `next_check_at` tells the clock when it must next look at the case.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from suban.cases.models import Alert, Case, DeadlinePolicy
from suban.errors import Invalid
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.workdays.calendar import work_calendar

WARN_DAYS = 1
MAX_EXTENSION_DAYS = Decimal(10)  # Shandong's rule: at most 10 working days in all


@dataclass(frozen=True)
class Limits:
    working_days: Decimal
    response_hours: Decimal


def _specificity(policy: DeadlinePolicy) -> tuple[int, int, int, int]:
    return (bool(policy.urgency), bool(policy.level), bool(policy.nature), bool(policy.case_type))


def _policy_fingerprint() -> Hashable:
    return rows_fingerprint(DeadlinePolicy)


_policies: FingerprintCache[list[DeadlinePolicy]] = FingerprintCache(
    lambda: list(DeadlinePolicy.objects.all()), _policy_fingerprint
)


def limits_for(*, case_type: str, nature: str, level: str, urgency: str) -> Limits:
    candidates = [
        p
        for p in _policies.get()
        if p.case_type in ("", case_type)
        and p.nature in ("", nature)
        and p.level in ("", level)
        and p.urgency in ("", urgency)
    ]
    if not candidates:
        raise Invalid(_("No deadline policy covers this case; add one in the admin."))
    best = max(candidates, key=_specificity)
    return Limits(working_days=best.working_days, response_hours=best.response_hours)


# Every field start_clock sets: an action that starts the clock writes these with its own.
CLOCK_FIELDS: tuple[str, ...] = (
    "dispatched_at",
    "response_due_at",
    "limit_days",
    "extension_days",
    "pending_extension_days",
    "due_at",
    "warn_at",
    "held_at",
    "alert",
    "claimed_at",
    "next_check_at",
)


def start_clock(case: Case, now: datetime) -> None:
    """Set the deadlines of a case just dispatched (or re-dispatched) at `now` (the fields of CLOCK_FIELDS)."""
    limits = limits_for(case_type=case.case_type, nature=case.nature, level=case.level, urgency=case.urgency)
    calendar = work_calendar()
    case.dispatched_at = now
    case.response_due_at = now + timedelta(hours=float(limits.response_hours))
    case.limit_days = limits.working_days
    case.extension_days = Decimal(0)
    case.pending_extension_days = None  # a request of the previous unit or round is void
    case.due_at = calendar.add(now, float(limits.working_days))
    case.warn_at = calendar.subtract(case.due_at, WARN_DAYS)
    case.held_at = None
    case.alert = Alert.NONE
    case.claimed_at = None
    schedule(case, now)


def extend(case: Case, days: Decimal) -> None:
    if days <= 0:
        raise Invalid(_("An extension is a positive number of working days."), field="days")
    if case.extension_days + days > MAX_EXTENSION_DAYS:
        raise Invalid(
            _("Extensions may add at most %(max)s working days in all.") % {"max": MAX_EXTENSION_DAYS}, field="days"
        )
    assert case.due_at is not None
    calendar = work_calendar()
    case.extension_days += days
    case.due_at = calendar.add(case.due_at, float(days))
    case.warn_at = calendar.subtract(case.due_at, WARN_DAYS)


def pause(case: Case, now: datetime) -> None:
    case.held_at = now
    case.next_check_at = None


def resume(case: Case, now: datetime) -> None:
    """Give back the working time that was left when the hold began."""
    assert case.held_at is not None and case.due_at is not None
    calendar = work_calendar()
    remaining = calendar.between(case.held_at, case.due_at)
    case.due_at = calendar.add(now, remaining / timedelta(days=1))
    case.warn_at = calendar.subtract(case.due_at, WARN_DAYS)
    case.held_at = None
    schedule(case, now)


def current_alert(case: Case, now: datetime) -> str:
    if case.due_at is None or case.held_at is not None:
        return case.alert
    if now >= case.due_at:
        return Alert.RED
    if case.warn_at is not None and now >= case.warn_at:
        return Alert.YELLOW
    return Alert.NONE


def schedule(case: Case, now: datetime) -> None:
    """The next instant the clock must look at the case: its warning, or its deadline."""
    if case.held_at is not None or case.due_at is None:
        case.next_check_at = None
        return
    alert = current_alert(case, now)
    if alert == Alert.RED:
        case.next_check_at = None if case.alert == Alert.RED else now
    elif alert == Alert.YELLOW:
        case.next_check_at = case.due_at if case.alert == Alert.YELLOW else now
    else:
        case.next_check_at = case.warn_at
