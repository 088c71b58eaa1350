from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import reach_of, scope
from suban.cases import reach
from suban.cases.models import TERMINAL, WITH_UNIT, Alert, Case, CoHandler, Status, SupervisionOrder
from suban.errors import Invalid, NotFound


def cases_visible_to(user: User | None, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The one way to list cases for a person: those their unit's subtree reaches (suban.cases.reach: led or
    co-handled there, or placed there once dispatched; never a complaint about their unit's staff), and those
    they entered themselves; a citizen sees their own."""
    return scope(
        Case.objects.all() if qs is None else qs,
        user,
        citizen_field="citizen",
        extra=lambda path: reach.reach(path) | Q(reporter_id=user.pk),  # type: ignore[union-attr]  # only a person has a path
    )


# Roles whose inbox is their whole reach rather than the cases their unit leads.
OVERSEERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER})

# Overdue now and due soon now: the one definition for the inbox's tabs, the big screen, the assessment's live
# figures and the API's counts and filters (docs/assessment.md, "Live load"). A case counts
# while a lead unit holds it and its deadline runs (WITH_UNIT). A replied case keeps the alert it had (the reply
# may have come late) but waits for the review, the return visit or a decision, no longer for its unit: it is
# not overdue now. (The assessment's "ever overdue" counter is another figure: marked overdue at least once.)
HELD = Q(status__in=sorted(WITH_UNIT))
DUE_SOON_NOW = HELD & Q(alert=Alert.YELLOW)
OVERDUE_NOW = HELD & Q(alert=Alert.RED)


def alert_now(case: Case) -> str:
    """A case's alert as the piles count it: yellow or red while a unit holds it, else none."""
    return case.alert if case.status in WITH_UNIT else Alert.NONE


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
    "yellow": DUE_SOON_NOW,
    "red": OVERDUE_NOW,
}


# Cases whose lead unit asks for more working days, waiting for the dispatch centre or a supervisor. Not a pile
# of INBOX_PILES: those are counted from the status indexes alone, this one from its own partial index.
EXTENSION_ASKED = Q(status=Status.IN_PROGRESS, pending_extension_days__isnull=False)
EXTENSION_DECIDERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR})  # approve_extension in the lifecycle table


def extension_requests(user: User) -> QuerySet[Case]:
    """The cases of `user`'s inbox (see inbox_cases) whose extension request waits for a decision."""
    return inbox_cases(user).filter(EXTENSION_ASKED)


def inbox_scope(user: User) -> str:
    return "reach" if user.roles & OVERSEERS else "unit"


def inbox_cases(user: User) -> QuerySet[Case]:
    """The cases an inbox holds: an overseer's whole reach, or the cases a handler's unit leads."""
    qs = cases_visible_to(user)
    if inbox_scope(user) == "unit":
        qs = qs.filter(unit_id=user.unit_id)  # type: ignore[misc]  # no unit: Django reads None as IS NULL
    return qs


# Every pile holds open cases only; saying so lets the (unit, status, …) index skip a unit's history.
OPEN_STATUSES = [s for s in Status.values if s not in TERMINAL]


def inbox_counts(user: User, piles: dict[str, Q] | None = None) -> dict[str, int]:
    """How many cases wait in each pile (piles of INBOX_PILES) of `user`'s inbox (see inbox_cases).

    The cases in reach (suban.cases.reach) are those whose lead unit lies in it or, once dispatched, whose place
    does, and those co-handled in it, less the complaints about the staff of its unit or a unit above; and the
    person's own reports. Counted as disjoint parts: by the paths and the status (open cases only: the indexes
    case_open_counts for an overseer and case_open_unit for a unit answer from their entries alone, never
    reading a case's row; a reach below the district also reads the rows to leave out the complaints), then the
    few co-handled elsewhere (from the co-handlers' index), then the person's own reports outside the rest. The
    conditions ORed in one query make PostgreSQL read every open case's row instead: 110-130 ms rather than
    10-25 with a million cases."""
    wanted = INBOX_PILES if piles is None else piles
    path = reach_of(user).unit_path
    if path is None:
        return dict.fromkeys(wanted, 0)
    # Counted over `status` (in the indexes, never null), not the key, so that only index entries are read.
    counts = {name: Count("status", filter=condition) for name, condition in wanted.items()}
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    in_paths = reach.led_or_placed(path)
    if inbox_scope(user) == "unit":
        # The cases the unit leads: in its reach by their lead unit, none by co-handling alone, and none a
        # complaint about its staff (no such case is ever sent to it).
        by_unit = open_cases.filter(unit_id=user.unit_id).filter(in_paths).aggregate(**counts)  # type: ignore[misc]
        return {name: by_unit[name] or 0 for name in wanted}
    hidden = reach.complaint_hidden(path)
    by_path = open_cases.filter(in_paths)
    co_handled = open_cases.filter(pk__in=CoHandler.objects.filter(unit_path__startswith=path).values("case_id"))
    if hidden is not None:
        by_path, co_handled = by_path.exclude(hidden), co_handled.exclude(hidden)
    parts = [
        by_path.aggregate(**counts),
        co_handled.exclude(in_paths).aggregate(**counts),
        open_cases.filter(reporter_id=user.pk).exclude(reach.reach(path)).aggregate(**counts),
    ]
    return {name: sum(part[name] or 0 for part in parts) for name in wanted}


