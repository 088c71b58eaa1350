"""Reading cases and submitting one."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from suban.api.auth import caller
from suban.api.filters import LIST_RELATED, filter_cases
from suban.api.pagination import LimitOffset
from suban.api.presenters import case_out, events_out
from suban.api.schemas.cases import (
    CaseBatchIn,
    CaseBatchOut,
    CaseFilters,
    CaseItem,
    CaseOut,
    CaseSubmitIn,
    EventOut,
)
from suban.api.schemas.common import ErrorOut, errors
from suban.api.throttles import reads, writes
from suban.cases.models import Case
from suban.cases.selectors import cases_visible_to, fresh_case, visible_case
from suban.cases.services import MAX_ORDERS, OrderError, OrdersInvalid, intake_many, intake_one
from suban.catalogue.models import Matter
from suban.catalogue.selectors import matter_by_code
from suban.org.models import Unit
from suban.org.selectors import unit_by_code, units_by_code

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


@router.get(
    "", response={200: list[CaseItem], **errors()}, summary="List the cases within your reach", operation_id="case_list"
)
@paginate(LimitOffset)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    qs = cases_visible_to(caller(request)).select_related(*LIST_RELATED).only(*LIST_FIELDS)
    return filter_cases(qs, filters)


BATCH_DESCRIPTION = f"""Up to {MAX_ORDERS} work orders in one call (a 12345 hotline's batch), each exactly as the
body of `POST /api/cases` (with `"dispatch": true` accepted and dispatched at once, by the responsibility list or
to `unit`). Every order is checked first, against the same rules and your reach; if any cannot be taken in, the
answer is 422 and nothing is written. Its `error.details` lists every problem:
`[{{"index": 3, "code": "invalid", "field": "unit", "message": "..."}}]` (`index` from 0; unknown unit or
matter codes are reported before the other checks). A malformed body (a missing title, a wrong type) is a 400
as everywhere, its `field` naming the order (`orders.3.title`).

An order whose `source_ref` a case of the same channel already carries is not taken in again: its result is
that case with `"created": false` (a hotline that retries a batch)."""


# Before "/{number}": the path "batch" would be taken for a case number.
@router.post(
    "/batch",
    response={200: CaseBatchOut, 422: ErrorOut, **errors(403)},
    summary="Take in many work orders at once, all or none",
    description=BATCH_DESCRIPTION,
    operation_id="case_submit_batch",
    throttle=[reads, writes],
)
def submit_batch(request: HttpRequest, payload: CaseBatchIn) -> Any:
    user = caller(request)
    units, matters = _codes(payload)
    problems: list[OrderError] = []
    orders = []
    for index, item in enumerate(payload.orders):
        # An empty matter, unit or complained unit means none; a co-unit is always a code.
        named = [
            (f, c)
            for f, c in (("matter", item.matter), ("unit", item.unit), ("complained_unit", item.complained_unit))
            if c
        ]
        named += [("co_units", c) for c in item.co_units]
        missing = [(f, c) for f, c in named if c not in (matters if f == "matter" else units)]
        for field, code in missing:
            if field == "matter":
                message = _("There is no matter with the code %(code)s.") % {"code": code}
            else:
                message = _("There is no unit with the code %(code)s.") % {"code": code}
            problems.append(OrderError(index, "invalid", message, field))
        if missing:
            continue
        order = item.model_dump(exclude={"matter", "unit", "co_units", "complained_unit"})
        order["matter"] = matters[item.matter] if item.matter else None
        order["unit"] = units[item.unit] if item.unit else None
        order["complained_unit"] = units[item.complained_unit] if item.complained_unit else None
        order["co_units"] = [units[c] for c in dict.fromkeys(item.co_units)]
        orders.append(order)
    if problems:
        raise OrdersInvalid(problems)
    taken = intake_many(by=user, orders=orders)
    return {
        "created": sum(t.created for t in taken),
        "results": [
            {
                "index": index,
                "number": t.case.number,
                "status": t.case.status,
                "unit": t.case.unit,
                "due_at": t.case.due_at,
                "source_ref": t.case.source_ref,
                "created": t.created,
            }
            for index, t in enumerate(taken)
        ],
    }


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


SUBMIT_DESCRIPTION = """201 with the new case. 200 with the case already made, when the request is one taken in
before: a work order whose `source_ref` a case of the same channel carries (a hotline that retries), or a
citizen's own request sent again with the same title and text within `REPEAT_WINDOW_MINUTES` (10 by default) of
the first (the H5 does the same)."""


@router.post(
    "",
    response={201: CaseOut, 200: CaseOut, **errors(403)},
    summary="Submit a request (the dispatch centre may accept and dispatch it at once)",
    description=SUBMIT_DESCRIPTION,
    operation_id="case_submit",
    throttle=[reads, writes],
)
def submit_case(request: HttpRequest, payload: CaseSubmitIn) -> Any:
    data = payload.model_dump(exclude={"matter", "dispatch", "unit", "co_units", "complained_unit"})
    matter = matter_by_code(payload.matter, field="matter") if payload.matter else None
    complained = payload.complained_unit
    taken = intake_one(
        by=caller(request),
        matter=matter,
        complained_unit=unit_by_code(complained, field="complained_unit") if complained else None,
        dispatch=payload.dispatch,
        unit=unit_by_code(payload.unit, field="unit") if payload.unit else None,
        co_units=units_by_code(payload.co_units, field="co_units"),
        **data,
    )
    return Status(201 if taken.created else 200, case_out(fresh_case(taken.case), caller(request)))


def _codes(payload: CaseBatchIn) -> tuple[dict[str, Unit], dict[str, Matter]]:
    """The units and the (active) matters the orders name by code, each kind in one query."""
    unit_codes = {c for item in payload.orders for c in [item.unit, item.complained_unit, *item.co_units] if c}
    matter_codes = {item.matter for item in payload.orders if item.matter}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)} if unit_codes else {}
    matters = {m.code: m for m in Matter.objects.filter(code__in=matter_codes, is_active=True)} if matter_codes else {}
    return units, matters
