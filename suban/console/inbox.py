"""The inbox's tabs and filters. Each tab is one of the shared piles (suban.cases.selectors.INBOX_PILES), so
its count and its list come from one definition; everything starts from cases_visible_to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from suban.accounts.access import acting
from suban.accounts.models import User
from suban.accounts.roles import HANDLER_ROLES, Role
from suban.cases.models import TERMINAL, WAITING_FOR_DISPATCH, Alert, Case
from suban.cases.selectors import (
    DUE_SOON_NOW,
    EXTENSION_DECIDERS,
    INBOX_PILES,
    OPEN_STATUSES,
    OVERDUE_NOW,
    cases_visible_to,
    extension_requests,
    inbox_cases,
    inbox_counts,
    order_cases,
    start_of,
)
from suban.catalogue.selectors import matter_subtree_ids
from suban.console.forms import InboxFilters
from suban.console.pickers import find_matter, find_unit
from suban.errors import Invalid

REVIEWERS = frozenset({Role.DISPATCHER})
VISITORS = frozenset({Role.SUPERVISOR, Role.DISPATCHER})


@dataclass(frozen=True)
class Tab:
    key: str
    label: Promise
    pile: str | None = None  # a key of INBOX_PILES; None for the lists that are not piles
    alert: str = ""
    roles: frozenset[str] | None = None  # who sees the tab; None: everyone
    order: str = "-created_at"

    def shown_to(self, user: User) -> bool:
        return self.roles is None or bool(self.roles & user.roles)


TABS: tuple[Tab, ...] = (
    Tab("to_claim", _("To claim"), "to_claim", order="due_at"),
    Tab("in_progress", _("In progress"), "in_progress", order="due_at"),
    Tab("due_soon", _("Due soon"), "yellow", alert=Alert.YELLOW, order="due_at"),
    Tab("overdue", _("Overdue"), "red", alert=Alert.RED, order="due_at"),
    Tab("returned", _("Returned"), "returned"),
    Tab("on_hold", _("On hold"), "on_hold"),
    Tab("to_review", _("To review"), "reviewing", roles=REVIEWERS, order="created_at"),
    Tab("extensions", _("Extension requests"), roles=EXTENSION_DECIDERS, order="due_at"),
    Tab("to_visit", _("To visit back"), "visiting", roles=VISITORS, order="created_at"),
    Tab("unsatisfied", _("Unsatisfied"), "unsatisfied", roles=VISITORS),
    Tab("co", _("Co-handling"), roles=HANDLER_ROLES),
    Tab("all", _("All cases")),
)
BY_KEY = {t.key: t for t in TABS}


def tabs_for(user: User) -> list[Tab]:
    return [t for t in TABS if t.shown_to(user)]


def _co_handled(user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(co_handlers__unit_id=user.unit_id)  # type: ignore[misc]  # no unit: Django reads None as IS NULL
        .exclude(status__in=list(TERMINAL))
    )


def tab_counts(user: User) -> dict[str, int]:
    """The count of every tab `user` sees but "all": one aggregate query, and one more for co-handling."""
    tabs = tabs_for(user)
    piles = {t.pile: INBOX_PILES[t.pile] for t in tabs if t.pile}
    by_pile = inbox_counts(user, piles)
    counts = {t.key: by_pile[t.pile] for t in tabs if t.pile}
    if any(t.key == "co" for t in tabs):
        counts["co"] = _co_handled(user).count()
    if any(t.key == "extensions" for t in tabs):
        counts["extensions"] = extension_requests(user).count()
    return counts


def counts_for(request: HttpRequest) -> dict[str, int]:
    """tab_counts, once a request (the nav and the inbox both show them)."""
    cached = getattr(request, "_console_counts", None)
    if cached is None:
        cached = tab_counts(acting(request))
        request._console_counts = cached  # type: ignore[attr-defined]
    return cached


def default_tab(user: User, counts: dict[str, int]) -> Tab:
    for tab in tabs_for(user):
        if counts.get(tab.key):
            return tab
    return BY_KEY["all"]


def tab_cases(user: User, tab: Tab) -> QuerySet[Case]:
    if tab.pile is not None:
        return inbox_cases(user).filter(INBOX_PILES[tab.pile])
    if tab.key == "co":
        return _co_handled(user)
    if tab.key == "extensions":
        return extension_requests(user)
    return cases_visible_to(user)


def apply_filters(qs: QuerySet[Case], form: InboxFilters, tab: Tab) -> QuerySet[Case]:
    """Narrow by the valid filters; a value that names nothing gets its error next to the field."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    words = (data.get("q") or "").strip()
    if words:
        qs = qs.filter(Q(number__icontains=words) | Q(title__icontains=words) | Q(text__icontains=words))
    if data.get("case_type"):
        qs = qs.filter(case_type=data["case_type"])
    if data.get("nature"):
        qs = qs.filter(nature=data["nature"])
    if data.get("matter"):
        try:
            matter = find_matter(data["matter"], field="matter")
        except Invalid as exc:
            form.add_error("matter", exc.message)
        else:
            qs = qs.filter(matter_id__in=matter_subtree_ids(matter))
    if data.get("unit"):
        try:
            unit = find_unit(data["unit"], field="unit")
        except Invalid as exc:
            form.add_error("unit", exc.message)
        else:
            qs = qs.filter(unit_path__startswith=unit.path)
    if data.get("place"):
        try:
            place = find_unit(data["place"], field="place")
        except Invalid as exc:
            form.add_error("place", exc.message)
        else:
            qs = qs.filter(area_path__startswith=place.path)
    status = data.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "waiting":
        qs = qs.filter(status__in=WAITING_FOR_DISPATCH)
    elif status:
        qs = qs.filter(status=status)
    if data.get("created_from"):
        qs = qs.filter(created_at__gte=start_of(data["created_from"]))
    if data.get("created_to"):
        qs = qs.filter(created_at__lt=start_of(data["created_to"] + timedelta(days=1)))
    if data.get("overdue") == "yes":
        qs = qs.filter(OVERDUE_NOW)
    elif data.get("overdue") == "soon":
        qs = qs.filter(DUE_SOON_NOW)
    elif data.get("overdue") == "no":
        qs = qs.exclude(OVERDUE_NOW)
    return order_cases(qs, data.get("order") or tab.order)


def filtered_cases(user: User, tab: Tab, form: InboxFilters) -> QuerySet[Case]:
    form.is_valid()  # fills cleaned_data with the valid fields; the others keep their errors
    return apply_filters(tab_cases(user, tab), form, tab).select_related("unit", "matter", "grid")
