"""Who may exchange: the dispatch centre (it takes work orders in), and only the account a source is bound to,
when it is bound to one."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.errors import Forbidden
from suban.exchange.models import Source


def may_exchange(user: User | AnonymousUser | None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_citizen
        and not user.admin_role
        and Role.DISPATCHER in user.roles
        and user.unit_id is not None
    )


def require_exchange(user: User | None, source: Source | None = None) -> None:
    """`user=None` is the system (a management command)."""
    if user is None:
        return
    if not may_exchange(user):
        raise Forbidden(_("Only the dispatch centre imports and exchanges work orders."))
    if source is not None and source.account_id is not None and source.account_id != user.pk:
        raise Forbidden(_("This source is bound to another account."))
