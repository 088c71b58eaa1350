"""The mediation centre's figures (/console/mediation/figures/): counts only, for anyone with reach over the
places (a mediator's reach is their room's area, anyone else's their unit's)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from suban.accounts.access import acting, staff_required
from suban.console.mediation import reach_path
from suban.console.mediation_forms import PeriodForm
from suban.mediation.figures import figures

TABLES = (
    ("by_level", gettext_lazy("By level of room")),
    ("by_room", gettext_lazy("By room")),
    ("by_category", gettext_lazy("By kind of dispute")),
    ("by_mediator", gettext_lazy("By lead mediator")),
)


@require_GET
@staff_required
def figures_page(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    path = reach_path(user)
    if path is None:
        return render(request, "console/refused.html", {"reason": _("Your account has no unit.")}, status=403)
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), today
    status = 200
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            status = 400
    else:
        form = PeriodForm(initial={"start": start, "end": end})
    result = figures(path, start, end)
    tables = [(key, label, getattr(result, key)) for key, label in TABLES]
    context = {"form": form, "f": result, "total": [result.total], "tables": tables}
    return render(request, "console/mediation/figures.html", context, status=status)
