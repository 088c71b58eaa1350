"""网格活跃度: how active each grid within the reader's unit is (patrols, work log, reports per grid worker) and
patrols per day; drill down from a street to its communities' grids, and from a grid to its workers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from suban.accounts.access import acting
from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import can_reach_unit, scope
from suban.gridwork.access import OVERSEER_ROLES, roles_required
from suban.gridwork.activity import PERIODS, grid_activity, patrols_per_day, worker_activity
from suban.org.models import GRID_KINDS, Unit, UnitKind

ACTIVITY_ROLES = OVERSEER_ROLES | frozenset({Role.DISPATCHER})


def _picked(request: HttpRequest, user: User, key: str) -> Unit | None:
    code = request.GET.get(key, "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    return unit if unit is not None and can_reach_unit(user, unit) else None


@roles_required(ACTIVITY_ROLES)
@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    try:
        days = int(request.GET.get("days", "30"))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    unit: Unit = _picked(request, user, "unit") or user.unit  # type: ignore[assignment]  # roles_required: a unit
    grid = _picked(request, user, "grid")
    if grid is not None and grid.kind not in GRID_KINDS:
        grid = None
    rows = grid_activity(user, unit, days)
    # The units one may narrow to: the streets and communities within reach, above the grids.
    areas = scope(
        Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.COMMUNITY], is_active=True),
        user,
        path_fields=("path",),
    ).order_by("path")
    ranked = [r for r in rows if r.activity_rate is not None]
    context = {
        "days": days,
        "periods": PERIODS,
        "unit": unit,
        "areas": areas,
        "rows": rows,
        "average": sum(r.activity_rate or 0 for r in ranked) / len(ranked) if ranked else None,
        "patrols": patrols_per_day(user, unit, days),
        "grid": grid,
        "workers": worker_activity(user, grid, days) if grid is not None else None,
    }
    return render(request, "gridwork/activity.html", context)
