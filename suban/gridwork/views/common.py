"""What every grid-work view needs: the case by number within the user's reach, a safe way back."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from suban.accounts.models import User
from suban.cases.models import Case
from suban.cases.selectors import cases_visible_to


def visible_case(user: User, number: str) -> Case:
    case = cases_visible_to(user).select_related("unit", "grid").filter(number=number).first()
    if case is None:
        raise Http404
    return case


def back_to(request: HttpRequest, default: str) -> str:
    """The page the form came from (a list with its filters), if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/console/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_query(request: HttpRequest) -> str:
    """The list's filters, ready to have `page=` appended."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
