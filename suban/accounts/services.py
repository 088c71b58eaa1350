"""Writes to accounts: staff, their roles, the admin roles, citizens."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suban import crypto
from suban.accounts.models import AccountKind, StaffRole, User
from suban.accounts.roles import AdminRole, Role
from suban.audit.services import audit_record
from suban.errors import Conflict, Forbidden, Invalid, full_clean
from suban.org.models import Unit, UnitKind
from suban.org.services import require_perm

# Which roles fit which kind of unit; a role bound elsewhere is a data error, said at once.
ROLE_UNIT_KINDS: dict[str, set[str]] = {
    Role.GRID_WORKER: {UnitKind.GRID, UnitKind.SPECIAL_GRID, UnitKind.COMMUNITY},
    Role.SPECIALIST: {UnitKind.GRID, UnitKind.SPECIAL_GRID, UnitKind.COMMUNITY, UnitKind.STREET, UnitKind.DEPARTMENT},
    Role.COMMUNITY_HANDLER: {UnitKind.COMMUNITY},
    Role.STREET_HANDLER: {UnitKind.STREET},
    Role.DEPARTMENT_HANDLER: {UnitKind.DEPARTMENT},
    Role.DISPATCHER: {UnitKind.DISTRICT},
    Role.SUPERVISOR: {UnitKind.DISTRICT},
    Role.LEADER: {UnitKind.DISTRICT, UnitKind.STREET, UnitKind.DEPARTMENT},
    # A mediator sits in a room of the district, a street or a community, or at a desk of a department.
    Role.MEDIATOR: {UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.DEPARTMENT},
}


def check_roles(roles: Iterable[str], unit: Unit | None) -> list[str]:
    roles = sorted(set(roles))
    for role in roles:
        if role not in Role.values:
            raise Invalid(_("%(role)s is not a role.") % {"role": role}, field="roles")
        if unit is None:
            raise Invalid(_("A staff member with a role must belong to a unit."), field="unit")
        if unit.kind not in ROLE_UNIT_KINDS[role]:
            raise Invalid(
                _("A %(role)s cannot belong to a %(kind)s (%(unit)s).")
                % {"role": Role(role).label, "kind": UnitKind(unit.kind).label, "unit": unit.name},
                field="roles",
            )
    return roles


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None


def staff_create(
    *,
    by: User | AnonymousUser | None,
    username: str,
    name: str,
    unit: Unit | None,
    roles: Iterable[str] = (),
    phone: str = "",
    password: str | None = None,
    admin_role: str = "",
) -> User:
    require_perm(by, "accounts.add_user")
    if admin_role:
        _require_security_admin(by)
        if roles:
            raise Invalid(_("An account with an admin role cannot hold work roles."), field="roles")
    role_list = check_roles(roles, unit)
    user = User(username=username, name=name, unit=unit, kind=AccountKind.STAFF, admin_role=admin_role)
    user.set_phone(phone)
    full_clean(user, exclude=["password", "phone_hash"])
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            StaffRole.objects.bulk_create([StaffRole(user=user, role=r) for r in role_list])
            audit_record(
                action="account.create",
                actor=by,
                target=user,
                detail={"unit": unit.code if unit else None, "roles": role_list, "admin_role": admin_role},
            )
    except IntegrityError:
        raise Conflict(_("The user name or phone number is already taken.")) from None
    return user


def staff_set_roles(
    *, by: User | AnonymousUser | None, user: User, roles: Iterable[str], unit: Unit | None = None
) -> User:
    require_perm(by, "accounts.change_user")
    if user.is_citizen:
        raise Invalid(_("A citizen account holds no staff roles."))
    if user.admin_role and list(roles):
        raise Invalid(_("An account with an admin role cannot hold work roles."), field="roles")
    target_unit = unit if unit is not None else user.unit
    role_list = check_roles(roles, target_unit)
    with transaction.atomic():
        before = sorted(StaffRole.objects.filter(user=user).values_list("role", flat=True))
        if unit is not None and unit != user.unit:
            User.objects.filter(pk=user.pk).update(unit=unit)
            user.unit = unit
        StaffRole.objects.filter(user=user).exclude(role__in=role_list).delete()
        StaffRole.objects.bulk_create(
            [StaffRole(user=user, role=r) for r in role_list if r not in before], ignore_conflicts=True
        )
        audit_record(
            action="account.roles",
            actor=by,
            target=user,
            detail={"before": before, "after": role_list, "unit": target_unit.code if target_unit else None},
        )
    user.__dict__.pop("roles", None)
    return user


def _require_security_admin(by: User | AnonymousUser | None) -> None:
    if by is not None and getattr(by, "admin_role", "") != AdminRole.SECURITY:
        raise Forbidden(_("Only the security admin assigns admin roles."))


def staff_set_admin_role(*, by: User | AnonymousUser | None, user: User, admin_role: str) -> User:
    """Give or take an admin role. One field, so an account holds at most one of the three."""
    _require_security_admin(by)
    if admin_role not in AdminRole.values:
        raise Invalid(_("%(role)s is not an admin role.") % {"role": admin_role}, field="admin_role")
    if by is not None and by.pk == user.pk:
        raise Forbidden(_("No one changes their own admin role."))
    if user.is_citizen:
        raise Invalid(_("A citizen account cannot hold an admin role."))
    with transaction.atomic():
        if admin_role:
            StaffRole.objects.filter(user=user).delete()
        before = user.admin_role
        User.objects.filter(pk=user.pk).update(admin_role=admin_role)
        user.admin_role = admin_role
        audit_record(action="account.admin_role", actor=by, target=user, detail={"before": before, "after": admin_role})
    user.__dict__.pop("roles", None)
    return user


def account_set_password(*, by: User | AnonymousUser | None, user: User, password: str) -> User:
    if by is not None and by.pk != user.pk:
        require_perm(by, "accounts.change_user")
    _validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password=user.password)
        audit_record(action="account.password", actor=by, target=user)
    return user


def account_set_active(*, by: User | AnonymousUser | None, user: User, active: bool) -> User:
    require_perm(by, "accounts.change_user")
    if by is not None and by.pk == user.pk:
        raise Forbidden(_("No one disables their own account."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        audit_record(action="account.enable" if active else "account.disable", actor=by, target=user)
    return user


def citizen_for_phone(phone: str) -> User:
    """The citizen account for a mobile number, created on first use (log-in by SMS code finds it here)."""
    mobile = crypto.normalize_mobile(phone)
    digest = crypto.lookup_hash(mobile)
    existing = User.objects.filter(phone_hash=digest).first()
    if existing is not None:
        if not existing.is_citizen:
            raise Conflict(_("This phone number belongs to a staff account."))
        return existing
    user = User(username=f"c_{digest[:24]}", kind=AccountKind.CITIZEN)
    user.set_phone(mobile)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            audit_record(action="account.citizen_create", actor=None, target=user)
    except IntegrityError:
        # Two first log-ins at once: the other one created it.
        return User.objects.get(phone_hash=digest)
    return user


def staff_update(
    *, by: User | AnonymousUser | None, user: User, name: str | None = None, phone: str | None = None
) -> User:
    require_perm(by, "accounts.change_user")
    changed = []
    if name is not None and name != user.name:
        user.name = name
        changed.append("name")
    if phone is not None and phone != user.phone:
        user.set_phone(phone)
        changed.append("phone")
    if not changed:
        return user
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(
                name=user.name, phone_hash=user.phone_hash, phone_encrypted=user.phone_encrypted
            )
            audit_record(action="account.update", actor=by, target=user, detail={"changed": changed})
    except IntegrityError:
        raise Conflict(_("The phone number is already taken.")) from None
    return user