# Finding one case: within the caller's reach, with what its page and the API show.

DETAIL_RELATED = ("unit", "matter", "grid", "handler", "merged_into", "complained_unit")


def _co_handlers() -> Prefetch[Any]:
    return Prefetch(
        "co_handlers", queryset=CoHandler.objects.select_related("unit", "person").order_by("added_at", "pk")
    )


def with_detail(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related(*DETAIL_RELATED).prefetch_related(_co_handlers())


def fresh_case(case: Case) -> Case:
    """A case this very request has just made: its fields and relations are the ones in memory; only its
    co-handlers, rows of their own, are read."""
    prefetch_related_objects([case], _co_handlers())
    return case


def visible_case(user: User, number: str) -> Case:
    """The case with this number if `user` reaches it. Out of reach and non-existent look the same (404)."""
    case = with_detail(cases_visible_to(user)).filter(number=number).first()
    if case is None:
        raise NotFound(_("There is no case %(number)s, or it is outside your reach.") % {"number": number})
    return case


def case_or_404(user: User, number: str) -> Case:
    """The case if `user` reaches it, for a page: out of reach looks exactly like missing (404)."""
    try:
        return visible_case(user, number)
    except NotFound as exc:
        raise Http404(exc.message) from None


def supervision_order(case: Case, pk: int, *, field: str = "order") -> SupervisionOrder:
    """One of the case's supervision orders, named in a request: or a 400 on that field."""
    order = case.supervisions.filter(pk=pk).first()
    if order is None:
        raise Invalid(_("The case has no supervision order %(order)s.") % {"order": pk}, field=field)
    order.case = case
    return order


def open_supervision(case: Case) -> SupervisionOrder | None:
    """The case's open supervision order due first, if any."""
    order = case.supervisions.filter(state=SupervisionOrder.State.OPEN).order_by("due_at", "pk").first()
    if order is not None:
        order.case = case
    return order


def reload_case(case: Case) -> Case:
    """The case after an action, fresh. Not scoped again: the caller acted on it a moment ago, and an
    escalation may have just carried it out of their reach."""
    return with_detail(Case.objects.all()).get(pk=case.pk)


def other_case(user: User, number: str, *, field: str) -> Case:
    """A case named in a request body (the one to merge into): within reach, or a 400 on that field."""
    case = cases_visible_to(user).filter(number=number).first()
    if case is None:
        raise Invalid(_("There is no case %(number)s within your reach.") % {"number": number}, field=field)
    return case


# Lists: days and ordering as every list of cases has them.

NEVER_NULL = frozenset({"created_at", "updated_at"})


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def order_cases(qs: QuerySet[Case], ordering: str) -> QuerySet[Case]:
    name = ordering.lstrip("-")
    descending = ordering.startswith("-")
    # Cases without a deadline yet go last either way; the primary key makes pages stable. created_at and
    # updated_at are never empty: ordered plainly, so that their indexes serve the newest-first pages.
    if name in NEVER_NULL:
        return qs.order_by(ordering, "-pk" if descending else "pk")
    key = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return qs.order_by(key, "-pk" if descending else "pk")
