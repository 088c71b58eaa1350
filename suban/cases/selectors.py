from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from suban.accounts.roles import Role
from suban.accounts.scope import scope
from suban.cases.models import TERMINAL, WITH_UNIT, Alert, Case, CoHandler, Status


def _co_handled(path: str) -> Q:
    return Q(Exists(CoHandler.objects.filter(case=OuterRef("pk"), unit_path__startswith=path)))


def cases_visible_to(user: Any, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The one way to list cases for a person: the lead unit, the place or a co-handler lies in their reach;
    a citizen sees their own."""
    return scope(
        Case.objects.all() if qs is None else qs,
        user,
        path_fields=("unit_path", "area_path"),
        citizen_field="citizen",
        extra=_co_handled,
    )


# Roles whose inbox is their whole reach rather than the cases their unit leads.
OVERSEERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER})

_RUNNING = Q(status__in=list(WITH_UNIT))

# The inbox's piles, each one condition over the inbox's cases. The API's counts and the console's tabs
# (and their lists) read this one table, so a tab's count and its list cannot disagree.
INBOX_PILES: dict[str, Q] = {
    "new": Q(status=Status.NEW),
    "to_dispatch": Q(status=Status.ACCEPTED),
    "to_claim": Q(status=Status.DISPATCHED),
    "in_progress": Q(status=Status.IN_PROGRESS),
    "on_hold": Q(status=Status.ON_HOLD),
    "returned": Q(status=Status.RETURNED),
    "reviewing": Q(status=Status.REVIEWING),
    "visiting": Q(status=Status.VISITING),
    "unsatisfied": Q(status=Status.UNSATISFIED),
    "yellow": _RUNNING & Q(alert=Alert.YELLOW),
    "red": _RUNNING & Q(alert=Alert.RED),
}


def inbox_scope(user: Any) -> str:
    return "reach" if user.roles & OVERSEERS else "unit"


def inbox_cases(user: Any) -> QuerySet[Case]:
    """The cases an inbox holds: an overseer's whole reach, or the cases a handler's unit leads."""
    qs = cases_visible_to(user)
    if inbox_scope(user) == "unit":
        qs = qs.filter(unit_id=user.unit_id)
    return qs


# Every pile holds open cases only; saying so lets the (unit, status, …) index skip a unit's history.
OPEN_STATUSES = [s for s in Status.values if s not in TERMINAL]


def inbox_counts(user: Any, piles: dict[str, Q] | None = None) -> dict[str, int]:
    """How many cases wait in each pile (piles of INBOX_PILES), in one aggregate query over open cases."""
    wanted = INBOX_PILES if piles is None else piles
    counts = {name: Count("pk", filter=condition) for name, condition in wanted.items()}
    open_cases = inbox_cases(user).filter(status__in=OPEN_STATUSES)
    return {name: value or 0 for name, value in open_cases.aggregate(**counts).items()}
