"""The demo's matter catalogue (the contest taxonomy) and its responsibility list."""

from __future__ import annotations

from django.db.models import Q

from suban.catalogue.models import Matter, Responsibility
from suban.catalogue.services import SEPARATOR, LoadResult, catalogue_load, responsibility_set
from suban.catalogue.taxonomy import demo_path, read_taxonomy
from suban.demo import data
from suban.demo.responsibilities import DUTIES
from suban.errors import Invalid
from suban.org.models import Unit, UnitKind

DEMO_PATH = f"/{data.DISTRICT_CODE}/"


def load_catalogue() -> LoadResult:
    """The taxonomy from ../shared when it is there, otherwise the packaged copy; idempotent."""
    path = demo_path()
    return catalogue_load(by=None, rows=read_taxonomy(path), source=path.name)


def seed_responsibilities() -> int:
    """Write the demo responsibility list (idempotent); how many rows it holds."""
    departments = {
        u.name: u for u in Unit.objects.filter(path__startswith=DEMO_PATH, kind=UnitKind.DEPARTMENT, is_active=True)
    }
    matters = {m.full_name: m for m in Matter.objects.filter(full_name__in=[_full(d.matter) for d in DUTIES])}
    for duty in DUTIES:
        matter = matters.get(_full(duty.matter))
        if matter is None:
            raise Invalid(f"The catalogue has no matter {duty.matter}: load the taxonomy first.")
        department = departments.get(duty.department) if duty.department else None
        if duty.department and department is None:
            raise Invalid(f"The demo district has no department {duty.department}.")
        responsibility_set(by=None, matter=matter, start_level=duty.start_level, department=department)
    return len(DUTIES)


def clear_responsibilities() -> int:
    """Remove the demo's rows: those naming a demo department, and the list's rows that name none."""
    demo_matters = [_full(d.matter) for d in DUTIES]
    rows = Responsibility.objects.filter(
        Q(department__path__startswith=DEMO_PATH) | Q(department=None, matter__full_name__in=demo_matters)
    )
    return rows.delete()[1].get(Responsibility._meta.label, 0)


def _full(path: str) -> str:
    return SEPARATOR.join(path.split("/"))
