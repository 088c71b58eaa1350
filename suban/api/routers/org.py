from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from suban.accounts.selectors import units_visible_to
from suban.api.auth import caller
from suban.api.pagination import LimitOffset
from suban.api.schemas.common import errors
from suban.api.schemas.org import UnitFilters, UnitOut
from suban.org.models import Unit
from suban.org.selectors import unit_by_code

router = Router(tags=["organisation"])


@router.get(
    "", response={200: list[UnitOut], **errors()}, summary="The units within your reach", operation_id="unit_list"
)
@paginate(LimitOffset)
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> QuerySet[Unit]:
    qs = units_visible_to(caller(request)).defer("boundary").order_by("path")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.under:
        qs = qs.filter(path__startswith=unit_by_code(filters.under, field="under").path)
    if filters.q and filters.q.strip():
        qs = qs.filter(name__icontains=filters.q.strip())
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs
