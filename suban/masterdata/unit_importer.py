"""Importing the unit tree (units file) and grids with their boundaries (grids file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suban.masterdata.base import CREATED, UNCHANGED, UPDATED, Importer, RowProblems
from suban.masterdata.cells import (
    check_office_phone,
    parse_aliases,
    parse_boundary_text,
    parse_special_kind,
    parse_unit_kind,
)
from suban.masterdata.columns import CONTACT_KINDS, GRID_COLUMNS, UNIT_COLUMNS
from suban.masterdata.readers import Row
from suban.org.models import GRID_KINDS, SpecialGridKind, Unit, UnitContact, UnitKind
from suban.org.services import check_parent, unit_create, unit_set_boundary, unit_set_contact, unit_update

MODEL_FIELDS = ("code", "name", "kind", "special_kind", "address", "phone", "aliases")


@dataclass
class UnitPlan:
    row: int
    code: str
    kind: str
    existing: Unit | None
    parent_code: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # name, special_kind, address, phone, aliases as given
    boundary: dict[str, Any] | None = None
    contacts: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # kind -> (name, phone)


def _labels(choices: Any, values: Any = None) -> str:
    return "、".join(str(label) for value, label in choices.choices if values is None or value in values)


class UnitImporter(Importer[UnitPlan]):
    columns = UNIT_COLUMNS
    kinds: ClassVar[tuple[str, ...]] = tuple(UnitKind.values)
    error_fields = {"parent": "parent_code"}

    def prepare(self) -> None:
        self.units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
        self.contact_keys = set(UnitContact.objects.values_list("unit__code", "kind"))
        self.first_rows: dict[str, int] = {}
        for row in self.table.rows:
            self.first_rows.setdefault(row.get("code"), row.number)
        # Units of the rows checked so far, as they will be; None where the row is too broken to tell.
        self.planned: dict[str, Unit | None] = {}
        self.written: dict[str, Unit] = {}

    # --- checking

    def plan_row(self, row: Row, problems: RowProblems) -> UnitPlan | None:
        code = row.get("code")
        if not code:
            problems.add("code", _("A code is needed."))
            return None
        if code in self.planned:
            problems.add("code", _("The code %(code)s is already used on an earlier row.") % {"code": code})
            return None
        existing = self.units.get(code)
        kind = self._kind(row, existing, problems)
        plan = UnitPlan(row=row.number, code=code, kind=kind or "", existing=existing)
        plan.parent_code = self._parent(row, existing, kind, problems)
        plan.fields = self._fields(row, existing, kind, problems)
        plan.boundary = self._boundary(row, problems)
        plan.contacts = self._contacts(row, code, kind, problems)
        self._model_checks(plan, problems)
        planned = Unit(code=code, kind=kind, name=plan.fields.get("name", "")) if kind else None
        self.planned[code] = existing or planned
        return plan

    def default_kind(self, row: Row) -> str | None:
        return None

    def _kind(self, row: Row, existing: Unit | None, problems: RowProblems) -> str | None:
        text = row.get("kind")
        kind = parse_unit_kind(text) if text else self.default_kind(row) if existing is None else existing.kind
        if text and kind is None:
            problems.add(
                "kind",
                _("%(kind)s is not a kind of unit; use one of: %(kinds)s.")
                % {"kind": text, "kinds": "、".join(["区", "街道", "镇", "社区", "村", "网格", "专属网格", "部门"])},
            )
            return None
        if kind is None:
            problems.add("kind", _("A kind is needed."))
            return None
        if kind not in self.kinds:
            problems.add("kind", _("This file takes only: %(kinds)s.") % {"kinds": _labels(UnitKind, self.kinds)})
            return None
        if existing is not None and kind != existing.kind:
            problems.add(
                "kind",
                _("%(code)s is a %(kind)s; its kind cannot change.")
                % {"code": existing.code, "kind": existing.get_kind_display()},
            )
            return None
        return kind

    def _parent(self, row: Row, existing: Unit | None, kind: str | None, problems: RowProblems) -> str:
        code, parent_code = row.get("code"), row.get("parent_code")
        if existing is not None:
            codes = existing.ancestor_codes()
            current = codes[-2] if len(codes) > 1 else ""
            if parent_code and parent_code != current:
                problems.add(
                    "parent_code",
                    _("%(code)s sits under %(current)s; move it in the admin, not by an import.")
                    % {"code": code, "current": current or _("nothing")},
                )
            return current
        parent: Unit | None = None
        if parent_code:
            if parent_code == code:
                problems.add("parent_code", _("A unit cannot sit under itself."))
                return parent_code
            if parent_code in self.planned:
                parent = self.planned[parent_code]
                if parent is None:
                    return parent_code  # the parent's own row is wrong: said there
            elif parent_code in self.units:
                parent = self.units[parent_code]
            elif self.first_rows.get(parent_code, 0) > row.number:
                problems.add(
                    "parent_code",
                    _("%(code)s comes on a later row (%(row)d); put parents above their children.")
                    % {"code": parent_code, "row": self.first_rows[parent_code]},
                )
                return parent_code
            else:
                problems.add("parent_code", _("No unit has the code %(code)s.") % {"code": parent_code})
                return parent_code
        if kind:
            with problems.catch("parent_code"):
                check_parent(kind, parent)
        return parent_code

    def _fields(self, row: Row, existing: Unit | None, kind: str | None, problems: RowProblems) -> dict[str, str]:
        fields: dict[str, str] = {}
        if row.get("name"):
            fields["name"] = row.get("name")
        elif existing is None:
            problems.add("name", _("A name is needed."))
        if row.get("special_kind"):
            special = parse_special_kind(row.get("special_kind"))
            if special is None:
                problems.add(
                    "special_kind",
                    _("%(kind)s is not a special grid kind; use one of: %(kinds)s.")
                    % {"kind": row.get("special_kind"), "kinds": _labels(SpecialGridKind)},
                )
            elif kind and kind != UnitKind.SPECIAL_GRID:
                problems.add("special_kind", _("Only special grids have a special grid kind."))
            else:
                fields["special_kind"] = special
        if row.get("address"):
            fields["address"] = row.get("address")
        if row.get("phone"):
            with problems.catch("phone"):
                fields["phone"] = check_office_phone(row.get("phone"))
        if row.get("aliases"):
            fields["aliases"] = parse_aliases(row.get("aliases"))
        return fields

    def _boundary(self, row: Row, problems: RowProblems) -> dict[str, Any] | None:
        if not row.get("boundary"):
            return None
        with problems.catch("boundary"):
            return parse_boundary_text(row.get("boundary"))
        return None

    def _contacts(
        self, row: Row, code: str, kind: str | None, problems: RowProblems
    ) -> dict[str, tuple[str, str | None]]:
        contacts: dict[str, tuple[str, str | None]] = {}
        for contact_kind in CONTACT_KINDS:
            name, phone = row.get(contact_kind), row.get(f"{contact_kind}_phone")
            if not name and not phone:
                continue
            if kind and kind != UnitKind.DEPARTMENT:
                where = contact_kind if name else f"{contact_kind}_phone"
                problems.add(where, _("Only departments have 1+1+1 contacts."))
                continue
            if phone:
                with problems.catch(f"{contact_kind}_phone"):
                    check_office_phone(phone)
            if not name and (code, contact_kind) not in self.contact_keys:
                problems.add(contact_kind, _("The contact needs a name."))
            try:
                UnitContact(kind=contact_kind, name=name or "-", phone=phone).full_clean(
                    exclude=["unit"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    problems.add(contact_kind if key == "name" else f"{contact_kind}_phone", " ".join(messages))
            contacts[contact_kind] = (name, phone or None)
        return contacts

    def _model_checks(self, plan: UnitPlan, problems: RowProblems) -> None:
        """Lengths, code format and choices, as the model states them."""
        unit = Unit(code=plan.code, kind=plan.kind)
        if plan.existing is not None:
            unit.name = plan.existing.name
        for key, value in plan.fields.items():
            setattr(unit, key, value)
        checked = {"code", *plan.fields} if plan.kind else {"code"}
        exclude = [f.name for f in Unit._meta.get_fields() if f.name not in checked - problems.fields]
        try:
            unit.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.add_validation_error(exc)

    # --- writing

    def write_plan(self, plan: UnitPlan) -> str:
        fields = dict(plan.fields)
        if plan.existing is None:
            parent = self._unit(plan.parent_code) if plan.parent_code else None
            unit = unit_create(
                by=self.by,
                code=plan.code,
                name=fields.pop("name"),
                kind=plan.kind,
                parent=parent,
                boundary=plan.boundary,
                **fields,
            )
            self.written[unit.code] = unit
            self._write_contacts(unit, plan)
            return CREATED
        unit = Unit.objects.get(pk=plan.existing.pk)
        changes = {key: value for key, value in fields.items() if getattr(unit, key) != value}
        if changes:
            unit_update(by=self.by, unit=unit, **changes)
        boundary_changed = plan.boundary is not None and plan.boundary != unit.boundary
        if boundary_changed:
            unit_set_boundary(by=self.by, unit=unit, boundary=plan.boundary)
        contacts_changed = self._write_contacts(unit, plan)
        return UPDATED if changes or boundary_changed or contacts_changed else UNCHANGED

    def _unit(self, code: str) -> Unit:
        return self.written.get(code) or Unit.objects.get(code=code)

    def _write_contacts(self, unit: Unit, plan: UnitPlan) -> bool:
        changed = False
        for contact_kind, (name, phone) in plan.contacts.items():
            changed |= unit_set_contact(by=self.by, unit=unit, kind=contact_kind, name=name, phone=phone)
        return changed


class GridImporter(UnitImporter):
    """Grids and special grids with their boundaries; a row without a kind is a grid, or a special one if it has
    a special grid kind."""

    columns = GRID_COLUMNS
    kinds = tuple(GRID_KINDS)

    def default_kind(self, row: Row) -> str | None:
        return UnitKind.SPECIAL_GRID if row.get("special_kind") else UnitKind.GRID
