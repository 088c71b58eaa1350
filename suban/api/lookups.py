"""Finding what a request names: its case (within the caller's reach), and the units, matters, cases and
people it refers to by code, with a 400 naming the field when there is no such thing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from suban.accounts.models import AccountKind, User
from suban.cases.models import Case, CoHandler
from suban.cases.selectors import cases_visible_to
from suban.catalogue.models import Matter
from suban.errors import Invalid, NotFound
from suban.org.models import Unit

DETAIL_RELATED = ("unit", "matter", "grid", "handler", "merged_into", "complained_unit")


def _co_handlers() -> Prefetch:
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


def visible_case(user: Any, number: str) -> Case:
    """The case with this number if `user` reaches it. Out of reach and non-existent look the same (404)."""
    case = with_detail(cases_visible_to(user)).filter(number=number).first()
    if case is None:
        raise NotFound(_("There is no case %(number)s, or it is outside your reach.") % {"number": number})
    return case


def reload_case(case: Case) -> Case:
    """The case after an action, fresh. Not scoped again: the caller acted on it a moment ago, and an
    escalation may have just carried it out of their reach."""
    return with_detail(Case.objects.all()).get(pk=case.pk)


def unit_by_code(code: str, *, field: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Invalid(_("There is no unit with the code %(code)s.") % {"code": code}, field=field)
    return unit


def units_by_code(codes: Iterable[str], *, field: str) -> list[Unit]:
    wanted = list(dict.fromkeys(codes))
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise Invalid(
            _("There is no unit with the code %(code)s.") % {"code": ", ".join(missing)},
            field=field,
            details={"unknown": missing},
        )
    return [found[c] for c in wanted]


def matter_by_code(code: str, *, field: str) -> Matter:
    matter = Matter.objects.filter(code=code, is_active=True).first()
    if matter is None:
        raise Invalid(_("There is no matter with the code %(code)s.") % {"code": code}, field=field)
    return matter


def matter_subtree_ids(matter: Matter) -> list[int]:
    """The matter and every matter below it (the catalogue is a few levels deep)."""
    ids, frontier = [matter.pk], [matter.pk]
    for _level in range(5):
        frontier = list(Matter.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


def other_case(user: Any, number: str, *, field: str) -> Case:
    """A case named in a request body (the one to merge into): within reach, or a 400 on that field."""
    case = cases_visible_to(user).filter(number=number).first()
    if case is None:
        raise Invalid(_("There is no case %(number)s within your reach.") % {"number": number}, field=field)
    return case


def staff_by_username(username: str, *, field: str) -> User:
    person = User.objects.filter(username=username, kind=AccountKind.STAFF, is_active=True).first()
    if person is None:
        raise Invalid(_("There is no staff member %(username)s.") % {"username": username}, field=field)
    return person
