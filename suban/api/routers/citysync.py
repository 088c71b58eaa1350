"""Updates from the city platform (青诉即办 and the like) on our cases: POST /api/citysync/updates.

Not authenticated by a token or a session but by the signature of the platform's webhook (see
suban/citysync/README.md); the body is read only once the signature holds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import pydantic
from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema
from ninja.errors import ValidationError

from suban.api.schemas.common import Input, errors
from suban.citysync.incoming import ACTIONS, Update, apply_update, source_for
from suban.citysync.signing import SIGNATURE_HEADER, SOURCE_HEADER, TIMESTAMP_HEADER

router = Router(tags=["city platform"])

REPLAYED_HEADER = "Idempotent-Replayed"


class UpdateIn(Input):
    update_id: str = Field(
        min_length=1, max_length=64, description="the platform's id of this update; sent again, it is applied once"
    )
    case: str = Field(max_length=20, description="our case number")
    action: str = Field(description="one of: " + ", ".join(ACTIONS))
    version: int | None = Field(
        None, ge=0, description="the case's version the platform last saw; 409 when it has changed"
    )
    note: str = Field("", max_length=5000, description="the order, the comment, the reason, the visit's comment")
    days: Decimal | None = Field(None, gt=0, le=30, multiple_of=0.5, description="supervise: working days to act")
    unit: str = Field("", max_length=40, description="raise_level: the code of the higher unit or department")
    satisfaction: Literal["satisfied", "basically", "unsatisfied"] | None = Field(None, description="visit_result")
    resolved: bool | None = Field(None, description="visit_result")


class UpdateCaseOut(Schema):
    number: str
    status: str
    version: int


class UpdateOut(Schema):
    update_id: str
    result: str
    action: str
    case: UpdateCaseOut


@router.post(
    "/updates",
    auth=None,
    response={200: UpdateOut, **errors(403, 404, 409)},
    summary="Apply an update of the city platform to one of our cases, once",
    operation_id="citysync_update",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": UpdateIn.model_json_schema()}}},
        "parameters": [
            {"in": "header", "name": SOURCE_HEADER, "required": True, "schema": {"type": "string"}},
            {"in": "header", "name": TIMESTAMP_HEADER, "required": True, "schema": {"type": "string"}},
            {"in": "header", "name": SIGNATURE_HEADER, "required": True, "schema": {"type": "string"}},
        ],
    },
)
def receive_update(request: HttpRequest) -> Any:
    raw = request.body
    source = source_for(
        request.headers.get(SOURCE_HEADER, ""),
        request.headers.get(TIMESTAMP_HEADER, ""),
        request.headers.get(SIGNATURE_HEADER, ""),
        raw,
    )
    try:
        data = UpdateIn.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise ValidationError([dict(e) for e in exc.errors(include_url=False)]) from None
    fields = data.model_dump()
    fields["satisfaction"] = fields["satisfaction"] or ""
    answer = apply_update(source=source, update=Update(**fields))
    response = JsonResponse(answer.body, status=answer.status, json_dumps_params={"ensure_ascii": False})
    if answer.replayed:
        response[REPLAYED_HEADER] = "true"
    return response
