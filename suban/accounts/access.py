"""Who may use the staff pages (the console and the parts' own pages), and where each person starts.

The console is for staff with a work role. Citizens use the H5 pages; the three admin roles work in the
administration and act on no case (suban.accounts.scope), so the console refuses them too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.accounts.roles import HANDLER_ROLES, Role

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def console_refusal(user: User) -> str | None:
    """Why `user` may not use the console, or None when they may."""
    if user.is_citizen:
        return _("The console is for staff. Citizens follow their requests on the H5 pages.")
    if user.admin_role:
        return _("Admin accounts work in the administration and act on no case.")
    if not user.roles or user.unit_id is None:
        return _("Your account has no work role or unit yet; ask the security admin.")
    return None


def staff_required(view: F) -> F:
    """Log in first; then only staff with a work role get past."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        refusal = console_refusal(user)
        if refusal is not None:
            return render(request, "console/refused.html", {"reason": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def acting(request: HttpRequest) -> User:
    """The person acting on a page behind a login (staff_required, the H5's citizen_required): typed as the
    services take it. Anyone else here is a page that forgot its guard: refused, never passed on."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def optional_url(name: str) -> str | None:
    """The address of a page another part may or may not provide yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def is_dispatcher(user: User) -> bool:
    return Role.DISPATCHER in user.roles


def is_handler(user: User) -> bool:
    return bool(user.roles & HANDLER_ROLES)


def home_url(user: User) -> str:
    """Each person's main page: the dispatch centre, the board, the grid or the inbox."""
    roles = user.roles
    inbox = reverse("console:inbox")
    if Role.DISPATCHER in roles:
        return reverse("console:dispatch")
    if Role.GRID_WORKER in roles:
        return optional_url("gridwork:my_grid") or inbox
    if roles & HANDLER_ROLES:
        return inbox
    if Role.SUPERVISOR in roles:
        return optional_url("gridwork:board") or inbox
    return inbox
