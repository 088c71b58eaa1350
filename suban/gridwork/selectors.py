"""Reads of grid work. Cases always through cases_visible_to; logs and patrols through scope()."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from suban.accounts.models import User
from suban.accounts.scope import scope
from suban.cases.models import TERMINAL, Case, CaseEvent, Status, SupervisionOrder
from suban.cases.selectors import cases_visible_to
from suban.gridwork.access import is_grid_worker
from suban.gridwork.models import Patrol, WorkLogEntry
from suban.org.models import Unit, UnitKind


def my_grid_cases(user: User, show: str = "all") -> QuerySet[Case]:
    """Open cases that lie in the worker's grid, are held by it, or have it as a co-handler.
    show: "all", "held" (the grid is the lead unit) or "reported" (filed by this worker)."""
    qs = cases_visible_to(user).exclude(status__in=TERMINAL)
    if show == "held":
        qs = qs.filter(unit_id=user.unit_id)  # type: ignore[misc]  # a grid worker has a unit
    elif show == "reported":
        qs = qs.filter(reporter=user)
    return (
        qs.select_related("unit", "grid", "grid_report")
        .prefetch_related("co_handlers")  # the lifecycle table asks who co-handles, for each row's buttons
        .annotate(photo_count=Count("attachments", filter=Q(attachments__kind="photo")))
        .order_by(F("due_at").asc(nulls_last=True), "-created_at")
    )


def visiting_cases(user: User) -> QuerySet[Case]:
    """Cases whose reply went out and that wait for the return visit, or for a decision after 'unsatisfied'."""
    return (
        cases_visible_to(user)
        .filter(status__in=[Status.VISITING, Status.UNSATISFIED])
        .select_related("unit", "grid")
        .prefetch_related("co_handlers")
        .order_by(F("replied_at").asc(nulls_last=True), "pk")
    )


def open_orders(user: User, under: Unit | None = None) -> QuerySet[SupervisionOrder]:
    """Open supervision orders on cases the user reaches, the earliest due (so the overdue) first."""
    qs = SupervisionOrder.objects.filter(state=SupervisionOrder.State.OPEN, case__in=cases_visible_to(user))
    if under is not None:
        qs = qs.filter(unit__path__startswith=under.path)
    return qs.select_related("case", "unit", "by").order_by("due_at", "pk")


def board_units(user: User) -> QuerySet[Unit]:
    """The streets and departments a board may be filtered by."""
    return scope(
        Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT], is_active=True),
        user,
        path_fields=("path",),
    ).order_by("kind", "sort_order", "path")


def supervisable_cases(user: User, query: str) -> QuerySet[Case]:
    """Case search for a new supervision order: by number or words of the title."""
    query = query.strip()
    qs = cases_visible_to(user).exclude(status__in=TERMINAL).select_related("unit").prefetch_related("co_handlers")
    if not query:
        return qs.none()
    return qs.filter(Q(number=query) | Q(title__icontains=query) | Q(address__icontains=query)).order_by(
        F("due_at").asc(nulls_last=True)
    )


ESCALATION_ACTIONS: dict[str, tuple[str, ...]] = {
    "escalate": ("escalate",),
    "whistle": ("whistle",),
    "raise_level": ("raise_level",),
    "returns": ("return", "reject_return"),
}
ALL_ESCALATION_ACTIONS = tuple(a for actions in ESCALATION_ACTIONS.values() for a in actions)


def escalation_events(user: User, *, since: datetime, kind: str = "") -> QuerySet[CaseEvent]:
    actions = ESCALATION_ACTIONS.get(kind, ALL_ESCALATION_ACTIONS)
    return (
        CaseEvent.objects.filter(action__in=actions, at__gte=since, case__in=cases_visible_to(user))
        .select_related("case", "case__unit", "actor", "actor_unit")
        .order_by("-at", "-pk")
    )


def logs_visible_to(user: User) -> QuerySet[WorkLogEntry]:
    """A grid worker sees their own log; the units above see the logs of the grids below them."""
    qs = WorkLogEntry.objects.select_related("worker", "grid", "case")
    if is_grid_worker(user):
        return qs.filter(worker=user)
    return scope(qs, user, path_fields=("grid__path",))


def patrols_visible_to(user: User) -> QuerySet[Patrol]:
    qs = Patrol.objects.select_related("worker", "grid").annotate(report_count=Count("reports"))
    if is_grid_worker(user):
        return qs.filter(worker=user)
    return scope(qs, user, path_fields=("grid__path",))
