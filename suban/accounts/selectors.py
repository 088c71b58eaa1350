from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from suban.accounts.models import AccountKind, User
from suban.accounts.scope import scope
from suban.errors import Invalid
from suban.org.models import Unit


def units_visible_to(user: User | AnonymousUser | None, qs: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    return scope(Unit.objects.all() if qs is None else qs, user, path_fields=("path",))


def staff_visible_to(user: User | AnonymousUser | None, qs: QuerySet[User] | None = None) -> QuerySet[User]:
    base = User.objects.filter(kind=AccountKind.STAFF) if qs is None else qs
    return scope(base, user, path_fields=("unit__path",))


def staff_by_username(username: str, *, field: str) -> User:
    """An active member of staff named in a request (spaces around the name ignored), or a 400 on that field."""
    username = username.strip()
    person = User.objects.filter(username=username, kind=AccountKind.STAFF, is_active=True).first()
    if person is None:
        raise Invalid(_("There is no staff member %(username)s.") % {"username": username}, field=field)
    return person
