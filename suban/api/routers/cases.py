"""Reading cases and submitting one."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from suban.api.auth import caller
from suban.api.filters import LIST_RELATED, filter_cases
from suban.api.lookups import fresh_case, matter_by_code, unit_by_code, units_by_code, visible_case
from suban.api.pagination import LimitOffset
from suban.api.presenters import case_out, events_out
from suban.api.schemas.cases import CaseFilters, CaseItem, CaseOut, CaseSubmitIn, EventOut
from suban.api.schemas.common import errors
from suban.api.throttles import reads, writes
from suban.cases.models import Case
from suban.cases.selectors import cases_visible_to
from suban.cases.services import case_intake

router = Router(tags=["cases"])

LIST_FIELDS = (
    "number",
    "title",
    "status",
    "case_type",
    "nature",
    "channel",
    "urgency",
    "level",
    "address",
    "alert",
    "due_at",
    "created_at",
    "version",
    "unit__code",
    "unit__name",
    "unit__kind",
    "matter__code",
    "matter__name",
    "matter__full_name",
)


@router.get("", response=list[CaseItem], summary="List the cases within your reach", operation_id="case_list")
@paginate(LimitOffset)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    qs = cases_visible_to(caller(request)).select_related(*LIST_RELATED).only(*LIST_FIELDS)
    return filter_cases(qs, filters)


@router.get(
    "/{number}", response={200: CaseOut, **errors(404)}, summary="One case, with your actions", operation_id="case_get"
)
def get_case(request: HttpRequest, number: str) -> Any:
    return case_out(visible_case(caller(request), number), caller(request))


@router.get(
    "/{number}/events",
    response={200: list[EventOut], **errors(404)},
    summary="The case's timeline (citizens see its public steps)",
    operation_id="case_events",
)
def list_events(request: HttpRequest, number: str) -> Any:
    user = caller(request)
    case = visible_case(user, number)
    events = case.events.select_related("actor", "actor_unit").order_by("seq")
    if user.is_citizen:
        events = events.filter(public=True)
    return events_out(events, user)


@router.post(
    "",
    response={201: CaseOut, **errors(403)},
    summary="Submit a request (the dispatch centre may accept and dispatch it at once)",
    operation_id="case_submit",
    throttle=[reads, writes],
)
def submit_case(request: HttpRequest, payload: CaseSubmitIn) -> Any:
    data = payload.model_dump(exclude={"matter", "dispatch", "unit", "co_units"})
    matter = matter_by_code(payload.matter, field="matter") if payload.matter else None
    case = case_intake(
        by=caller(request),
        matter=matter,
        dispatch=payload.dispatch,
        unit=unit_by_code(payload.unit, field="unit") if payload.unit else None,
        co_units=units_by_code(payload.co_units, field="co_units"),
        **data,
    )
    return Status(201, case_out(fresh_case(case), caller(request)))
