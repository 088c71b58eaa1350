"""Who reaches what. Every query of units, staff and cases for a person goes through `scope`.

A staff member reaches their unit's subtree: a dispatcher bound to the district reaches the district,
a street handler their street, a department its own sections, a grid worker their grid. A citizen
reaches only their own records. The three admin roles reach no case at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from suban.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Reach:
    unit_path: str | None = None
    citizen_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.unit_path is None and self.citizen_id is None


NOTHING = Reach()


def reach_of(user: User | AnonymousUser | None) -> Reach:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_citizen:
        return Reach(citizen_id=user.pk)
    if not user.roles or user.unit_id is None:
        return NOTHING
    return Reach(unit_path=user.unit.path)  # type: ignore[union-attr]  # unit_id is set, so unit is


def scope(
    qs: QuerySet[M],
    user: User | AnonymousUser | None,
    *,
    path_fields: tuple[str, ...] = (),
    citizen_field: str | None = None,
    extra: Callable[[str], Q] | None = None,
) -> QuerySet[M]:
    """Narrow `qs` to the rows `user` may see.

    path_fields: lookups to a unit's materialised path (e.g. "unit__path"); a row is in reach when any
    of them lies in the user's subtree. citizen_field: the lookup to the owning citizen, if rows have one.
    extra: a further condition built from the user's subtree path (e.g. an EXISTS over related rows).
    """
    reach = reach_of(user)
    condition = Q(pk__in=[])
    if reach.unit_path is not None:
        for field in path_fields:
            condition |= Q(**{f"{field}__startswith": reach.unit_path})
        if extra is not None:
            condition |= extra(reach.unit_path)
    if reach.citizen_id is not None and citizen_field is not None:
        condition |= Q(**{citizen_field: reach.citizen_id})
    return qs.filter(condition)


def can_reach_unit(user: User | AnonymousUser | None, unit: Any) -> bool:
    reach = reach_of(user)
    return reach.unit_path is not None and unit is not None and unit.path.startswith(reach.unit_path)
