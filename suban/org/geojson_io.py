"""Grids in and out as a GeoJSON FeatureCollection.

Import checks every feature before it writes anything; if one is wrong, nothing is written and each
problem is reported with its feature's number and code. Writes go through org.services, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from suban.errors import DomainError, Invalid, NotFound
from suban.org.geometry import parse_boundary, to_geojson
from suban.org.models import ALLOWED_PARENTS, GRID_KINDS, SpecialGridKind, Unit, UnitKind, code_validator
from suban.org.services import require_perm, unit_create, unit_set_boundary, unit_update

NAME_MAX = Unit._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class FeatureError:
    index: int | None  # 0-based feature number; None for a problem with the file itself
    code: str
    message: str

    def __str__(self) -> str:
        if self.index is None:
            return self.message
        return _("Feature %(number)s (%(code)s): %(message)s") % {
            "number": self.index + 1,
            "code": self.code or "-",
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[FeatureError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


@dataclass
class _Row:
    """One checked feature, ready to write."""

    index: int
    code: str
    name: str
    kind: str
    special_kind: str
    parent_code: str | None
    boundary: dict[str, Any] | None
    existing: Unit | None


def units_for_export(*, under: str | None = None, all_kinds: bool = False) -> QuerySet[Unit]:
    """Active grids (or, with all_kinds, every active unit) in the subtree of the unit coded `under`."""
    qs = Unit.objects.filter(is_active=True)
    if not all_kinds:
        qs = qs.filter(kind__in=GRID_KINDS)
    if under:
        root = Unit.objects.filter(code=under).first()
        if root is None:
            raise NotFound(_("There is no unit with the code %(code)s.") % {"code": under}, field="under")
        qs = qs.filter(path__startswith=root.path)
    return qs


def grids_export(units_qs: QuerySet[Unit]) -> dict[str, Any]:
    """A FeatureCollection of the units, parents before children, so that it imports back in order."""
    units = list(units_qs.select_related("parent").order_by("path"))
    features = [
        {
            "type": "Feature",
            "geometry": unit.boundary,
            "properties": {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "special_kind": unit.special_kind,
                "parent_code": unit.parent.code if unit.parent else None,
                "parent_name": unit.parent.name if unit.parent else None,
            },
        }
        for unit in units
    ]
    return {"type": "FeatureCollection", "features": features}


def _load(data: dict[str, Any] | bytes | str) -> list[Any]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(_("The file is not UTF-8 text.")) from None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise Invalid(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise Invalid(_("The file is not a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise Invalid(_("The FeatureCollection has no list of features."))
    if not features:
        raise Invalid(_("The FeatureCollection has no features."))
    return features


def _text(props: dict[str, Any], key: str) -> str:
    value = props.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise Invalid(_("Property %(key)s must be text.") % {"key": key})
    return str(value).strip()


def _check_feature(index: int, feature: Any, seen: dict[str, _Row], units: dict[str, Unit]) -> _Row:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise Invalid(_("This is not a GeoJSON Feature."))
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise Invalid(_("The feature has no properties."))
    code = _text(props, "code")
    if not code:
        raise Invalid(_("The property code is missing."))
    try:
        code_validator(code)
    except ValidationError as exc:
        raise Invalid(f"code: {' '.join(exc.messages)}") from None
    if code in seen:
        raise Invalid(_("The code %(code)s appears twice in the file.") % {"code": code})
    existing = units.get(code)
    name = _text(props, "name") or (existing.name if existing else "")
    if not name:
        raise Invalid(_("The property name is missing."))
    if len(name) > NAME_MAX:
        raise Invalid(_("The name is longer than %(max)d characters.") % {"max": NAME_MAX})
    kind = _text(props, "kind") or (existing.kind if existing else UnitKind.GRID)
    if kind not in UnitKind.values:
        raise Invalid(_("Unknown kind %(kind)s.") % {"kind": kind})
    special_kind = _text(props, "special_kind")
    if special_kind and special_kind not in SpecialGridKind.values:
        raise Invalid(_("Unknown special grid kind %(kind)s.") % {"kind": special_kind})
    if special_kind and kind != UnitKind.SPECIAL_GRID:
        raise Invalid(_("Only a special grid has a special grid kind."))
    parent_code = _text(props, "parent_code") or None
    parent_kind: str | None = None
    if parent_code is not None:
        if parent_code in seen:
            parent_kind = seen[parent_code].kind
        elif parent_code in units:
            parent_kind = units[parent_code].kind
        else:
            raise Invalid(
                _("The parent %(code)s neither exists nor comes earlier in the file.") % {"code": parent_code}
            )
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise Invalid(
            _("A %(kind)s cannot sit under %(parent)s.")
            % {"kind": UnitKind(kind).label, "parent": UnitKind(parent_kind).label if parent_kind else _("nothing")}
        )
    if existing is not None:
        if existing.kind != kind:
            raise Invalid(_("The unit exists as a %(kind)s; import does not change kinds.") % {"kind": existing.kind})
        current_parent = existing.parent.code if existing.parent else None
        if current_parent != parent_code:
            raise Invalid(
                _("The unit exists under %(parent)s; import does not move units.") % {"parent": current_parent or "-"}
            )
    geometry = feature.get("geometry")
    boundary = to_geojson(parse_boundary(geometry)) if geometry is not None else None
    return _Row(index, code, name, kind, special_kind, parent_code, boundary, existing)


def _same_boundary(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    if old is None:
        return False
    try:
        return bool(shapely.equals(parse_boundary(old), parse_boundary(new)))
    except DomainError:
        return False


class _RowFailed(Exception):
    def __init__(self, row: _Row, error: DomainError) -> None:
        super().__init__(error.message)
        self.row, self.error = row, error


def _write(by: AbstractUser | AnonymousUser | None, rows: list[_Row], result: ImportResult) -> None:
    created: dict[str, Unit] = {}
    for row in rows:
        try:
            _write_row(by, row, created, result)
        except DomainError as exc:
            raise _RowFailed(row, exc) from exc


def _write_row(
    by: AbstractUser | AnonymousUser | None, row: _Row, created: dict[str, Unit], result: ImportResult
) -> None:
    if row.existing is None:
        parent = None
        if row.parent_code is not None:
            parent = created.get(row.parent_code) or Unit.objects.get(code=row.parent_code)
        extra = {"special_kind": row.special_kind} if row.special_kind else {}
        created[row.code] = unit_create(
            by=by, code=row.code, name=row.name, kind=row.kind, parent=parent, boundary=row.boundary, **extra
        )
        result.created.append(row.code)
        return
    unit, changed = row.existing, False
    fields = {"name": row.name, "special_kind": row.special_kind}
    if any(getattr(unit, k) != v for k, v in fields.items()):
        unit_update(by=by, unit=unit, **fields)
        changed = True
    # A feature without geometry leaves the boundary as it is.
    if row.boundary is not None and not _same_boundary(unit.boundary, row.boundary):
        unit_set_boundary(by=by, unit=unit, boundary=row.boundary)
        changed = True
    (result.updated if changed else result.unchanged).append(row.code)


def grids_import(*, by: AbstractUser | AnonymousUser | None, data: dict[str, Any] | bytes | str) -> ImportResult:
    """Create or update units from a FeatureCollection; all or nothing. Raises Forbidden without permission."""
    require_perm(by, "org.change_unit")
    result = ImportResult()
    try:
        features = _load(data)
    except Invalid as exc:
        result.errors.append(FeatureError(None, "", exc.message))
        return result
    codes = {_feature_code(f) for f in features} - {""}
    parent_codes = {_feature_code(f, "parent_code") for f in features} - {""}
    units = _units_by_code(codes | parent_codes)
    rows: list[_Row] = []
    seen: dict[str, _Row] = {}
    for index, feature in enumerate(features):
        try:
            row = _check_feature(index, feature, seen, units)
        except DomainError as exc:
            result.errors.append(FeatureError(index, _feature_code(feature), exc.message))
            continue
        seen[row.code] = row
        rows.append(row)
    if result.errors:
        return result
    if any(row.existing is None for row in rows):
        require_perm(by, "org.add_unit")
    try:
        with transaction.atomic():
            _write(by, rows, result)
    except _RowFailed as exc:  # checked above, so only a race with another writer gets here
        return ImportResult(errors=[FeatureError(exc.row.index, exc.row.code, exc.error.message)])
    return result


def _units_by_code(codes: set[str], chunk: int = 500) -> dict[str, Unit]:
    wanted = sorted(codes)
    units: dict[str, Unit] = {}
    for start in range(0, len(wanted), chunk):
        batch = wanted[start : start + chunk]
        units.update((u.code, u) for u in Unit.objects.select_related("parent").filter(code__in=batch))
    return units


def _feature_code(feature: Any, key: str = "code") -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    value = props.get(key) if isinstance(props, dict) else None
    return str(value).strip() if isinstance(value, str | int) else ""
