from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from suban.accounts.scope import reach_of
from suban.api.auth import caller
from suban.api.schemas.common import errors
from suban.api.schemas.me import InboxCounts, MeOut
from suban.api.selectors import EXTENSION_DECIDERS, extension_requests, inbox_counts, inbox_scope
from suban.cases.visibility import unit_dict
from suban.errors import Forbidden

router = Router(tags=["me"])


@router.get(
    "/me", response={200: MeOut, **errors()}, summary="Who you are, your roles and your reach", operation_id="me"
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    reach = reach_of(user)
    return {
        "username": user.username,
        "name": user.name,
        "kind": user.kind,
        "roles": sorted(user.roles),
        "admin_role": user.admin_role,
        "unit": unit_dict(user.unit),
        "phone": user.masked_phone,
        "reach": {
            "unit": unit_dict(user.unit) if reach.unit_path is not None else None,
            "own_cases_only": reach.citizen_id is not None,
        },
    }


@router.get(
    "/inbox/counts",
    response={200: InboxCounts, **errors(403)},
    summary="How many cases wait for you, by state",
    operation_id="inbox_counts",
)
def counts(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    if user.is_citizen or not user.roles:
        raise Forbidden(_("Only staff with a work role have an inbox."))
    return {
        "scope": inbox_scope(user),
        "unit": unit_dict(user.unit),
        **inbox_counts(user),
        "extension_asked": extension_requests(user).count() if user.roles & EXTENSION_DECIDERS else None,
    }
