"""The leaders' big screen (智治大脑) over HTTP: one small JSON answer per panel, each within the caller's reach,
so that the screen refreshes each on its own and each query can be timed (bench/assess_bench.py).

`unit` (a unit code) narrows the screen to a unit below the caller's own (drilling down); `days` is 30 or 90.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from suban.api.auth import caller
from suban.api.schemas.common import errors
from suban.assess import screen as dash

router = Router(tags=["dashboard"])
ERRORS = errors(400, 403, 404)


@router.get("/live", response={200: dict[str, Any], **ERRORS}, summary="Open, due soon and overdue cases now")
def live(request: HttpRequest, unit: str = "") -> dict[str, Any]:
    user = caller(request)
    return dash.live(user, dash.dashboard_unit(user, unit))


@router.get("/intake", response={200: dict[str, Any], **ERRORS}, summary="Requests received and completed per day")
def intake(request: HttpRequest, unit: str = "", days: int = 30) -> dict[str, Any]:
    user = caller(request)
    return {"days": dash.intake(user, dash.dashboard_unit(user, unit), days)}


@router.get("/matters", response={200: dict[str, Any], **ERRORS}, summary="The most frequent matters")
def matters(request: HttpRequest, unit: str = "", days: int = 30) -> dict[str, Any]:
    user = caller(request)
    return dash.matters(user, dash.dashboard_unit(user, unit), days)


@router.get("/rates", response={200: dict[str, Any], **ERRORS}, summary="This month's ranking of units")
def rates(request: HttpRequest, kind: str = "street", unit: str = "") -> dict[str, Any]:
    user = caller(request)
    dash.dashboard_unit(user, unit)  # the caller may see the screen at all
    return dash.rates(user, kind)


@router.get("/grids", response={200: dict[str, Any], **ERRORS}, summary="The grid polygons, as GeoJSON")
def grids(request: HttpRequest, unit: str = "") -> dict[str, Any]:
    user = caller(request)
    return dash.grids(user, dash.dashboard_unit(user, unit))


@router.get("/map", response={200: dict[str, Any], **ERRORS}, summary="Open and recent cases per grid")
def grid_map(request: HttpRequest, unit: str = "", days: int = 30) -> dict[str, Any]:
    user = caller(request)
    grids = dash.grid_load(user, dash.dashboard_unit(user, unit), days)
    start, end = dash.window(days)
    return {"from": start.isoformat(), "to": end.isoformat(), "grids": grids}


@router.get("/hotspots", response={200: dict[str, Any], **ERRORS}, summary="Hotspots found by the nightly job")
def hotspots(request: HttpRequest, unit: str = "") -> dict[str, Any]:
    user = caller(request)
    return {"hotspots": dash.hotspots(user, dash.dashboard_unit(user, unit))}


@router.get("/gridwork", response={200: dict[str, Any], **ERRORS}, summary="Grid workers' activity per grid")
def gridwork(request: HttpRequest, unit: str = "", days: int = 30) -> dict[str, Any]:
    user = caller(request)
    root = dash.dashboard_unit(user, unit)
    rows = dash.grid_activity(user, root, days)
    active = [r for r in rows if r.activity_rate is not None]
    return {
        "grids": [
            {
                "code": r.grid.code if r.grid else "",
                "name": r.grid.name if r.grid else "",
                "workers": r.workers,
                "patrols": r.patrols,
                "logs": r.logs,
                "reports": r.reports,
                "activity_rate": r.activity_rate,
                "patrols_per_day": r.patrols_per_day,
            }
            for r in rows
        ],
        "average_rate": sum(r.activity_rate or 0 for r in active) / len(active) if active else None,
        "patrols": dash.patrols_per_day(user, root, days),
    }


@router.get(
    "/beyond",
    response={200: dict[str, Any], **ERRORS},
    summary="Resolution beyond dispatch: the knowledge base's answers and the mediation centre's disputes",
)
def beyond(request: HttpRequest, unit: str = "", days: int = 30) -> dict[str, Any]:
    user = caller(request)
    return dash.beyond(user, dash.dashboard_unit(user, unit), dash.days_arg(days))
