from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from suban.api.pagination import LimitOffset
from suban.api.schemas.catalogue import MatterFilters, MatterOut
from suban.api.schemas.common import errors
from suban.catalogue.models import Matter

router = Router(tags=["catalogue"])


@router.get(
    "",
    response={200: list[MatterOut], **errors()},
    summary="The matter catalogue (事项清单)",
    operation_id="matter_list",
)
@paginate(LimitOffset)
def list_matters(request: HttpRequest, filters: Query[MatterFilters]) -> QuerySet[Matter]:
    qs = Matter.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    if filters.q and filters.q.strip():
        words = filters.q.strip()
        qs = qs.filter(Q(name__icontains=words) | Q(full_name__icontains=words) | Q(keywords__icontains=words))
    return qs
