"""The hotline exchange (12345 and other systems): push work orders, pull their results, export them in the
source's layout. Token only: these are calls of another system, not of a person in the console."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from suban.api.auth import TokenAuth, caller
from suban.api.schemas.common import Input, errors
from suban.api.throttles import reads, writes
from suban.errors import Invalid
from suban.exchange.orders import push_orders
from suban.exchange.results import export_csv, export_xlsx, result_of, results_since
from suban.exchange.sources import plan_of, source_named

router = Router(tags=["exchange"], auth=[TokenAuth()])

MAX_PUSH = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PushIn(Input):
    orders: list[dict[str, Any]] = Field(
        ...,
        description="Work orders keyed by the source's own field names (its saved mapping translates them; "
        "without one, by ours: order_id, title, text, phone, address, longitude, latitude, matter, nature, ...).",
    )


class OrderResultOut(Schema):
    order_id: str
    result: Literal["created", "duplicate", "error"]
    case_number: str
    message: str
    field: str | None = None


class PushOut(Schema):
    created: int
    duplicates: int
    errors: int
    results: list[OrderResultOut]


class ResultOut(Schema):
    order_id: str
    case_number: str
    status: str
    reply: str
    replied_at: datetime | None
    closed_at: datetime | None
    satisfaction: str
    updated_at: str = Field(..., description="ISO 8601 with microseconds: the cursor of the next pull.")


class NextPage(Schema):
    updated_after: str
    after_number: str


class ResultsOut(Schema):
    results: list[ResultOut]
    next: NextPage | None


class ResultFilters(Schema):
    updated_after: datetime | None = Field(None, description="Only orders changed after this moment.")
    after_number: str = Field("", description="With updated_after: page on after this case number.")
    limit: int = Field(200, ge=1, le=500)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@router.post(
    "/{source}/orders",
    response={200: PushOut, **errors(403, 404)},
    summary="Push work orders: each is answered created, duplicate (a second delivery) or error",
    operation_id="exchange_push",
    throttle=[reads, writes],
)
def push(request: HttpRequest, source: str, payload: PushIn, mapping: str = "") -> Any:
    if len(payload.orders) > MAX_PUSH:
        raise Invalid(_("Push at most %(n)d orders at a time.") % {"n": MAX_PUSH}, field="orders")
    found = source_named(source)
    plan = plan_of(found, mapping)
    orders = [{str(k): _cell(v) for k, v in order.items()} for order in payload.orders]
    results = push_orders(source=found, plan=plan, orders=orders, by=caller(request))
    return {
        "created": sum(1 for r in results if r.result == "created"),
        "duplicates": sum(1 for r in results if r.result == "duplicate"),
        "errors": sum(1 for r in results if r.result == "error"),
        "results": [r.__dict__ for r in results],
    }


@router.get(
    "/{source}/results",
    response={200: ResultsOut, **errors(403, 404)},
    summary="Pull the results of the orders the source pushed (status, reply, times, satisfaction)",
    operation_id="exchange_results",
)
def results(request: HttpRequest, source: str, filters: Query[ResultFilters]) -> Any:
    cases = results_since(
        source=source_named(source),
        by=caller(request),
        updated_after=filters.updated_after,
        after_number=filters.after_number,
        limit=filters.limit,
    )
    last = cases[-1] if len(cases) == filters.limit else None
    return {
        "results": [result_of(c) for c in cases],
        "next": {"updated_after": last.updated_at.isoformat(), "after_number": last.number}
        if last is not None
        else None,
    }


@router.get(
    "/{source}/export",
    response={200: None, **errors(403, 404)},
    summary="The source's orders and their results as a file in the source's own layout",
    operation_id="exchange_export",
)
def export(request: HttpRequest, source: str, format: Literal["csv", "xlsx"] = "xlsx", mapping: str = "") -> Any:
    found = source_named(source)
    plan = plan_of(found, mapping)
    user = caller(request)
    if format == "csv":
        response = HttpResponse(export_csv(found, plan, user), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(export_xlsx(found, plan, user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{found.name}.{format}")
    return response
