"""巡查 / 工作日志: start and stop a patrol, write the log, and who reads whose log."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.cases.models import Case
from suban.gridwork.models import Patrol, WorkKind, WorkLogEntry
from suban.gridwork.services import grid_report, patrol_start, worklog_add
from tests.conftest import PASSWORD, Cast
from tests.gridwork.conftest import INSIDE_G1, jpeg

URL = "/console/grid/patrol/"
TODAY = date(2026, 2, 9)


def test_start_and_stop_a_patrol_with_its_track(cast: Cast, login: Any, frozen: Any) -> None:
    client = login(cast.gary)
    assert 'data-testid="patrol-start"' in client.get(URL).content.decode()
    assert client.post("/console/grid/patrol/start/", {"note": "东一社区南片"}).status_code == 302
    patrol = Patrol.objects.get(worker=cast.gary)
    assert patrol.is_running and patrol.grid == cast.gary.unit
    html = client.get(URL).content.decode()
    assert 'data-testid="patrol-running"' in html and 'data-testid="patrol-stop"' in html

    # A report filed on the way counts towards the patrol, with its photo.
    lon, lat = INSIDE_G1
    grid_report(by=cast.gary, title="墙体开裂", longitude=lon, latitude=lat, photos=[jpeg()])

    frozen.advance(minutes=25)
    track = [[120.001, 36.001], [120.001, 36.002], [120.002, 36.002]]
    response = client.post(
        f"/console/grid/patrol/{patrol.pk}/stop/", {"note": "未见其他异常", "track": json.dumps(track)}
    )
    assert response.status_code == 302
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert patrol.track == track
    assert 180 < (patrol.distance_m or 0) < 230  # 0.001° of latitude ≈ 111 m, of longitude here ≈ 90 m
    assert patrol.photo_count == 1
    assert patrol.reports.count() == 1
    assert patrol.note == "东一社区南片\n未见其他异常"


def test_a_second_start_while_on_patrol_is_refused(cast: Cast, login: Any, frozen: Any) -> None:
    client = login(cast.gary)
    client.post("/console/grid/patrol/start/")
    response = client.post("/console/grid/patrol/start/", follow=True)
    assert '<li class="error">' in response.content.decode()
    assert Patrol.objects.filter(worker=cast.gary).count() == 1


def test_a_track_that_is_not_points_is_refused_and_the_patrol_runs_on(cast: Cast, login: Any, frozen: Any) -> None:
    patrol = patrol_start(by=cast.gary)
    login(cast.gary).post(f"/console/grid/patrol/{patrol.pk}/stop/", {"track": json.dumps([["东", "西"]])})
    patrol.refresh_from_db()
    assert patrol.is_running


def test_someone_elses_patrol_cannot_be_stopped(cast: Cast, org: dict[str, Any], login: Any) -> None:
    other = staff_create(
        by=None, username="gwen", name="Gwen", unit=org["S1C1G2"], roles=[Role.GRID_WORKER], password=None
    )
    patrol = patrol_start(by=other)
    assert login(cast.gary).post(f"/console/grid/patrol/{patrol.pk}/stop/").status_code == 404
    patrol.refresh_from_db()
    assert patrol.is_running


def test_write_a_log_entry_and_find_it_by_day(cast: Cast, at_grid: Case, login: Any, frozen: Any) -> None:
    cindy_case = at_grid
    client = login(cast.gary)
    response = client.post(
        "/console/grid/patrol/log/",
        {
            "date": "2026-02-09",
            "kind": WorkKind.VISIT,
            "text": "走访独居老人王大爷，送去春节慰问品",
            "case": cindy_case.number,
        },
    )
    assert response.status_code == 302
    entry = WorkLogEntry.objects.get(worker=cast.gary)
    assert entry.case == cindy_case and entry.grid == cast.gary.unit and entry.date == TODAY
    html = client.get(f"{URL}?date=2026-02-09").content.decode()
    assert "走访独居老人王大爷" in html
    assert "走访独居老人王大爷" not in client.get(f"{URL}?date=2026-02-08").content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2026-02-10"}, "date"),  # tomorrow
        ({"date": "2026-01-20"}, "date"),  # too long ago
        ({"text": "  "}, "text"),
        ({"case": "2099010100001"}, "case"),  # no such case in reach
    ],
)
def test_a_bad_log_entry_is_refused_next_to_its_field(
    cast: Cast, login: Any, frozen: Any, changes: dict[str, str], field: str
) -> None:
    data = {"date": "2026-02-09", "kind": WorkKind.PATROL, "text": "巡查东一社区", "case": "", **changes}
    response = login(cast.gary).post("/console/grid/patrol/log/", data)
    assert response.status_code == 200  # refused, drawn again
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not WorkLogEntry.objects.exists()


def test_the_street_above_reads_the_log_and_another_street_does_not(cast: Cast, login: Any, frozen: Any) -> None:
    worklog_add(by=cast.gary, kind=WorkKind.PUBLICITY, text="张贴防诈骗宣传海报")
    patrol_start(by=cast.gary)
    for name in ("alice", "carol", "sam", "leo"):
        html = login(cast[name]).get(URL).content.decode()
        assert "张贴防诈骗宣传海报" in html, name
        assert 'data-testid="overview-worker-row"' in html, name
    html = login(cast.bob).get(URL).content.decode()
    assert "张贴防诈骗宣传海报" not in html
    assert 'data-testid="overview-worker-row"' not in html


def test_the_overview_filters_by_grid_and_day(cast: Cast, login: Any, frozen: Any) -> None:
    worklog_add(by=cast.gary, kind=WorkKind.INSPECTION, text="排查燃气管道", date=TODAY - timedelta(days=1))
    client = login(cast.alice)
    assert "排查燃气管道" in client.get(f"{URL}?date=2026-02-08").content.decode()
    assert "排查燃气管道" not in client.get(f"{URL}?date=2026-02-09").content.decode()
    assert "排查燃气管道" in client.get(f"{URL}?date=2026-02-08&grid=S1C1G1").content.decode()
    assert "排查燃气管道" not in client.get(f"{URL}?date=2026-02-08&grid=S1C1G2").content.decode()


def test_who_may_open_the_patrol_pages(cast: Cast, login: Any, frozen: Any) -> None:
    for name in ("dan", "dora", "auditor"):
        assert login(cast[name]).get(URL).status_code == 403, name
    assert login(cast.alice).post("/console/grid/patrol/start/").status_code == 403
    assert login(cast.alice).post("/console/grid/patrol/log/", {"text": "x"}).status_code == 403


def test_the_auditor_reads_patrols_and_logs_in_the_admin_and_nobody_edits_them(
    cast: Cast, login: Any, frozen: Any
) -> None:
    patrol = patrol_start(by=cast.gary)
    entry = worklog_add(by=cast.gary, kind=WorkKind.PATROL, text="巡查东一社区")
    client = login(cast.auditor)
    assert client.get("/admin/gridwork/patrol/").status_code == 200
    assert client.get(f"/admin/gridwork/worklogentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/gridwork/gridreport/").status_code == 200
    assert client.get("/admin/gridwork/patrol/add/").status_code == 403
    assert client.post(f"/admin/gridwork/patrol/{patrol.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Patrol.objects.filter(pk=patrol.pk).exists()
    assert login(cast.sysadmin).get("/admin/gridwork/patrol/").status_code == 403


def test_a_specialist_in_a_grid_works_like_a_grid_worker(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    specialist = staff_create(
        by=None, username="sid", name="Sid", unit=org["S1C1G1"], roles=[Role.SPECIALIST], password=PASSWORD
    )
    client = login(specialist)
    assert client.get("/console/grid/").status_code == 200
    assert client.post("/console/grid/patrol/start/").status_code == 302
    assert Patrol.objects.filter(worker=specialist).exists()
