"""The H5's first page: what a citizen can do, and how many of their requests and disputes are open."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from suban.accounts.access import acting
from suban.cases.models import TERMINAL, Status
from suban.cases.selectors import cases_visible_to
from suban.h5.access import citizen_required
from suban.h5.models import ConvenienceService
from suban.mediation.selectors import OPEN, disputes_visible_to


@citizen_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counts = cases_visible_to(acting(request)).aggregate(
        open=Count("pk", filter=~Q(status__in=list(TERMINAL)) & ~Q(status=Status.VISITING)),
        to_rate=Count("pk", filter=Q(status=Status.VISITING)),
        total=Count("pk"),
    )
    services = ConvenienceService.objects.filter(is_active=True)[:4]
    disputes = disputes_visible_to(acting(request)).filter(status__in=OPEN).count()
    return render(request, "h5/home.html", {"counts": counts, "services": services, "disputes": disputes})
