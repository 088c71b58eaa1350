from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from suban.accounts.scope import scope
from suban.cases.models import Case, CoHandler


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
