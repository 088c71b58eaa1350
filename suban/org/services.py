"""Writes to the organisation. Each checks who acts, validates, changes and records it in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.audit.services import audit_record
from suban.errors import Forbidden, Invalid, full_clean
from suban.org.geometry import parse_boundary, to_geojson
from suban.org.models import ALLOWED_PARENTS, ContactKind, Unit, UnitContact, UnitKind
from suban.org.signals import unit_moved


def require_perm(by: AbstractUser | AnonymousUser | None, perm: str) -> None:
    """`by=None` is the system itself (a command run by the operator); anyone else needs the permission."""
    if by is not None and not by.has_perm(perm):
        raise Forbidden(_("You are not allowed to do this."))


def check_parent(kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        names = ", ".join(str(UnitKind(k).label) if k else _("none (top level)") for k in allowed)
        raise Invalid(
            _("A %(kind)s cannot sit under %(parent)s; allowed: %(allowed)s.")
            % {
                "kind": UnitKind(kind).label,
                "parent": parent.name if parent is not None else _("nothing"),
                "allowed": names,
            },
            field="parent",
        )


def _full_clean(unit: Unit) -> None:
    full_clean(unit, exclude=["path", "depth"])


def unit_create(
    *,
    by: AbstractUser | AnonymousUser | None,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    boundary: dict[str, Any] | None = None,
    **fields: Any,
) -> Unit:
    require_perm(by, "org.add_unit")
    check_parent(kind, parent)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, **fields)
    unit.path = (parent.path if parent else "/") + code + "/"
    unit.depth = parent.depth + 1 if parent else 0
    if boundary is not None:
        unit.boundary = to_geojson(parse_boundary(boundary))
        unit.boundary_updated_at = timezone.now()
    _full_clean(unit)
    with transaction.atomic():
        unit.save()
        audit_record(action="unit.create", actor=by, target=unit, detail={"code": code, "kind": kind})
    return unit


def unit_update(*, by: AbstractUser | AnonymousUser | None, unit: Unit, **fields: Any) -> Unit:
    """Change a unit's plain fields (name, address, aliases ...). Moving and boundaries have their own."""
    require_perm(by, "org.change_unit")
    forbidden = {"code", "kind", "parent", "path", "depth", "boundary"} & fields.keys()
    if forbidden:
        raise Invalid(_("Use the dedicated action to change %(fields)s.") % {"fields": ", ".join(sorted(forbidden))})
    changed = {k: v for k, v in fields.items() if getattr(unit, k) != v}
    for key, value in changed.items():
        setattr(unit, key, value)
    _full_clean(unit)
    with transaction.atomic():
        unit.save()
        audit_record(action="unit.update", actor=by, target=unit, detail={"changed": sorted(changed)})
    return unit


def unit_move(*, by: AbstractUser | AnonymousUser | None, unit: Unit, parent: Unit) -> Unit:
    """Put a unit (and its subtree) under another parent; the paths below it follow in one UPDATE."""
    require_perm(by, "org.change_unit")
    if parent.path.startswith(unit.path):
        raise Invalid(_("A unit cannot move under itself or its own subtree."), field="parent")
    check_parent(unit.kind, parent)
    old_path, new_path = unit.path, parent.path + unit.code + "/"
    depth_change = parent.depth + 1 - unit.depth
    with transaction.atomic():
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
            updated_at=timezone.now(),
        )
        Unit.objects.filter(pk=unit.pk).update(parent=parent)
        unit_moved.send(sender=Unit, old_path=old_path, new_path=new_path)
        audit_record(action="unit.move", actor=by, target=unit, detail={"from": old_path, "to": new_path})
    unit.refresh_from_db()
    return unit


def unit_set_boundary(*, by: AbstractUser | AnonymousUser | None, unit: Unit, boundary: dict[str, Any] | None) -> Unit:
    require_perm(by, "org.change_unit")
    unit.boundary = to_geojson(parse_boundary(boundary)) if boundary is not None else None
    unit.boundary_updated_at = timezone.now()
    with transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(
            boundary=unit.boundary, boundary_updated_at=unit.boundary_updated_at, updated_at=timezone.now()
        )
        audit_record(action="unit.boundary", actor=by, target=unit)
    return unit


def unit_deactivate(*, by: AbstractUser | AnonymousUser | None, unit: Unit) -> Unit:
    require_perm(by, "org.change_unit")
    with transaction.atomic():
        Unit.objects.filter(path__startswith=unit.path).update(is_active=False, updated_at=timezone.now())
        audit_record(action="unit.deactivate", actor=by, target=unit)
    unit.refresh_from_db()
    return unit


def unit_set_contact(
    *, by: AbstractUser | AnonymousUser | None, unit: Unit, kind: str, name: str = "", phone: str | None = None
) -> bool:
    """Set the leader, section or person of a department's 1+1+1; an empty name keeps the current one.

    Returns whether anything changed.
    """
    if kind not in ContactKind.values:
        raise Invalid(_("%(kind)s is not a 1+1+1 contact.") % {"kind": kind}, field="kind")
    if unit.kind != UnitKind.DEPARTMENT:
        raise Invalid(_("Only departments have 1+1+1 contacts."), field=kind)
    contact = UnitContact.objects.filter(unit=unit, kind=kind).first()
    require_perm(by, "org.change_unitcontact" if contact else "org.add_unitcontact")
    if contact is None:
        if not name:
            raise Invalid(_("The contact needs a name."), field=kind)
        contact = UnitContact(unit=unit, kind=kind)
    changed = {}
    if name and name != contact.name:
        changed["name"] = name
    if phone is not None and phone != contact.phone:
        changed["phone"] = phone
    if not changed and contact.pk:
        return False
    for key, value in changed.items():
        setattr(contact, key, value)
    full_clean(contact, exclude=["unit"], field=kind)
    with transaction.atomic():
        contact.save()
        audit_record(action="unit.contact", actor=by, target=unit, detail={"kind": kind, "changed": sorted(changed)})
    return True
