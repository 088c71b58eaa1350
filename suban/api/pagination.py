from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Counting every match of a district-wide list of millions of cases costs more than the page itself; past
# this many the count stops and says so (count_exact false), as large APIs do.
COUNT_CAP = 10_000
# Past this no one pages by offset, and the database's 64-bit OFFSET is far off (a larger one was a 500).
MAX_OFFSET = 1_000_000_000


class LimitOffset(LimitOffsetPagination):
    """limit/offset with a ceiling; a larger limit is refused (400) rather than silently cut."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"how many match: exact up to {COUNT_CAP:,} or to the page asked for")
        count_exact: bool = Field(description="false when there are more than `count`")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any) -> Any:
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        cap = max(COUNT_CAP, offset + limit)
        counted = queryset.order_by()[: cap + 1].count()
        return {
            "items": queryset[offset : offset + limit],
            "count": min(counted, cap),
            "count_exact": counted <= cap,
        }
