"""The assessment over HTTP: rankings, a unit's figures, and the cases behind a figure (GET /api/assessment/...)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suban.api.auth import caller
from suban.api.pagination import LimitOffset
from suban.api.schemas.common import errors
from suban.api.throttles import reads, writes
from suban.assess import selectors
from suban.assess.models import UNIT_COUNTERS, CaseAssessment, Ruling, RulingReason
from suban.assess.periods import Period, Span, span
from suban.assess.rates import Figures
from suban.assess.services import assessment_rule_out, assessment_withdraw_ruling
from suban.cases.selectors import visible_case

router = Router(tags=["assessment"])

RATE_FIELDS = (
    "response_rate",
    "on_time_reply_rate",
    "completion_rate",
    "resolution_rate",
    "satisfaction_rate",
    "supervised_completion_rate",
    "avg_handling_days",
    "composite",
)


class PeriodIn(Schema):
    period: Period = Field(Period.MONTH, description="day, week, month, quarter or year")
    date: dt.date | None = Field(None, description="any day of the period (default: today)")


class RankingIn(PeriodIn):
    kind: str = Field("street", pattern="^(street|community|grid|department)$")


class DrillIn(PeriodIn):
    unit: int = Field(description="the unit's id")
    measure: str = Field("assessed", description="a figure: " + ", ".join(selectors.MEASURES))


class AssessedUnit(Schema):
    """A unit with its id, which /assessment/units/{unit_id} and the drill-down take (the other faces name a unit
    by its code: common.UnitRef)."""

    id: int
    code: str
    name: str
    kind: str


class FiguresOut(Schema):
    counts: dict[str, int] = Field(
        description="the period's counters (docs/assessment.md); `overdue` is *ever overdue*: cases the clock marked "
        "overdue at least once, not the cases overdue now (see `live`)"
    )
    rates: dict[str, float | None] = Field(
        description="fractions 0–1; avg_handling_days in working days; composite 0–100"
    )


class SpanOut(Schema):
    period: str
    start: dt.date
    end: dt.date


class RankRowOut(Schema):
    unit: AssessedUnit
    rank: int | None
    bottom: bool
    figures: FiguresOut


class RankingOut(Schema):
    span: SpanOut
    kind: str
    rows: list[RankRowOut]


class UnitFiguresOut(Schema):
    unit: AssessedUnit
    span: SpanOut
    figures: FiguresOut
    live: dict[str, int] = Field(
        description="open cases now, and how many are due soon now (yellow) and overdue now (red): the cases a unit "
        "holds, as the inbox counts them"
    )


class DrillRow(Schema):
    number: str
    title: str
    status: str
    day: dt.date
    unit: AssessedUnit
    matter: str | None
    excluded: bool
    exclusion_reason: str
    responded_in_time: bool
    replied_in_time: bool
    completed: bool
    satisfaction: str
    handling_days: float | None

    @staticmethod
    def resolve_number(obj: CaseAssessment) -> str:
        return obj.case.number

    @staticmethod
    def resolve_title(obj: CaseAssessment) -> str:
        return obj.case.title

    @staticmethod
    def resolve_status(obj: CaseAssessment) -> str:
        return obj.case.status

    @staticmethod
    def resolve_matter(obj: CaseAssessment) -> str | None:
        return obj.matter.full_name if obj.matter else None


def _span(params: PeriodIn) -> Span:
    return span(params.period, params.date or timezone.localdate())


def _figures(f: Figures) -> dict[str, Any]:
    return {"counts": {n: f.counts.get(n, 0) for n in UNIT_COUNTERS}, "rates": f.rates()}


def _unit(u: Any) -> dict[str, Any]:
    return {"id": u.pk, "code": u.code, "name": u.name, "kind": u.kind}


def _span_out(s: Span) -> dict[str, Any]:
    return {"period": s.period, "start": s.start, "end": s.end}


@router.get(
    "/rankings",
    response={200: RankingOut, **errors()},
    summary="Units of a kind ranked by composite score over a period",
    operation_id="assessment_rankings",
)
def rankings(request: HttpRequest, params: Query[RankingIn]) -> Any:
    s = _span(params)
    rows = selectors.ranking(caller(request), params.kind, s)
    return {
        "span": _span_out(s),
        "kind": params.kind,
        "rows": [
            {"unit": _unit(r.unit), "rank": r.rank, "bottom": r.bottom, "figures": _figures(r.figures)} for r in rows
        ],
    }


@router.get(
    "/units/{unit_id}",
    response={200: UnitFiguresOut, **errors(404)},
    summary="A unit's figures over a period",
    operation_id="assessment_unit",
)
def unit_figures(request: HttpRequest, unit_id: int, params: Query[PeriodIn]) -> Any:
    user = caller(request)
    unit = selectors.reachable_unit(user, unit_id)
    s = _span(params)
    return {
        "unit": _unit(unit),
        "span": _span_out(s),
        "figures": _figures(selectors.unit_figures(user, unit, s)),
        "live": selectors.live_counts(user, unit),
    }


@router.get(
    "/cases",
    response={200: list[DrillRow], **errors(404)},
    summary="The cases behind a figure (drill-down)",
    operation_id="assessment_cases",
)
@paginate(LimitOffset)
def cases(request: HttpRequest, params: Query[DrillIn]) -> QuerySet[CaseAssessment]:
    user = caller(request)
    unit = selectors.reachable_unit(user, params.unit)
    return selectors.drilldown(user, unit, _span(params), params.measure)


class RulingIn(Schema):
    case: str = Field(..., description="the case's number")
    reason: RulingReason
    note: str = Field("", max_length=500)


class RulingOut(Schema):
    case: str
    reason: str
    reason_label: str
    note: str
    by: str | None
    at: dt.datetime


class WithdrawIn(Schema):
    note: str = Field("", max_length=500)


def _ruling_out(ruling: Ruling, number: str) -> dict[str, Any]:
    return {
        "case": number,
        "reason": ruling.reason,
        "reason_label": ruling.get_reason_display(),
        "note": ruling.note,
        "by": ruling.by.username if ruling.by is not None else None,
        "at": ruling.at,
    }


@router.post(
    "/rulings",
    response={201: RulingOut, **errors(403, 404, 409)},
    summary="Rule a case out of the assessment (supervisors, within their reach)",
    description="With a reason of Beijing's Art. 11 practice; the case's figures leave the roll-ups at once. "
    "A case already ruled out is a 409.",
    operation_id="assessment_rule_out",
    throttle=[reads, writes],
)
def rule_out(request: HttpRequest, payload: RulingIn) -> Any:
    user = caller(request)
    case = visible_case(user, payload.case)
    ruling = assessment_rule_out(case=case, by=user, reason=payload.reason, note=payload.note)
    return Status(201, _ruling_out(ruling, case.number))


@router.post(
    "/rulings/{number}/withdraw",
    response={204: None, **errors(403, 404, 409)},
    summary="Withdraw a ruling: the case counts in the assessment again",
    operation_id="assessment_withdraw_ruling",
    throttle=[reads, writes],
)
def withdraw_ruling(request: HttpRequest, number: str, payload: WithdrawIn) -> Any:
    user = caller(request)
    case = visible_case(user, number)
    assessment_withdraw_ruling(case=case, by=user, note=payload.note)
    return Status(204, None)
