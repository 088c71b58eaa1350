"""Deadlines: limits from the policies, instants from the working-day calendar and the district's office hours.

On dispatch a case gets a response limit in office hours (4 by default) and a handling limit in working days
(the most specific DeadlinePolicy row), counted as suban.workdays.calendar says: hours in office hours of
working days, days to the close of office of the last one. Extensions add office time to the deadline in
force; a hold gives back the office time that was left. Yellow from 1 working day (one office day) before
the deadline, red from the deadline on. `next_check_at` tells the clock when it must next look at the case.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from suban.cases.models import Alert, Case, DeadlinePolicy
from suban.errors import Invalid
from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.workdays.calendar import OfficeClock, work_calendar

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


def office_clock(case: Case) -> OfficeClock:
    """The office clock of the case's district (the root of its lead unit's path, or of its place's before
    dispatch)."""
    return work_calendar().office(case.unit_path or case.area_path)


def warning_for(clock: OfficeClock, due_at: datetime) -> datetime:
    """Yellow from the moment only WARN_DAYS working days of office time remain."""
    return clock.subtract(due_at, clock.days(WARN_DAYS))


def start_clock(case: Case, now: datetime) -> None:
    """Set the deadlines of a case just dispatched (or re-dispatched) at `now` (the fields of CLOCK_FIELDS)."""
    limits = limits_for(case_type=case.case_type, nature=case.nature, level=case.level, urgency=case.urgency)
    clock = office_clock(case)
    case.dispatched_at = now
    case.response_due_at = clock.add_hours(now, limits.response_hours)
    case.limit_days = limits.working_days
    case.extension_days = Decimal(0)
    case.pending_extension_days = None  # a request of the previous unit or round is void
    case.due_at = clock.add_days(now, limits.working_days)
    case.warn_at = warning_for(clock, case.due_at)
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
    clock = office_clock(case)
    case.extension_days += days
    case.due_at = clock.add(case.due_at, clock.days(days))
    case.warn_at = warning_for(clock, case.due_at)


def pause(case: Case, now: datetime) -> None:
    case.held_at = now
    case.next_check_at = None


def resume(case: Case, now: datetime) -> None:
    """Give back the office time that was left when the hold began (or take back what was overdue)."""
    assert case.held_at is not None and case.due_at is not None
    clock = office_clock(case)
    case.due_at = clock.add(now, clock.between(case.held_at, case.due_at))
    case.warn_at = warning_for(clock, case.due_at)
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
