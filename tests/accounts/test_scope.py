"""Reach: a street sees its own, a department its own cases, a citizen only theirs."""

import pytest

from suban.accounts.selectors import staff_visible_to, units_visible_to
from suban.cases.models import Case, Status
from suban.cases.selectors import cases_visible_to


@pytest.fixture
def cases(org, cast):
    def case(number, unit, grid=None, citizen=None):
        """A case dispatched to `unit`, placed in `grid`."""
        place = org[grid] if grid else None
        return Case.objects.create(
            number=number,
            title=number,
            status=Status.DISPATCHED,
            unit=org[unit],
            unit_path=org[unit].path,
            grid=place,
            area_path=place.path if place else "",
            citizen=citizen,
        )

    return {
        "east": case("E1", "S1C1", "S1C1G1", cast.cindy),
        "east_grid2": case("E2", "S1C1", "S1C1G2"),
        "west": case("W1", "S2C1", "S2C1G1", cast.chen),
        "dept_in_east": case("D1", "DEPT1", "S1C2G1", cast.cindy),
        "dept2": case("D2", "DEPT2", None),
    }


def numbers(qs):
    return sorted(qs.values_list("number", flat=True))


def test_the_dispatcher_reaches_the_whole_district(cast, cases):
    assert numbers(cases_visible_to(cast.dora)) == ["D1", "D2", "E1", "E2", "W1"]


def test_it_rejects_other_streets_case(cast, cases):
    assert "W1" not in numbers(cases_visible_to(cast.alice))
    assert numbers(cases_visible_to(cast.bob)) == ["W1"]


def test_a_street_sees_department_cases_located_in_its_grids(cast, cases):
    assert numbers(cases_visible_to(cast.alice)) == ["D1", "E1", "E2"]


def test_a_department_sees_only_its_own_cases(cast, cases):
    assert numbers(cases_visible_to(cast.dan)) == ["D1"]


def test_a_grid_worker_sees_only_the_cases_of_their_grid(cast, cases):
    assert numbers(cases_visible_to(cast.gary)) == ["E1"]


def test_a_citizen_sees_only_their_own_requests(cast, cases):
    assert numbers(cases_visible_to(cast.cindy)) == ["D1", "E1"]
    assert numbers(cases_visible_to(cast.chen)) == ["W1"]


def test_admin_roles_reach_no_case(cast, cases):
    for name in ("sysadmin", "secadmin", "auditor"):
        assert numbers(cases_visible_to(cast[name])) == []


def test_a_disabled_account_reaches_nothing(cast, cases):
    alice = cast.alice
    alice.is_active = False
    assert numbers(cases_visible_to(alice)) == []


def test_a_street_handler_sees_only_their_streets_units_and_staff(cast, org):
    codes = set(units_visible_to(cast.alice).values_list("code", flat=True))
    assert codes == {"S1", "S1C1", "S1C2", "S1C1G1", "S1C1G2", "S1C2G1", "S1C1X"}
    staff = set(staff_visible_to(cast.alice).values_list("username", flat=True))
    assert staff == {"alice", "carol", "gary"}


def test_a_citizen_sees_no_staff_or_units(cast):
    assert not units_visible_to(cast.cindy).exists()
    assert not staff_visible_to(cast.cindy).exists()


def test_a_co_handling_unit_sees_the_case_it_was_whistled_into(cast, cases, org):
    from suban.cases.models import CoHandler

    CoHandler.objects.create(case=cases["west"], unit=org["DEPT2"], unit_path=org["DEPT2"].path)
    assert "W1" not in numbers(cases_visible_to(cast.dan))
    from suban.accounts.services import staff_create

    other = staff_create(by=None, username="dee", name="Dee", unit=org["DEPT2"], roles=["department_handler"])
    assert numbers(cases_visible_to(other)) == ["D2", "W1"]
