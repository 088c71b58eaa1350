from __future__ import annotations

from ninja import Field, Schema

from suban.org.models import Unit, UnitKind


class UnitOut(Schema):
    code: str
    name: str
    kind: UnitKind
    special_kind: str
    parent: str | None = Field(description="the parent unit's code")
    path: str
    depth: int
    is_active: bool

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        codes = obj.ancestor_codes()
        return codes[-2] if len(codes) > 1 else None


class UnitFilters(Schema):
    kind: UnitKind | None = None
    under: str | None = Field(None, description="a unit's code: it and every unit below it")
    q: str | None = Field(None, max_length=50, description="in the name")
    active: bool | None = None
