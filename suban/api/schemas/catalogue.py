from __future__ import annotations

from ninja import Field, Schema

from suban.catalogue.models import Matter


class MatterOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    parent: str | None
    keywords: str

    @staticmethod
    def resolve_parent(obj: Matter) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class MatterFilters(Schema):
    level: int | None = Field(None, ge=1, le=5)
    parent: str | None = Field(None, description="the parent matter's code")
    q: str | None = Field(None, max_length=50, description="in the name, full name or keywords")
