"""The assessment tests use the cases' cast and frozen clock, plus one handler for every unit of the org."""

from __future__ import annotations

from typing import Any

import pytest

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.assess.models import CaseAssessment, MatterDay, UnitDay
from suban.assess.services import rebuild
from suban.catalogue.models import Matter
from suban.org.models import Unit, UnitKind
from tests.cases.conftest import _fresh_caches, calendar_2027
from tests.conftest import PASSWORD, Cast

__all__ = ["_fresh_caches", "calendar_2027"]

ROLE_OF_KIND = {
    UnitKind.GRID: Role.GRID_WORKER,
    UnitKind.SPECIAL_GRID: Role.GRID_WORKER,
    UnitKind.COMMUNITY: Role.COMMUNITY_HANDLER,
    UnitKind.STREET: Role.STREET_HANDLER,
    UnitKind.DEPARTMENT: Role.DEPARTMENT_HANDLER,
}


@pytest.fixture
def handlers(cast: Cast, org: dict[str, Unit]) -> dict[str, Any]:
    """handlers[unit code] -> a handler of that unit (the cast's where there is one)."""
    found = {
        p.unit.code: p
        for p in cast.everyone().values()
        if not p.is_citizen and p.unit_id and p.roles & set(ROLE_OF_KIND.values())
    }
    for code, unit in org.items():
        if code not in found and unit.kind in ROLE_OF_KIND:
            found[code] = staff_create(
                by=None,
                username=f"h-{code.lower()}",
                name=f"Handler {code}",
                unit=unit,
                roles=[ROLE_OF_KIND[unit.kind]],
                password=PASSWORD,
            )
    return found


@pytest.fixture
def matters(db: Any) -> dict[str, Matter]:
    top = Matter.objects.create(code="T01", name="城乡建设", full_name="城乡建设", level=1)
    light = Matter.objects.create(code="T0101", name="路灯", full_name="城乡建设 / 路灯", level=2, parent=top)
    noise = Matter.objects.create(code="T02", name="噪音扰民", full_name="噪音扰民", level=1)
    return {"top": top, "light": light, "noise": noise}


def rollup_state() -> dict[str, Any]:
    """The roll-ups and rows as comparable data; all-zero roll-up rows (left by deltas) do not count."""
    skip = {"id"}
    units = {
        (r["unit_id"], r["day"]): {k: v for k, v in r.items() if k not in skip | {"unit_id", "day"}}
        for r in UnitDay.objects.values()
    }
    units = {k: v for k, v in units.items() if any(x for n, x in v.items() if n != "kind")}
    matters = {
        (r["day"], r["street_id"], r["matter_id"]): {
            k: v for k, v in r.items() if k not in skip | {"day", "street_id", "matter_id"}
        }
        for r in MatterDay.objects.values()
    }
    matters = {k: v for k, v in matters.items() if any(v.values())}
    rows = {r["case_id"]: {k: v for k, v in r.items() if k != "updated_at"} for r in CaseAssessment.objects.values()}
    return {"units": units, "matters": matters, "rows": rows}


def assert_rebuild_agrees() -> None:
    incremental = rollup_state()
    rebuild()
    recomputed = rollup_state()
    assert incremental["rows"] == recomputed["rows"]
    assert incremental["units"] == recomputed["units"]
    assert incremental["matters"] == recomputed["matters"]
