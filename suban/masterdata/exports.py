"""The current master data as rows in the import layout, so an export can be edited and imported back."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.utils import translation

from suban.accounts.models import AccountKind, StaffRole, User
from suban.accounts.roles import Role
from suban.masterdata.columns import COLUMNS, ImportKind
from suban.org.models import GRID_KINDS, SpecialGridKind, Unit, UnitContact, UnitKind

# The short words the templates offer for a unit's kind; the importer reads them back.
KIND_WORDS: dict[str, str] = {
    UnitKind.DISTRICT: "区",
    UnitKind.STREET: "街道",
    UnitKind.COMMUNITY: "社区",
    UnitKind.GRID: "网格",
    UnitKind.SPECIAL_GRID: "专属网格",
    UnitKind.DEPARTMENT: "部门",
}


def chinese_label(choices: type[Role] | type[SpecialGridKind], value: str) -> str:
    if not value:
        return ""
    with translation.override("zh-hans"):
        return str(choices(value).label)


def special_kind_words() -> list[str]:
    return [chinese_label(SpecialGridKind, value) for value in SpecialGridKind.values]


def export_rows(kind: str) -> Iterator[list[str]]:
    """One list of cell texts a row, in the order of the kind's columns; parents come before their children."""
    fields = [column.field for column in COLUMNS[kind]]
    for record in _RECORDS[kind]():
        yield [record.get(name, "") for name in fields]


def _parent_code(unit: Unit) -> str:
    codes = unit.ancestor_codes()
    return codes[-2] if len(codes) > 1 else ""


def _unit_record(unit: Unit) -> dict[str, str]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": KIND_WORDS[unit.kind],
        "parent_code": _parent_code(unit),
        "special_kind": chinese_label(SpecialGridKind, unit.special_kind),
        "address": unit.address,
        "phone": unit.phone,
        "aliases": unit.aliases,
    }


def _units() -> Iterator[dict[str, str]]:
    contacts: dict[int, dict[str, str]] = defaultdict(dict)
    for contact in UnitContact.objects.all():
        contacts[contact.unit_id][contact.kind] = contact.name
        contacts[contact.unit_id][f"{contact.kind}_phone"] = contact.phone
    for unit in Unit.objects.filter(is_active=True).order_by("path"):
        record = _unit_record(unit)
        record.update(contacts[unit.pk])
        yield record


def _grids() -> Iterator[dict[str, str]]:
    for unit in Unit.objects.filter(is_active=True, kind__in=GRID_KINDS).order_by("path"):
        record = _unit_record(unit)
        if unit.boundary is not None:
            record["boundary"] = json.dumps(unit.boundary, ensure_ascii=False, separators=(",", ":"))
        yield record


def _staff() -> Iterator[dict[str, str]]:
    # Admin accounts are kept with create_admin and by the security admin, not in the staff sheet.
    users = (
        User.objects.filter(kind=AccountKind.STAFF, admin_role="", is_active=True)
        .select_related("unit")
        .order_by("unit__path", "username")
    )
    roles: dict[int, list[str]] = defaultdict(list)
    for user_id, role in StaffRole.objects.order_by("role").values_list("user_id", "role"):
        roles[user_id].append(chinese_label(Role, role))
    for user in users:
        yield {
            "username": user.username,
            "name": user.name,
            "unit_code": user.unit.code if user.unit else "",
            "roles": "、".join(roles[user.pk]),
            "phone": user.phone,
        }


_RECORDS: dict[str, Callable[[], Iterator[dict[str, str]]]] = {
    ImportKind.UNITS: _units,
    ImportKind.GRIDS: _grids,
    ImportKind.STAFF: _staff,
}
