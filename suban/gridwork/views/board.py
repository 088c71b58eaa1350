"""督办看板: open supervision orders, the overdue first; a case search to issue a new one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting
from suban.actions import BY_SLUG, perform
from suban.cases.lifecycle import allowed
from suban.cases.models import SupervisionOrder
from suban.errors import DomainError, Forbidden, Invalid
from suban.gridwork.access import BOARD_ROLES, roles_required
from suban.gridwork.forms import SuperviseForm, apply_error
from suban.gridwork.selectors import board_units, open_orders, supervisable_cases
from suban.gridwork.views.common import back_to, page_query, visible_case

PAGE_SIZE = 30
SEARCH_LIMIT = 20


def _page(request: HttpRequest, failed: tuple[str, SuperviseForm] | None = None, status: int = 200) -> HttpResponse:
    user = acting(request)
    units = board_units(user)
    under = units.filter(code=request.GET.get("unit", "")).first() if request.GET.get("unit") else None
    page = Paginator(open_orders(user, under), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.get("q", "").strip()
    found: list[dict[str, Any]] = []
    for case in supervisable_cases(user, query)[:SEARCH_LIMIT]:
        form = None
        if allowed(case, "supervise", user):
            if failed is not None and failed[0] == case.number:
                form = failed[1]
            else:
                form = SuperviseForm(initial={"version": case.version}, auto_id=f"sup-{case.number}-%s")
        found.append({"case": case, "form": form})
    context = {
        "units": units,
        "under": under,
        "page": page,
        "now": timezone.now(),
        "query": query,
        "found": found,
        "here": request.get_full_path(),
        "query_prefix": page_query(request),
    }
    return render(request, "gridwork/board.html", context, status=status)


@roles_required(BOARD_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    return _page(request)


@roles_required(BOARD_ROLES)
@require_POST
def supervise(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    form = SuperviseForm(request.POST, auto_id=f"sup-{number}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = perform(BY_SLUG["supervise"], case, acting(request), data)
            assert isinstance(order, SupervisionOrder)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except Invalid as exc:
            apply_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back_to(request, reverse("gridwork:board")))
        else:
            messages.success(
                request,
                _("Supervision order on case %(number)s issued to %(unit)s, due %(due)s.")
                % {
                    "number": case.number,
                    "unit": order.unit.name if order.unit else "",
                    "due": timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect(back_to(request, reverse("gridwork:board")))
    # Refused: drawn again with 200 (a 4xx page is an error in the browser's console).
    return _page(request, failed=(number, form))
