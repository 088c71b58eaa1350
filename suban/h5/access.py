"""Who may use the H5: citizens. Anonymous visitors log in by SMS code first; staff go to the console."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

F = TypeVar("F", bound=Callable[..., HttpResponse])

STAFF_HOME = "/console/"


def citizen_required(view: F) -> F:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("h5:login"))
        if not user.is_citizen:
            return HttpResponseRedirect(STAFF_HOME)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def safe_next(request: HttpRequest, default: str) -> str:
    """The page to go to after logging in, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
