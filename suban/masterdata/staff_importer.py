"""Importing staff accounts: user name, name, unit, roles, phone and an initial password for new accounts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suban import crypto
from suban.accounts.models import AccountKind, StaffRole, User
from suban.accounts.services import check_roles, staff_create, staff_set_roles, staff_update
from suban.errors import Invalid
from suban.masterdata.base import CREATED, UNCHANGED, UPDATED, Importer, RowProblems
from suban.masterdata.cells import parse_roles
from suban.masterdata.columns import STAFF_COLUMNS
from suban.masterdata.readers import Row
from suban.org.models import Unit


@dataclass
class StaffPlan:
    row: int
    username: str
    existing: User | None
    name: str = ""  # "" keeps the current name
    unit: Unit | None = None  # None keeps the current unit
    roles: list[str] | None = None  # None keeps the current roles
    phone: str = ""  # normalised; "" keeps the current phone
    password: str = ""  # only for new accounts


class StaffImporter(Importer[StaffPlan]):
    columns = STAFF_COLUMNS
    error_fields = {"unit": "unit_code"}

    def prepare(self) -> None:
        usernames = {row.get("username") for row in self.table.rows} - {""}
        self.users: dict[str, User] = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.current_roles: dict[int, list[str]] = defaultdict(list)
        for user_id, role in StaffRole.objects.filter(user__in=self.users.values()).values_list("user_id", "role"):
            self.current_roles[user_id].append(role)
        self.units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
        hashes = set()
        for row in self.table.rows:
            try:
                hashes.add(crypto.lookup_hash(crypto.normalize_phone(row.get("phone"))))
            except Invalid:
                continue
        owners = User.objects.filter(phone_hash__in=hashes).values_list("phone_hash", "username")
        self.phone_owners: dict[str, str] = {digest: username for digest, username in owners if digest}
        self.seen_usernames: set[str] = set()
        self.seen_phones: dict[str, int] = {}

    # --- checking

    def plan_row(self, row: Row, problems: RowProblems) -> StaffPlan | None:
        username = row.get("username")
        if not username:
            problems.add("username", _("A user name is needed."))
            return None
        if username in self.seen_usernames:
            problems.add(
                "username", _("The user name %(name)s is already used on an earlier row.") % {"name": username}
            )
            return None
        self.seen_usernames.add(username)
        existing = self.users.get(username)
        if existing is not None and existing.is_citizen:
            problems.add("username", _("%(name)s is a citizen account.") % {"name": username})
            return None
        plan = StaffPlan(row=row.number, username=username, existing=existing, name=row.get("name"))
        if not plan.name and existing is None:
            problems.add("name", _("A name is needed."))
        plan.unit = self._unit(row, existing, problems)
        plan.roles = self._roles(row, existing, plan.unit, problems)
        plan.phone = self._phone(row, username, problems)
        if row.get("password") and existing is None:
            plan.password = row.get("password")
            self._check_password(plan, problems)
        self._model_checks(plan, problems)
        return plan

    def _unit(self, row: Row, existing: User | None, problems: RowProblems) -> Unit | None:
        code = row.get("unit_code")
        if not code:
            if existing is None:
                problems.add("unit_code", _("A unit is needed."))
            return None
        unit = self.units.get(code)
        if unit is None:
            problems.add("unit_code", _("No unit has the code %(code)s.") % {"code": code})
        elif not unit.is_active:
            problems.add("unit_code", _("The unit %(unit)s is deactivated.") % {"unit": unit.name})
        return unit

    def _roles(self, row: Row, existing: User | None, unit: Unit | None, problems: RowProblems) -> list[str] | None:
        roles: list[str] | None = None
        if row.get("roles"):
            with problems.catch("roles"):
                roles = parse_roles(row.get("roles"))
        if problems.fields & {"roles", "unit_code"}:
            return roles
        if existing is not None and existing.admin_role and roles:
            problems.add("roles", _("An account with an admin role cannot hold work roles."))
            return roles
        current = self.current_roles.get(existing.pk, []) if existing is not None else []
        target_unit = unit or (existing.unit if existing is not None else None)
        with problems.catch():
            check_roles(roles if roles is not None else current, target_unit)
        return roles

    def _phone(self, row: Row, username: str, problems: RowProblems) -> str:
        if not row.get("phone"):
            return ""
        try:
            phone = crypto.normalize_phone(row.get("phone"))
        except Invalid as exc:
            problems.add("phone", exc.message)
            return ""
        digest = crypto.lookup_hash(phone)
        if digest in self.seen_phones:
            problems.add("phone", _("The same phone number is on row %(row)d.") % {"row": self.seen_phones[digest]})
        elif self.phone_owners.get(digest, username) != username:
            problems.add("phone", _("This phone number belongs to another account."))
        self.seen_phones[digest] = problems.row.number
        return phone

    def _check_password(self, plan: StaffPlan, problems: RowProblems) -> None:
        try:
            validate_password(plan.password, User(username=plan.username, name=plan.name))
        except ValidationError as exc:
            problems.add("password", " ".join(exc.messages))

    def _model_checks(self, plan: StaffPlan, problems: RowProblems) -> None:
        user = User(username=plan.username, name=plan.name or "-", kind=AccountKind.STAFF)
        checked = {"name"} if plan.existing is not None else {"username", "name"}
        exclude = [f.name for f in User._meta.get_fields() if f.name not in checked - problems.fields]
        try:
            user.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.add_validation_error(exc)

    # --- writing

    def write_plan(self, plan: StaffPlan) -> str:
        if plan.existing is None:
            staff_create(
                by=self.by,
                username=plan.username,
                name=plan.name,
                unit=plan.unit,
                roles=plan.roles or [],
                phone=plan.phone,
                password=plan.password or None,
            )
            return CREATED
        user = User.objects.get(pk=plan.existing.pk)
        name = plan.name if plan.name and plan.name != user.name else None
        phone = plan.phone if plan.phone and plan.phone != user.phone else None
        if name is not None or phone is not None:
            staff_update(by=self.by, user=user, name=name, phone=phone)
        current = sorted(user.staff_roles.values_list("role", flat=True))
        roles = plan.roles if plan.roles is not None else current
        unit = plan.unit if plan.unit is not None and plan.unit.pk != user.unit_id else None
        if unit is not None or roles != current:
            staff_set_roles(by=self.by, user=user, roles=roles, unit=unit)
        return UPDATED if name or phone or unit or roles != current else UNCHANGED
