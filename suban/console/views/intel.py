"""The console's intelligence pages: the daily hotspot list and the seasonal alerts (未诉先办), each within
the reader's reach (a street sees its own area; the district everything)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from suban.accounts.access import acting, staff_required
from suban.intel.daily import hotspot_list, may_read
from suban.intel.seasonal import WEEKS, alerts_visible_to

MAX_HOTSPOTS = 50


def _refused(request: HttpRequest) -> HttpResponse:
    reason = _("These pages are for leaders, dispatchers, supervisors and street handlers.")
    return render(request, "console/refused.html", {"reason": reason}, status=403)


@require_GET
@staff_required
def hotspots(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if not may_read(user):
        return _refused(request)
    # One hotspot and its requests (the big screen's hotspot list leads here), or the list.
    spot = request.GET.get("spot", "")
    only = int(spot) if spot.isdigit() else None
    rows = hotspot_list(user, MAX_HOTSPOTS, only=only)
    computed = max((s.computed_at for s, _m in rows), default=None)
    context = {"rows": rows, "computed": computed, "one": only is not None}
    return render(request, "console/intel/hotspots.html", context, status=404 if only is not None and not rows else 200)


@require_GET
@staff_required
def seasonal(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if not may_read(user):
        return _refused(request)
    return render(request, "console/intel/seasonal.html", {"alerts": alerts_visible_to(user), "weeks": WEEKS})
