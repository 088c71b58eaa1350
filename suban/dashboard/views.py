"""The big screen's page: a frame of panels that fill themselves from /api/dashboard/ and refresh."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from suban.dashboard.selectors import RANK_KINDS, dashboard_unit, may_see_dashboard
from suban.errors import NotFound

REFRESH_SECONDS = 30


def labels() -> dict[str, str]:
    """The words the screen's script writes into its charts."""
    return {
        "received": _("Received"),
        "completed": _("Completed"),
        "open": _("Open"),
        "overdue": _("Overdue"),
        "composite": _("Composite score"),
        "response": _("Response in time"),
        "on_time": _("Replied in time"),
        "satisfaction": _("Satisfaction"),
        "activity": _("Activity rate"),
        "patrols": _("Patrols per day"),
        "requests": _("Requests"),
        "nothing": _("Nothing yet"),
        "error": _("Could not load"),
        "bottom": _("Bottom two"),
    }


def screen(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_see_dashboard(user):
        reason = _("The dashboard is for leaders, supervisors and the dispatch centre.")
        return render(request, "console/refused.html", {"reason": reason}, status=403)
    code = request.GET.get("unit", "").strip()
    try:
        unit = dashboard_unit(user, code)
    except NotFound:
        unit = dashboard_unit(user)
        code = ""
    context = {
        "unit": unit,
        "unit_code": code,
        "home": user.unit,
        "refresh": getattr(settings, "DASHBOARD_REFRESH_SECONDS", REFRESH_SECONDS),
        # The screen shows the district's time, whatever the zone or the clock of the PC that drives it.
        "time_zone": settings.TIME_ZONE,
        "rank_kinds": RANK_KINDS,
        "labels": labels(),
    }
    return render(request, "dashboard/screen.html", context)
