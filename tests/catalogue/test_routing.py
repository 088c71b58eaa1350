"""The responsibility list and the start levels decide where suban.cases.routing.route sends a case."""

from __future__ import annotations

from typing import Any

import pytest

from suban.audit.models import AuditEntry
from suban.cases.models import Case
from suban.cases.routing import responsibility_for, route
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.catalogue.models import CaseType, Level, Matter, StartLevel
from suban.catalogue.services import responsibility_set
from suban.errors import Forbidden, Invalid
from suban.org.grid_index import invalidate_grid_index
from suban.org.models import UnitKind
from suban.org.services import unit_create
from tests.conftest import Cast, square

MUNICIPAL = "城乡建设 / 城市建设和市政管理"


def submit(cast: Cast, **fields: Any) -> Case:
    """Cindy's request inside 东一社区第一网格 (S1C1G1)."""
    return case_submit(by=cast.cindy, title="路灯不亮", longitude=120.008, latitude=36.008, **fields)


def test_a_matter_without_a_row_uses_the_nearest_ancestors(catalogue, org):
    top = responsibility_set(by=None, matter=catalogue["城乡建设"], department=org["DEPT2"])
    middle = responsibility_set(by=None, matter=catalogue[MUNICIPAL], start_level=Level.STREET)
    assert responsibility_for(catalogue[f"{MUNICIPAL} / 城管执法"]) == middle
    assert responsibility_for(catalogue[MUNICIPAL]) == middle
    assert responsibility_for(catalogue["城乡建设 / 安全生产 / 事故处理"]) == top
    assert responsibility_for(catalogue["民政 / 优抚 / 其他"]) is None
    assert responsibility_for(None) is None


def test_a_matter_with_a_department_goes_to_it(cast, org):
    matter = Matter.objects.create(code="99", name="占道经营", full_name="占道经营")
    responsibility_set(by=None, matter=matter, start_level=Level.DEPARTMENT, department=org["DEPT1"])
    case = submit(cast, matter=matter)
    assert route(case) == org["DEPT1"]
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    assert (case.unit, case.level) == (org["DEPT1"], Level.DEPARTMENT)


def test_a_livelihood_case_without_matter_goes_to_the_community_of_its_grid(cast, org):
    case = submit(cast)
    assert case.case_type == CaseType.LIVELIHOOD and case.grid == org["S1C1G1"]
    assert route(case) == org["S1C1"]


def test_a_livelihood_case_in_a_special_grid_under_a_street_goes_to_the_street(cast, org):
    park = unit_create(
        by=None,
        code="S2X",
        name="西区产业园",
        kind=UnitKind.SPECIAL_GRID,
        parent=org["S2"],
        special_kind="enterprise",
        boundary=square(119.95, 36.00),
    )
    invalidate_grid_index()
    case = case_submit(by=cast.cindy, title="园区路灯不亮", longitude=119.955, latitude=36.005)
    assert case.case_type == CaseType.LIVELIHOOD and case.grid == park
    assert route(case) == org["S2"]


def test_a_development_case_goes_to_the_street(cast, org):
    assert route(submit(cast, case_type=CaseType.DEVELOPMENT)) == org["S1"]


def test_the_start_level_by_type_is_honoured(cast, org):
    # The defaults come with the migrations: 民生 at the community, 发展 and 执法 at the street.
    assert dict(StartLevel.objects.values_list("case_type", "level")) == {
        CaseType.LIVELIHOOD: Level.COMMUNITY,
        CaseType.DEVELOPMENT: Level.STREET,
        CaseType.ENFORCEMENT: Level.STREET,
    }
    StartLevel.objects.filter(case_type=CaseType.LIVELIHOOD).update(level=Level.STREET)
    assert route(submit(cast)) == org["S1"]
    StartLevel.objects.filter(case_type=CaseType.LIVELIHOOD).update(level=Level.GRID)
    assert route(submit(cast)) == org["S1C1G1"]
    StartLevel.objects.filter(case_type=CaseType.DEVELOPMENT).update(level=Level.COMMUNITY)
    assert route(submit(cast, case_type=CaseType.DEVELOPMENT)) == org["S1C1"]
    StartLevel.objects.all().delete()  # without rows, the built-in defaults
    assert route(submit(cast)) == org["S1C1"]
    assert route(submit(cast, case_type=CaseType.ENFORCEMENT)) == org["S1"]


def test_a_community_row_below_a_department_row_wins(catalogue, cast, org):
    responsibility_set(by=None, matter=catalogue["城乡建设"], department=org["DEPT2"])
    responsibility_set(by=None, matter=catalogue[f"{MUNICIPAL} / 小区管理"], start_level=Level.COMMUNITY)
    assert route(submit(cast, matter=catalogue[f"{MUNICIPAL} / 小区管理"])) == org["S1C1"]
    assert route(submit(cast, matter=catalogue[f"{MUNICIPAL} / 城管执法"])) == org["DEPT2"]
    # A row with a start level but no department, for a matter of the default type: the row's level counts.
    assert (
        route(submit(cast, matter=catalogue[f"{MUNICIPAL} / 小区管理"], case_type=CaseType.DEVELOPMENT))
        == (org["S1C1"])
    )


def test_a_street_row_naming_the_competent_department_starts_at_the_street(catalogue, cast, org):
    responsibility_set(by=None, matter=catalogue[MUNICIPAL], start_level=Level.STREET, department=org["DEPT1"])
    assert route(submit(cast, matter=catalogue[f"{MUNICIPAL} / 环境卫生"])) == org["S1"]


def test_without_a_place_the_dispatcher_chooses(cast):
    case = case_submit(by=cast.cindy, title="无地址")
    with pytest.raises(Invalid):
        route(case)


def test_responsibility_rows_are_checked_and_audited(catalogue, cast, org):
    matter = catalogue["环境保护"]
    with pytest.raises(Invalid):
        responsibility_set(by=None, matter=matter, start_level=Level.DEPARTMENT)
    with pytest.raises(Invalid):
        responsibility_set(by=None, matter=matter, department=org["S1"])
    with pytest.raises(Invalid):  # the dispatch refuses the district itself
        responsibility_set(by=None, matter=matter, start_level=Level.DISTRICT)
    with pytest.raises(Forbidden):
        responsibility_set(by=cast.auditor, matter=matter, department=org["DEPT1"])
    row = responsibility_set(by=cast.sysadmin, matter=matter, department=org["DEPT1"])
    again = responsibility_set(by=cast.sysadmin, matter=matter, department=org["DEPT1"])
    assert again.pk == row.pk
    assert AuditEntry.objects.filter(action="responsibility.set", target_id=str(row.pk)).count() == 1
