"""Reads the API needs beyond the domain's selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from suban.accounts.roles import Role
from suban.cases.models import WITH_UNIT, Alert, Status
from suban.cases.selectors import cases_visible_to

# Roles whose inbox is their whole reach rather than the cases their unit leads.
OVERSEERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER})

_STATUS_COUNTS = {
    "new": Status.NEW,
    "to_dispatch": Status.ACCEPTED,
    "to_claim": Status.DISPATCHED,
    "in_progress": Status.IN_PROGRESS,
    "on_hold": Status.ON_HOLD,
    "returned": Status.RETURNED,
    "reviewing": Status.REVIEWING,
    "visiting": Status.VISITING,
    "unsatisfied": Status.UNSATISFIED,
}


def inbox_scope(user: Any) -> str:
    return "reach" if user.roles & OVERSEERS else "unit"


def inbox_counts(user: Any) -> dict[str, int]:
    """How many cases wait in each state, in one aggregate query."""
    qs = cases_visible_to(user)
    if inbox_scope(user) == "unit":
        qs = qs.filter(unit_id=user.unit_id)
    running = Q(status__in=list(WITH_UNIT))
    counts = {name: Count("pk", filter=Q(status=status)) for name, status in _STATUS_COUNTS.items()}
    counts["yellow"] = Count("pk", filter=running & Q(alert=Alert.YELLOW))
    counts["red"] = Count("pk", filter=running & Q(alert=Alert.RED))
    return {name: value or 0 for name, value in qs.aggregate(**counts).items()}
