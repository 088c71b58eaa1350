from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from suban.cases.models import Case
from suban.cases.selectors import visible_case
from suban.errors import NotFound


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def case_or_404(user: Any, number: str) -> Case:
    """The case if `user` reaches it; out of reach looks exactly like missing."""
    try:
        return visible_case(user, number)
    except NotFound as exc:
        raise Http404(exc.message) from None
