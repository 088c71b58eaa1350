"""Where a case goes: the responsibility list, the start level by type, and the escalation ladder."""

from __future__ import annotations

from django.utils.translation import gettext as _

from suban.cases.models import Case
from suban.catalogue.models import CaseType, Level, Matter, Responsibility, StartLevel
from suban.errors import Invalid
from suban.fingerprint_cache import FingerprintCache
from suban.org.directory import directory
from suban.org.models import Unit, UnitKind

DEFAULT_START: dict[str, str] = {CaseType.LIVELIHOOD: Level.COMMUNITY, CaseType.DEVELOPMENT: Level.STREET}
FALLBACK_START: str = Level.STREET

LEVEL_OF_KIND: dict[str, str] = {
    UnitKind.GRID: Level.GRID,
    UnitKind.SPECIAL_GRID: Level.GRID,
    UnitKind.COMMUNITY: Level.COMMUNITY,
    UnitKind.STREET: Level.STREET,
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.DISTRICT: Level.DISTRICT,
}
KIND_OF_LEVEL: dict[str, str] = {
    Level.GRID: UnitKind.GRID,
    Level.COMMUNITY: UnitKind.COMMUNITY,
    Level.STREET: UnitKind.STREET,
    Level.DISTRICT: UnitKind.DISTRICT,
}


def level_of(unit: Unit) -> str:
    return LEVEL_OF_KIND[unit.kind]


def responsibility_for(matter: Matter | None) -> Responsibility | None:
    """The matter's own row, or the nearest ancestor's."""
    seen = 0
    while matter is not None and seen < 10:
        found = Responsibility.objects.filter(matter=matter).select_related("department").first()
        if found is not None:
            return found
        matter = matter.parent
        seen += 1
    return None


def _start_levels() -> tuple[tuple[str, str], ...]:
    return tuple(StartLevel.objects.order_by("case_type").values_list("case_type", "level"))


# The few start-level rows, read again only when they changed (the table is its own fingerprint).
_start_level_cache: FingerprintCache[dict[str, str]] = FingerprintCache(lambda: dict(_start_levels()), _start_levels)


def start_level(case: Case, responsibility: Responsibility | None) -> str:
    if responsibility is not None and responsibility.start_level:
        return responsibility.start_level
    configured = _start_level_cache.get().get(case.case_type)
    return configured or DEFAULT_START.get(case.case_type, FALLBACK_START)


def route(case: Case) -> Unit:
    """The lead unit the responsibility list gives for this case, or Invalid saying why there is none.

    A complaint about the staff of a unit never goes to that unit or one under it: where the list names one of
    them, the case goes to the unit above the one complained about (a community's staff answer to their street);
    above a department or a street there is only the district, and the dispatch centre chooses by hand."""
    lead = _listed(case)
    complained = case.complained_unit
    if complained is None or not lead.path.startswith(complained.path):
        return lead
    above = directory().get(complained.parent_id) if complained.parent_id is not None else None
    if above is None or above.kind == UnitKind.DISTRICT:
        raise Invalid(
            _("The request complains about the staff of %(unit)s, which the list names: choose the unit by hand.")
            % {"unit": complained.name},
            field="unit",
        )
    return above


def _listed(case: Case) -> Unit:
    responsibility = responsibility_for(case.matter)
    if (
        responsibility is not None
        and responsibility.department is not None
        and responsibility.start_level in ("", Level.DEPARTMENT)
    ):
        return responsibility.department
    level = start_level(case, responsibility)
    if level == Level.DEPARTMENT:
        raise Invalid(_("The matter goes to a department, but the responsibility list names none."), field="unit")
    if case.grid is None:
        raise Invalid(_("The case has no place on the grid: choose the unit by hand."), field="unit")
    if level == Level.GRID:
        return case.grid
    # The nearest unit at the start level or above it: a special grid that sits straight under a street has
    # no community, so a livelihood case there starts at the street.
    ladder: list[str] = [Level.COMMUNITY, Level.STREET, Level.DISTRICT]
    ancestor = None
    units = directory()
    for rung in ladder[ladder.index(level) :] if level in ladder else [level]:
        ancestor = units.ancestor_of_kind(case.grid, KIND_OF_LEVEL[rung])
        if ancestor is not None:
            break
    if ancestor is None:
        raise Invalid(_("The case's grid lies under no %(level)s.") % {"level": Level(level).label}, field="unit")
    return ancestor


def next_up(unit: Unit) -> Unit:
    """One rung up the ladder: grid → community (or street) → street → district; a department → district."""
    parent = unit.parent
    while parent is not None and parent.kind not in (UnitKind.COMMUNITY, UnitKind.STREET, UnitKind.DISTRICT):
        parent = parent.parent
    if parent is None:
        raise Invalid(_("%(unit)s is at the top: there is no level above it.") % {"unit": unit.name}, field="unit")
    return parent


def district_of(unit: Unit | None) -> Unit:
    """The district at the root of `unit`'s path; without a unit, the first district."""
    units = directory()
    found = units.root_of(unit) if unit is not None else None
    if found is not None and found.kind == UnitKind.DISTRICT:
        return found
    if not units.districts:
        raise Invalid(_("There is no district yet: load the organisation first."))
    return units.districts[0]
