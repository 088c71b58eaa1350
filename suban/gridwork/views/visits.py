"""回访工作台: the supervisor calls the citizen (the number shown only on an audited click) and records the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting
from suban.accounts.models import User
from suban.cases.lifecycle import allowed_actions
from suban.cases.models import Case, Satisfaction, Status
from suban.cases.visibility import contact_for
from suban.errors import DomainError, Forbidden, Invalid
from suban.gridwork.access import VISIT_ROLES, roles_required
from suban.gridwork.forms import DecideForm, VisitForm, apply_error
from suban.gridwork.selectors import visiting_cases
from suban.gridwork.services import contact_reveal, visit_decide, visit_record
from suban.gridwork.views.common import back_to, is_htmx, page_query, visible_case

PAGE_SIZE = 20


def _forms_for(case: Case, user: User, failed: tuple[str, forms.Form] | None) -> dict[str, Any]:
    actions = allowed_actions(case, user)
    own = failed[1] if failed is not None and failed[0] == case.number else None
    prefix = f"visit-{case.number}-%s"
    visit_form = decide_form = None
    if case.status == Status.VISITING and "rate" in actions:
        visit_form = own if isinstance(own, VisitForm) else VisitForm(initial={"version": case.version}, auto_id=prefix)
    if case.status == Status.UNSATISFIED and ({"reopen", "close"} & set(actions)):
        decide_form = (
            own if isinstance(own, DecideForm) else DecideForm(initial={"version": case.version}, auto_id=prefix)
        )
    return {"visit_form": visit_form, "decide_form": decide_form}


def _page(
    request: HttpRequest,
    *,
    failed: tuple[str, forms.Form] | None = None,
    revealed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting(request)
    page = Paginator(visiting_cases(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "contact": contact_for(case, user),
            "phone": (revealed or {}).get(case.number, ""),
            **_forms_for(case, user, failed),
        }
        for case in page.object_list
    ]
    context = {"rows": rows, "page": page, "here": request.get_full_path(), "query_prefix": page_query(request)}
    return render(request, "gridwork/visits.html", context, status=status)


@roles_required(VISIT_ROLES)
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    return _page(request)


@roles_required(VISIT_ROLES)
@require_POST
def call(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    try:
        phone = contact_reveal(case=case, by=acting(request), request=request)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        if is_htmx(request):
            return render(request, "gridwork/_phone.html", {"case": case, "error": exc.message})
        messages.error(request, exc.message)
        return redirect(back_to(request, reverse("gridwork:visits")))
    if is_htmx(request):
        return render(request, "gridwork/_phone.html", {"case": case, "phone": phone})
    return _page(request, revealed={case.number: phone})


def _done_message(case: Case) -> str:
    if case.status == Status.CLOSED:
        return _("Case %(number)s: the visit is recorded and the case is closed.") % {"number": case.number}
    if case.status == Status.IN_PROGRESS:
        return _("Case %(number)s is reopened: back to %(unit)s to put right.") % {
            "number": case.number,
            "unit": case.unit.name if case.unit else "",
        }
    return _("Case %(number)s: the visit is recorded; decide on it below.") % {"number": case.number}


@roles_required(VISIT_ROLES)
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    form = VisitForm(request.POST, auto_id=f"visit-{number}-%s")
    if form.is_valid():
        data = form.cleaned_data
        unsatisfied = data["satisfaction"] == Satisfaction.UNSATISFIED
        try:
            visit_record(
                case=case,
                by=acting(request),
                satisfaction=data["satisfaction"],
                resolved=data["resolved"],
                comment=data["comment"],
                decision=data["decision"] if unsatisfied else "",
                decision_note=data["decision_note"],
                expected_version=data["version"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except Invalid as exc:
            apply_error(form, exc, {"note": "decision_note"})
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back_to(request, reverse("gridwork:visits")))
        else:
            messages.success(request, _done_message(case))
            return redirect(back_to(request, reverse("gridwork:visits")))
    # Refused: drawn again with 200 (a 4xx page is an error in the browser's console).
    return _page(request, failed=(number, form))


@roles_required(VISIT_ROLES)
@require_POST
def decide(request: HttpRequest, number: str) -> HttpResponse:
    case = visible_case(acting(request), number)
    form = DecideForm(request.POST, auto_id=f"visit-{number}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit_decide(
                case=case,
                by=acting(request),
                decision=data["decision"],
                note=data["note"],
                expected_version=data["version"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except Invalid as exc:
            apply_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back_to(request, reverse("gridwork:visits")))
        else:
            messages.success(request, _done_message(case))
            return redirect(back_to(request, reverse("gridwork:visits")))
    # Refused: drawn again with 200 (a 4xx page is an error in the browser's console).
    return _page(request, failed=(number, form))
