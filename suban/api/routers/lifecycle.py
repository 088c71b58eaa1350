from typing import Any

from django.http import HttpRequest
from ninja import Router

from suban.api.schemas.common import errors
from suban.api.schemas.lifecycle import LifecycleOut, StatusOut, TransitionOut
from suban.api.table import ENDPOINTS
from suban.cases.lifecycle import TABLE, Actor
from suban.cases.models import Status

router = Router(tags=["lifecycle"])


@router.get(
    "/lifecycle",
    response={200: LifecycleOut, **errors()},
    summary="The lifecycle table: who may do what, when",
    operation_id="lifecycle",
)
def lifecycle(request: HttpRequest) -> Any:
    endpoint_of = {name: slug for slug, names in ENDPOINTS.items() for name in names}
    base = request.path.removesuffix("lifecycle")  # where the API is mounted, e.g. /api/
    return LifecycleOut(
        statuses=[StatusOut(value=s.value, label=str(s.label)) for s in Status],
        actors=[a.value for a in Actor],
        transitions=[
            TransitionOut(
                action=t.action,
                sources=[s for s in Status.values if s in t.sources],
                targets=sorted(t.targets),
                actors=[a.value for a in Actor if a in t.actors],
                endpoint=f"{base}cases/{{number}}/actions/{endpoint_of[t.action]}" if t.action in endpoint_of else None,
            )
            for t in TABLE
        ],
        endpoints={slug: list(names) for slug, names in ENDPOINTS.items()},
    )
