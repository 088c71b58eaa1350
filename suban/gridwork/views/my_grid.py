"""我的网格: open cases in or held by the worker's grid; claim and solve on the spot from the list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting
from suban.actions import BY_SLUG, perform
from suban.cases.lifecycle import allowed_actions
from suban.cases.models import Case
from suban.errors import DomainError, Forbidden, Invalid
from suban.gridwork.access import GRID_ROLES, roles_required
from suban.gridwork.forms import SolveForm, apply_error
from suban.gridwork.selectors import my_grid_cases
from suban.gridwork.services import grid_solve
from suban.gridwork.views.common import back_to, page_query, visible_case

PAGE_SIZE = 20
SHOW = {
    "all": gettext_lazy("All open"),
    "held": gettext_lazy("Held by my grid"),
    "reported": gettext_lazy("Reported by me"),
}


def _solve_form(case: Case, number: str, version: int, data: Any = None, files: Any = None) -> SolveForm:
    initial: dict[str, Any] = {"version": version}
    report = getattr(case, "grid_report", None)
    if report is not None and report.solved_on_spot:
        initial["reply"] = report.solution  # what the worker said on the spot becomes the draft reply
    return SolveForm(data, files, initial=initial, auto_id=f"solve-{number}-%s")


def _page(request: HttpRequest, failed: tuple[str, SolveForm] | None = None) -> HttpResponse:
    user = acting(request)
    show = request.GET.get("show", "all")
    if show not in SHOW:
        show = "all"
    paginator = Paginator(my_grid_cases(user, show), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = []
    for case in page.object_list:
        actions = allowed_actions(case, user)
        can_claim = "claim" in actions
        can_solve = "reply" in actions or can_claim
        form = None
        if can_solve:
            if failed is not None and failed[0] == case.number:
                form = failed[1]
            else:
                form = _solve_form(case, case.number, case.version)
        rows.append({"case": case, "can_claim": can_claim, "can_solve": can_solve, "form": form})
    context = {
        "grid": user.unit,
        "rows": rows,
        "page": page,
        "show": show,
        "tabs": SHOW.items(),
        "here": request.get_full_path(),
        "query_prefix": page_query(request),
        # A browser never refills a file input: a refused reply says so instead of dropping the photos unseen.
        "files_chosen": bool(request.FILES),
    }
    return render(request, "gridwork/my_grid.html", context)


@roles_required(GRID_ROLES)
@require_GET
def my_grid(request: HttpRequest) -> HttpResponse:
    return _page(request)


@roles_required(GRID_ROLES)
@require_POST
def claim(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        perform(BY_SLUG["claim"], case, acting(request), {"version": version})
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You claimed case %(number)s.") % {"number": case.number})
    return redirect(back_to(request, reverse("gridwork:my_grid")))


@roles_required(GRID_ROLES)
@require_POST
def solve(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    form = _solve_form(case, number, case.version, request.POST, request.FILES)
    if form.is_valid():
        try:
            grid_solve(
                case=case,
                by=acting(request),
                reply=form.cleaned_data["reply"],
                photos=form.cleaned_data["photos"],
                expected_version=form.cleaned_data["version"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except Invalid as exc:
            apply_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back_to(request, reverse("gridwork:my_grid")))
        else:
            messages.success(
                request,
                _("Case %(number)s is answered; the dispatch centre reviews the reply.") % {"number": case.number},
            )
            return redirect(back_to(request, reverse("gridwork:my_grid")))
    messages.error(request, _("Case %(number)s: see the form below.") % {"number": number})
    # Refused: drawn again with 200 (a 4xx page is an error in the browser's console).
    return _page(request, failed=(number, form))
