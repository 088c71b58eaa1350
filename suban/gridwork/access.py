"""Who may open which grid-work page, and the link to the console's case page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from suban.accounts.models import User
from suban.accounts.roles import Role

GRID_ROLES = frozenset({Role.GRID_WORKER, Role.SPECIALIST})
# Who sees the grid workers' patrols and logs below their unit.
OVERSEER_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.STREET_HANDLER, Role.COMMUNITY_HANDLER})
VISIT_ROLES = frozenset({Role.SUPERVISOR})
BOARD_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER})
ESCALATION_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER})


def has_any(user: User | AnonymousUser, roles: frozenset[str]) -> bool:
    """Staff bound to a unit holding one of `roles` (admin accounts and citizens hold no work role)."""
    return bool(user.is_authenticated and user.unit_id is not None and user.roles & roles)


def is_grid_worker(user: User | AnonymousUser) -> bool:
    return has_any(user, GRID_ROLES)


View = Callable[..., HttpResponse]


def roles_required(roles: frozenset[str]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_any(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def case_url(number: str) -> str:
    """The console's case page; its URL name may not exist yet, its path is agreed."""
    try:
        return reverse("console:case", args=[number])
    except NoReverseMatch:
        return f"/console/cases/{number}/"
