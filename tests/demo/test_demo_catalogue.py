"""seed_demo loads the matter catalogue and the demo district's responsibility list, and routes by them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from suban.accounts.models import User
from suban.cases.models import Case
from suban.cases.routing import route
from suban.cases.services import case_submit
from suban.catalogue.models import Level, Matter, Responsibility
from suban.demo import data
from suban.demo.responsibilities import DUTIES
from suban.org.geometry import parse_boundary
from suban.org.grid_index import invalidate_grid_index
from suban.org.models import Unit, UnitKind


def seed_demo(*args: str) -> str:
    """The command; the demo's cases only where a test asks for them (they take seconds)."""
    if "--cases" not in args:
        args = (*args, "--cases", "0")
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: Any, settings: Any) -> str:
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_grid_index()
    return seed_demo()


def test_it_loads_the_catalogue_and_a_row_for_every_first_level_category(seeded):
    assert "650 matters" in seeded and f"{len(DUTIES)} responsibilities" in seeded
    assert Matter.objects.count() == 650
    assert Responsibility.objects.count() == len(DUTIES)
    assert set(Matter.objects.filter(level=1).values_list("responsibility__matter", flat=True)) == set(
        Matter.objects.filter(level=1).values_list("pk", flat=True)
    )
    # Every row names a demo department or starts at a community or street.
    for row in Responsibility.objects.select_related("department"):
        if row.start_level == Level.DEPARTMENT:
            assert row.department is not None and row.department.kind == UnitKind.DEPARTMENT
        else:
            assert row.start_level in (Level.COMMUNITY, Level.STREET), row


def case_in(community: str, **fields: Any) -> Case:
    grid = Unit.objects.filter(kind=UnitKind.GRID, parent__name=community).order_by("code").first()
    assert grid is not None
    point = parse_boundary(grid.boundary).representative_point()
    by = User.objects.get(username="dispatcher")
    return case_submit(by=by, title="演示诉求", longitude=point.x, latitude=point.y, **fields)


def matter(path: str) -> Matter:
    return Matter.objects.get(full_name=path.replace("/", " / "))


def test_demo_cases_go_where_the_list_says(seeded):
    assert route(case_in("南窑社区", matter=matter("城乡建设/城市建设和市政管理/小区管理"))).name == "南窑社区"
    assert route(case_in("南窑社区", matter=matter("城乡建设/城市建设和市政管理/城管执法"))).name == "区城市管理局"
    assert route(case_in("南窑社区", matter=matter("城乡建设/城市建设和市政管理/公园管理"))).name == "沙子口街道"
    assert route(case_in("南窑社区", matter=matter("劳动和社会保障/劳动关系/非法用工"))).name == (
        "区人力资源和社会保障局"
    )
    assert route(case_in("南窑社区", matter=matter("政法/交通管理/交通事故"))).name == "交警崂山大队"
    assert route(case_in("南窑社区")).name == "南窑社区"


def test_running_it_again_keeps_the_list_and_reset_rebuilds_it(seeded):
    before = sorted(Responsibility.objects.values_list("matter__code", "start_level", "department__name"))
    codes = dict(Matter.objects.values_list("full_name", "code"))
    again = seed_demo()
    assert "already loaded" in again and f"{len(DUTIES)} responsibilities" in again
    output = seed_demo("--reset")
    assert f"({len(DUTIES)} responsibilities)" in output
    after = sorted(Responsibility.objects.values_list("matter__code", "start_level", "department__name"))
    assert after == before
    assert dict(Matter.objects.values_list("full_name", "code")) == codes


def test_an_older_demo_gets_its_catalogue_on_the_next_run(seeded):
    Responsibility.objects.all().delete()
    for level in (3, 2, 1):  # children first: a parent is protected
        Matter.objects.filter(level=level).delete()
    assert f"650 matters, {len(DUTIES)} responsibilities" in seed_demo()
    assert Responsibility.objects.count() == len(DUTIES)


def test_the_next_run_keeps_what_the_admin_changed(seeded):
    row = Responsibility.objects.get(matter=matter("环境保护"))
    row.start_level, row.department = Level.STREET, None
    row.save()
    renamed = matter("民政")
    renamed.name = renamed.full_name = "民政事务"
    renamed.save()
    seed_demo()
    row.refresh_from_db()
    assert (row.start_level, row.department) == (Level.STREET, None)
    assert Matter.objects.count() == 650 and not Matter.objects.filter(full_name="民政").exists()


def test_reset_takes_the_cases_of_the_demo_district_with_it(seeded):
    case_in("南窑社区")
    output = seed_demo("--reset")
    assert "and 1 cases" in output
    assert not Case.objects.exists()
    assert Unit.objects.filter(code=data.DISTRICT_CODE).exists()
    assert Responsibility.objects.count() == len(DUTIES)
