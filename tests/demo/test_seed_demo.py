"""python manage.py seed_demo: the demo district, its polygons, its people and its logins."""

from io import StringIO
from itertools import combinations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from shapely.geometry.base import BaseGeometry

from suban.accounts.models import StaffRole, User
from suban.accounts.roles import AdminRole, Role
from suban.audit.verify import audit_verify
from suban.demo import data
from suban.demo.departments import DEPARTMENTS
from suban.org.geometry import parse_boundary
from suban.org.models import ContactKind, Place, Unit, UnitContact, UnitKind


def seed_demo(*args: str) -> str:
    """The command; the demo's cases only where a test asks for them (they take seconds)."""
    if "--cases" not in args:
        args = (*args, "--cases", "0")
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed_demo()


def kinds() -> dict[str, int]:
    return {k: Unit.objects.filter(kind=k).count() for k in UnitKind.values}


def test_it_loads_the_district_its_departments_and_someone_for_every_role(seeded):
    assert kinds() == {
        "district": 1, "street": 5, "community": 20, "grid": 80, "special_grid": len(data.SPECIAL_GRIDS),
        "department": len(DEPARTMENTS),
    }  # fmt: skip
    assert len(DEPARTMENTS) >= 30
    assert len(data.SPECIAL_GRIDS) >= 8
    for dept in Unit.objects.filter(kind=UnitKind.DEPARTMENT):
        assert sorted(dept.contacts.values_list("kind", flat=True)) == sorted(ContactKind.values)
    assert not UnitContact.objects.filter(kind=ContactKind.PERSON).exclude(phone__startswith="1390000").exists()
    special = Unit.objects.filter(kind=UnitKind.SPECIAL_GRID)
    assert not special.filter(special_kind="").exists()
    assert set(special.values_list("parent__kind", flat=True)) == {UnitKind.COMMUNITY, UnitKind.STREET}
    assert Place.objects.count() >= 60
    assert not Place.objects.exclude(unit__kind=UnitKind.GRID).exists()

    def staffed(kind: str, role: str) -> bool:
        return not Unit.objects.filter(kind=kind).exclude(staff__staff_roles__role=role).exists()

    assert staffed(UnitKind.GRID, Role.GRID_WORKER)
    assert staffed(UnitKind.SPECIAL_GRID, Role.GRID_WORKER)
    assert staffed(UnitKind.COMMUNITY, Role.COMMUNITY_HANDLER)
    assert staffed(UnitKind.STREET, Role.STREET_HANDLER)
    assert staffed(UnitKind.STREET, Role.LEADER)
    assert staffed(UnitKind.DEPARTMENT, Role.DEPARTMENT_HANDLER)
    assert StaffRole.objects.filter(role=Role.SPECIALIST).count() >= 5
    assert "gridworker" in seeded and data.PASSWORD in seeded


def _boundaries() -> dict[str, BaseGeometry]:
    units = Unit.objects.exclude(kind=UnitKind.DEPARTMENT)
    assert not units.filter(boundary=None).exists()
    return {u.code: parse_boundary(u.boundary) for u in units}


def test_every_boundary_is_valid_and_lies_inside_its_parent(seeded):
    areas = _boundaries()
    assert len(areas) == 1 + 5 + 20 + 80 + len(data.SPECIAL_GRIDS)
    grids = Unit.objects.filter(kind=UnitKind.GRID).values_list("code", "parent__code", "parent__parent__code")
    for grid, community, street in grids:
        centroid = areas[grid].centroid
        assert areas[community].contains(centroid), grid
        assert areas[street].contains(centroid), grid
    for code, parent in Unit.objects.exclude(kind=UnitKind.DEPARTMENT).values_list("code", "parent__code"):
        if parent is not None:
            # Children are cut from their parent and snapped together: inside it up to a rounding (~0.1 m).
            assert areas[parent].buffer(1e-6).contains(areas[code]), code


def test_siblings_do_not_overlap(seeded):
    for kind in (UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.SPECIAL_GRID):
        by_parent: dict[int | None, list[BaseGeometry]] = {}
        for unit in Unit.objects.filter(kind=kind):
            by_parent.setdefault(unit.parent_id, []).append(parse_boundary(unit.boundary))
        for siblings in by_parent.values():
            for a, b in combinations(siblings, 2):
                assert a.intersection(b).area < 1e-12


def test_special_grids_sit_inside_a_basic_grid(seeded):
    grids = [parse_boundary(g.boundary) for g in Unit.objects.filter(kind=UnitKind.GRID)]
    specials = [parse_boundary(u.boundary) for u in Unit.objects.filter(kind=UnitKind.SPECIAL_GRID)]
    for special in specials:
        assert any(grid.contains(special) for grid in grids)
    for a, b in combinations(specials, 2):
        assert not a.intersects(b)


def test_every_demo_login_works_with_the_demo_password(seeded, client):
    request = RequestFactory().post("/login/")
    for username, _label, unit_name in data.DEMO_LOGINS:
        user = authenticate(request, username=username, password=data.PASSWORD)
        assert isinstance(user, User), username
        assert user.unit is not None and user.unit.name == unit_name
    admins = User.objects.filter(username__in=["admin", "secadmin", "auditor"])
    assert sorted(admins.values_list("admin_role", flat=True)) == sorted(
        [AdminRole.AUDIT, AdminRole.SECURITY, AdminRole.SYSTEM]
    )
    assert not StaffRole.objects.filter(user__in=admins).exists()
    gridworker, specialist = User.objects.get(username="gridworker"), User.objects.get(username="specialist")
    assert gridworker.unit == specialist.unit
    assert gridworker.unit is not None and str(gridworker.unit.parent) == "南窑社区"
    assert User.objects.get(username="gw111").check_password(data.PASSWORD)
    assert client.post("/login/", {"username": "street", "password": data.PASSWORD}).status_code == 302


def test_running_it_again_changes_nothing_and_reset_reloads(seeded, client):
    # A log-in is audited with the account as actor; removing the account must not break the chain.
    assert client.post("/login/", {"username": "gridworker", "password": data.PASSWORD}).status_code == 302
    before = (kinds(), User.objects.count(), UnitContact.objects.count(), Place.objects.count())
    assert "already loaded" in seed_demo()
    assert (kinds(), User.objects.count(), UnitContact.objects.count(), Place.objects.count()) == before
    old_district = Unit.objects.get(code=data.DISTRICT_CODE).pk
    output = seed_demo("--reset")
    assert f"Removed {sum(before[0].values())} demo units, {before[1]} accounts and 0 cases" in output
    assert (kinds(), User.objects.count(), UnitContact.objects.count(), Place.objects.count()) == before
    assert Unit.objects.get(code=data.DISTRICT_CODE).pk != old_district
    assert audit_verify().whole
