from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from suban.accounts.access import acting, staff_required
from suban.console.export import EXPORT_CAP, export_workbook
from suban.console.forms import InboxFilters
from suban.console.inbox import BY_KEY, Tab, counts_for, default_tab, filtered_cases, tabs_for

PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tab(request: HttpRequest) -> Tab:
    user = acting(request)
    tab = BY_KEY.get(request.GET.get("tab", ""))
    if tab is None or not tab.shown_to(user):
        tab = default_tab(user, counts_for(request))
    request._console_tab = tab.key  # type: ignore[attr-defined]  # the nav marks it
    return tab


@require_GET
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    tab = _tab(request)
    form = InboxFilters(request.GET)
    cases = filtered_cases(acting(request), tab, form)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    counts = counts_for(request)
    context = {
        "tab": tab,
        "tabs": [(t, counts.get(t.key)) for t in tabs_for(acting(request))],
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "export_cap": EXPORT_CAP,
        "filtered": any(form.data.get(name) for name in form.fields if name != "order"),
    }
    return render(request, "console/inbox/page.html", context)


@require_GET
@staff_required
def inbox_export(request: HttpRequest) -> HttpResponse:
    tab = _tab(request)
    form = InboxFilters(request.GET)
    cases = filtered_cases(acting(request), tab, form)
    total = cases.count()
    if total > EXPORT_CAP:
        messages.warning(
            request,
            _("%(total)s cases match; the file holds the first %(cap)s.") % {"total": total, "cap": EXPORT_CAP},
        )
    body = export_workbook(cases, acting(request), total=total, cap=EXPORT_CAP)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cases-{tab.key}-{stamp}.xlsx"'
    return response
