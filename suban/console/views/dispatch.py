from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from suban.accounts.access import acting, is_dispatcher, staff_required
from suban.cases.models import Case, Status
from suban.console.actions import Outcome
from suban.console.dispatch import Row, build_row, intake_cases, returned_cases

PER_PAGE = 20


def dispatch_context(request: HttpRequest, *, bound: tuple[Case, str, Outcome] | None = None) -> dict[str, Any]:
    """The page's two lists; `bound` = (case, form key, outcome) of a refused form to show again."""
    user = acting(request)

    def rows(qs: Any, param: str) -> tuple[Any, list[Row]]:
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get(param))
        return page, [
            build_row(case, user, bound=(bound[1], bound[2]) if bound and bound[0].pk == case.pk else None)
            for case in page.object_list
        ]

    intake_page, intake_rows = rows(intake_cases(user), "page")
    returned_page, returned_rows = rows(returned_cases(user), "rpage")
    if bound is not None and not any(r.case.pk == bound[0].pk for r in intake_rows + returned_rows):
        # The refused case lies on another page (or has left both lists): show it on top all the same.
        extra = build_row(bound[0], user, bound=(bound[1], bound[2]))
        (returned_rows if bound[0].status == Status.RETURNED else intake_rows).insert(0, extra)
    return {
        "intake_page": intake_page,
        "intake_rows": intake_rows,
        "returned_page": returned_page,
        "returned_rows": returned_rows,
    }


def row_response(request: HttpRequest, row: Row, *, status: int = 200) -> HttpResponse:
    """One row redrawn after an htmx action on it. The action moved the case between piles, so the page's
    counts and the console navigation's come along, swapped out of band (console/dispatch/_row_response.html).
    """
    context = {
        "row": row,
        "intake_count": intake_cases(acting(request)).count(),
        "returned_count": returned_cases(acting(request)).count(),
    }
    return render(request, "console/dispatch/_row_response.html", context, status=status)


@staff_required
def dispatch_centre(request: HttpRequest) -> HttpResponse:
    if not is_dispatcher(acting(request)):
        return render(
            request, "console/refused.html", {"reason": _("The dispatch centre is for dispatchers.")}, status=403
        )
    return render(request, "console/dispatch/page.html", dispatch_context(request))
