"""The big screen's page: a frame of panels that fill themselves from /api/dashboard/ and refresh. Every figure
and chart element leads to its cases: the live figures to the console's inbox (the tab or filter that counts
them, narrowed to the screen's unit by the lead unit), the period's figures to the assessment's drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.assess.screen import RANK_KINDS, dashboard_unit, may_see_dashboard
from suban.errors import NotFound
from suban.org.models import Unit

REFRESH_SECONDS = 30


def labels() -> dict[str, str]:
    """The words the screen's script writes into its charts."""
    return {
        "received": _("Received"),
        "completed": _("Completed"),
        "open": _("Open cases"),
        "overdue": _("Overdue now"),
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
        "pair": _("%(label)s: %(value)s"),
        "share": _("%(name)s: %(value)s (%(percent)s)"),
    }


@dataclass(frozen=True)
class Kpi:
    key: str  # the element's id is k-<key>
    label: Promise
    tone: str = ""


# The live figures open the inbox (every dashboard reader is an overseer: the tabs hold their whole reach);
# the period's figures the assessment's drill-down of the screen's unit.
KPIS: tuple[tuple[Kpi, dict[str, str]], ...] = (
    (Kpi("open", gettext_lazy("Open cases")), {"tab": "all", "status": "open"}),
    (Kpi("yellow", gettext_lazy("Due soon now"), "yellow"), {"tab": "due_soon"}),
    (Kpi("red", gettext_lazy("Overdue now"), "red"), {"tab": "overdue"}),
    (Kpi("new", gettext_lazy("Waiting for dispatch")), {"tab": "all", "status": "waiting"}),
    (Kpi("today", gettext_lazy("Received today")), {"period": "day", "measure": "received"}),
    (Kpi("done", gettext_lazy("Completed today")), {"period": "day", "measure": "completed"}),
    (Kpi("month", gettext_lazy("Received this month")), {"period": "month", "measure": "received"}),
    (Kpi("sat", gettext_lazy("Satisfaction this month"), "green"), {"period": "month", "measure": "rated"}),
)


def kpi_links(unit: Unit) -> list[tuple[Kpi, str]]:
    """Each live figure with the address of its cases. No date: a drill-down opened after midnight shows the
    new day, as the refreshed figure does."""
    inbox, drill = reverse("console:inbox"), reverse("assess:cases")
    picked = f"{unit.name}（{unit.code}）"  # as the inbox's unit picker writes it: the filter reads well
    links = []
    for kpi, params in KPIS:
        if "tab" in params:
            links.append((kpi, f"{inbox}?{urlencode({**params, 'unit': picked})}"))
        else:
            links.append((kpi, f"{drill}?{urlencode({**params, 'unit': unit.pk})}"))
    return links


def chart_links(unit: Unit) -> dict[str, str]:
    """Where the screen's script sends a click on a chart element; {id} and {code} are filled in by it."""
    return {
        "inbox": reverse("console:inbox"),
        "drill": reverse("assess:cases"),
        "matter": reverse("assess:matter_cases"),
        "unit": reverse("assess:unit", args=[0]).replace("/0/", "/{id}/"),
        "hotspot": f"{reverse('console:hotspots')}?spot={{id}}",
        "activity": reverse("gridwork:activity"),
        "knowledge": reverse("console:knowledge_figures"),
        "mediation": reverse("console:mediation_figures"),
        "unit_code": unit.code,
        "unit_id": str(unit.pk),
    }


def screen(request: HttpRequest) -> HttpResponse:
    user = request.user
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
        "kpis": kpi_links(unit),
        "links": chart_links(unit),
    }
    return render(request, "dashboard/screen.html", context)
