from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from suban.accounts.scope import scope
from suban.cases.models import Case


def cases_visible_to(user: Any, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The one way to list cases for a person: the lead unit or the place lies in their reach."""
    return scope(
        Case.objects.all() if qs is None else qs,
        user,
        path_fields=("unit__path", "grid__path"),
        citizen_field="citizen",
    )
