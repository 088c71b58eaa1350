from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from suban.accounts.models import AccountKind, User
from suban.accounts.scope import scope
from suban.org.models import Unit


def units_visible_to(user: Any, qs: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    return scope(Unit.objects.all() if qs is None else qs, user, path_fields=("path",))


def staff_visible_to(user: Any, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    base = User.objects.filter(kind=AccountKind.STAFF) if qs is None else qs
    return scope(base, user, path_fields=("unit__path",))
