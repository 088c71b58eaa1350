"""Cases and co-handlers keep copies of their units' paths (for prefix-indexed scoping); a unit's move rewrites
them in the same transaction, one UPDATE per column over the indexed prefix."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Value
from django.db.models.functions import Concat, Substr

from suban.cases.models import Case, CoHandler


def _rewrite(model: type[Model], field: str, old_path: str, new_path: str) -> int:
    return model._default_manager.filter(**{f"{field}__startswith": old_path}).update(
        **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
    )


def follow_unit_move(sender: Any, *, old_path: str, new_path: str, **kwargs: Any) -> None:
    _rewrite(Case, "unit_path", old_path, new_path)
    _rewrite(Case, "area_path", old_path, new_path)
    _rewrite(Case, "complained_path", old_path, new_path)
    _rewrite(CoHandler, "unit_path", old_path, new_path)
