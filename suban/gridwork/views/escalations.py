"""升级与争议: recent escalations, whistles, raised levels and disputed returns, linked to the case pages."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from suban.accounts.access import acting
from suban.gridwork.access import ESCALATION_ROLES, roles_required
from suban.gridwork.selectors import ESCALATION_ACTIONS, escalation_events
from suban.gridwork.views.common import page_query
from suban.org.models import Unit

PAGE_SIZE = 30
PERIODS = (7, 30, 90)
KINDS = {
    "": gettext_lazy("All"),
    "escalate": gettext_lazy("Escalated"),
    "whistle": gettext_lazy("Whistled in"),
    "raise_level": gettext_lazy("Level raised"),
    "returns": gettext_lazy("Returns and rulings"),
}
ACTION_LABELS = {
    "escalate": gettext_lazy("Escalated"),
    "whistle": gettext_lazy("Whistled in"),
    "raise_level": gettext_lazy("Level raised"),
    "return": gettext_lazy("Returned"),
    "reject_return": gettext_lazy("Return rejected"),
}


@roles_required(ESCALATION_ROLES)
@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in ESCALATION_ACTIONS:
        kind = ""
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    since = timezone.now() - timedelta(days=days)
    page = Paginator(escalation_events(acting(request), since=since, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    codes = {e.data.get(k) for e in events for k in ("unit", "from_unit") if isinstance(e.data, dict)}
    names = dict(Unit.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    rows = [
        {
            "event": e,
            "label": ACTION_LABELS.get(e.action, e.action),
            "from_unit": names.get(e.data.get("from_unit") or "", ""),
            "to_unit": names.get(e.data.get("unit") or "", ""),
        }
        for e in events
    ]
    context = {
        "rows": rows,
        "page": page,
        "kind": kind,
        "kinds": KINDS.items(),
        "days": days,
        "periods": PERIODS,
        "query_prefix": page_query(request),
    }
    return render(request, "gridwork/escalations.html", context)
