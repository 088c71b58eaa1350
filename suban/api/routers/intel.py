"""The intelligence over HTTP: a case's routing suggestions and possible duplicates, the hotspot list and the
seasonal alerts. Each answers within the caller's reach, as the console pages do."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from suban.accounts.models import User
from suban.api.auth import caller
from suban.api.schemas.common import MatterRef, UnitRef, errors
from suban.cases.selectors import cases_visible_to, visible_case
from suban.errors import Forbidden
from suban.intel.daily import hotspot_list, may_read
from suban.intel.duplicates import possible_duplicates
from suban.intel.routing import advice_for
from suban.intel.seasonal import alerts_visible_to
from suban.intel.suggest import auto_route_threshold

router = Router(tags=["intelligence"])


class SuggestionOut(Schema):
    label: str
    matter: MatterRef | None
    unit: UnitRef | None
    confidence: float


class SuggestionsOut(Schema):
    trained: bool
    model_version: str
    auto_route_threshold: float
    suggestions: list[SuggestionOut]


class CaseBrief(Schema):
    number: str
    title: str
    status: str
    created_at: datetime
    support_count: int


class DuplicateOut(Schema):
    case: CaseBrief
    score: float
    distance_m: float | None
    same_grid: bool
    hours_apart: float


class HeatOut(Schema):
    score: float
    reporters: int
    support: float
    recency: float
    spread: int


class HotspotOut(Schema):
    rank: int
    title: str
    keywords: list[str]
    place: str
    area: UnitRef | None
    first_at: datetime
    last_at: datetime
    period_start: datetime
    period_end: datetime
    heat: HeatOut
    size: int
    cases: list[CaseBrief]
    computed_at: datetime


class YearOut(Schema):
    year: int
    window_start: date
    in_window: int
    usual: float
    ratio: float | None


class SeasonalAlertOut(Schema):
    street: UnitRef
    matter: str
    start: date
    end: date
    weeks: int
    in_window: int
    usual: float
    ratio: float | None
    expected: float
    years: list[YearOut]


def _staff(user: User) -> None:
    if user.is_citizen:
        raise Forbidden(_("This is for staff."))


def _unit(unit: Any) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit is not None else None


def _brief(case: Any) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "created_at": case.created_at,
        "support_count": case.support_count,
    }


@router.get(
    "/cases/{number}/suggestions",
    response={200: SuggestionsOut, **errors(403, 404)},
    summary="The model's three likeliest matters for a case waiting for a unit, each with its unit",
    operation_id="case_suggestions",
)
def suggestions(request: HttpRequest, number: str) -> Any:
    user = caller(request)
    _staff(user)
    advice = advice_for(visible_case(user, number))
    return {
        "trained": advice.trained,
        "model_version": advice.version,
        "auto_route_threshold": auto_route_threshold(),
        "suggestions": [
            {
                "label": s.label,
                "matter": (
                    {"code": s.matter.code, "name": s.matter.name, "full_name": s.matter.full_name}
                    if s.matter is not None
                    else None
                ),
                "unit": _unit(s.unit),
                "confidence": round(s.confidence, 4),
            }
            for s in advice.suggestions
        ],
    }


@router.get(
    "/cases/{number}/duplicates",
    response={200: list[DuplicateOut], **errors(403, 404)},
    summary="Open cases near in time and place that say the same thing, most alike first",
    operation_id="case_duplicates",
)
def duplicates(request: HttpRequest, number: str) -> Any:
    user = caller(request)
    _staff(user)
    case = visible_case(user, number)
    return [
        {
            "case": _brief(d.case),
            "score": round(d.score, 4),
            "distance_m": round(d.distance_m, 1) if d.distance_m is not None else None,
            "same_grid": d.same_grid,
            "hours_apart": round(d.hours_apart, 2),
        }
        for d in possible_duplicates(case, among=cases_visible_to(user))
    ]


@router.get(
    "/hotspots",
    response={200: list[HotspotOut], **errors(403)},
    summary="The daily hotspot list of your area, hottest first",
    operation_id="hotspot_list",
)
def hotspots(request: HttpRequest) -> Any:
    user = caller(request)
    if not may_read(user):
        raise Forbidden(_("Hotspots are for leaders, dispatchers, supervisors and street handlers."))
    found = []
    for h, members in hotspot_list(user, 100):
        found.append(
            {
                "rank": h.rank,
                "title": h.title,
                "keywords": h.keywords,
                "place": h.place,
                "area": _unit(h.area),
                "first_at": h.first_at,
                "last_at": h.last_at,
                "period_start": h.period_start,
                "period_end": h.period_end,
                "heat": {
                    "score": round(h.score, 4),
                    "reporters": h.reporters,
                    "support": h.support,
                    "recency": round(h.recency, 4),
                    "spread": h.spread,
                },
                "size": h.size,
                "cases": [_brief(c) for c in members],
                "computed_at": h.computed_at,
            }
        )
    return found


@router.get(
    "/seasonal-alerts",
    response={200: list[SeasonalAlertOut], **errors(403)},
    summary="Matters that rose in the coming weeks of earlier years, per street in your reach (未诉先办)",
    operation_id="seasonal_alerts",
)
def seasonal(request: HttpRequest) -> Any:
    user = caller(request)
    if not may_read(user):
        raise Forbidden(_("Seasonal alerts are for leaders, dispatchers, supervisors and street handlers."))
    return [a.as_json() | {"street": _unit(a.street)} for a in alerts_visible_to(user)]
