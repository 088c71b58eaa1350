"""The leaders' big screen and its JSON: who sees it, and what each panel counts, within the reader's reach."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.assess.services import rebuild
from suban.cases.models import Case
from suban.gridwork.models import Patrol, WorkKind, WorkLogEntry
from tests.cases.conftest import _fresh_caches, calendar_2027
from tests.conftest import PASSWORD, Cast

__all__ = ["_fresh_caches", "calendar_2027"]


@pytest.fixture
def screen(dispatched: Case, cast: Cast, org: dict[str, Any]) -> Case:
    """One case dispatched in S1C1G1 today, a day of grid work by gary, and the assessment rebuilt."""
    now = timezone.now()
    Patrol.objects.create(worker=cast.gary, grid=org["S1C1G1"], started_at=now - timedelta(hours=1), ended_at=now)
    WorkLogEntry.objects.create(
        worker=cast.gary, grid=org["S1C1G1"], date=timezone.localdate(), kind=WorkKind.VISIT, text="走访"
    )
    rebuild()
    return dispatched


def get(client: Any, path: str) -> Any:
    return client.get(path, HTTP_ACCEPT="application/json")


def test_the_screen_is_for_leaders_supervisors_and_dispatchers(screen, cast, login, client):
    assert client.get("/dashboard/").status_code == 302  # log in first
    login(cast.carol)
    assert client.get("/dashboard/").status_code == 403
    assert get(client, "/api/dashboard/live").status_code == 403
    login(cast.leo)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert b'data-testid="dashboard"' in page.content and "演示区".encode() in page.content


def test_each_panel_counts_the_district(screen, cast, login, client):
    login(cast.leo)
    live = get(client, "/api/dashboard/live").json()
    assert (live["open"], live["red"], live["today_received"]) == (1, 0, 1)
    intake = get(client, "/api/dashboard/intake?days=30").json()["days"]
    assert len(intake) == 30 and intake[-1] == {"day": "2026-02-09", "received": 1, "completed": 0}
    assert sum(d["received"] for d in get(client, "/api/dashboard/intake?days=90").json()["days"]) == 1
    load = {g["code"]: g for g in get(client, "/api/dashboard/map?days=30").json()["grids"]}
    assert load == {"S1C1G1": {"code": "S1C1G1", "received": 1, "open": 1, "red": 0}}
    grids = get(client, "/api/dashboard/grids").json()
    assert {f["properties"]["code"] for f in grids["features"]} == {"S1C1G1", "S1C1G2", "S1C2G1", "S2C1G1", "S1C1X"}
    streets = get(client, "/api/dashboard/rates?kind=street").json()
    assert streets["period"] == "2026-02" and {r["code"] for r in streets["rows"]} == {"S1", "S2"}
    assert get(client, "/api/dashboard/hotspots").json() == {"hotspots": []}
    work = get(client, "/api/dashboard/gridwork?days=30").json()
    gary = next(g for g in work["grids"] if g["code"] == "S1C1G1")
    assert (gary["workers"], gary["patrols"], gary["logs"]) == (1, 1, 1)
    assert gary["activity_rate"] == pytest.approx(1 / 21)  # 1 active day of 21 working days, 11 Jan – 9 Feb 2026
    assert work["patrols"][-1] == {"day": "2026-02-09", "patrols": 1}


def test_a_street_leader_sees_their_street_only_and_bad_input_is_refused(screen, cast, org, login, client):
    west = staff_create(by=None, username="wes", name="Wes", unit=org["S2"], roles=[Role.LEADER], password=PASSWORD)
    login(west)
    assert get(client, "/api/dashboard/live").json()["open"] == 0
    assert get(client, "/api/dashboard/map?days=30").json()["grids"] == []
    assert get(client, "/api/dashboard/live?unit=S1").status_code == 404
    assert get(client, "/api/dashboard/intake?days=7").status_code == 400
    assert get(client, "/api/dashboard/rates?kind=planet").status_code == 400
    login(cast.leo)
    assert get(client, "/api/dashboard/live?unit=S1").json()["open"] == 1  # drilling down
    assert get(client, "/api/dashboard/live?unit=S2").json()["open"] == 0


def test_the_grid_activity_page_drills_from_grids_to_workers(screen, cast, login, client):
    login(cast.carol)
    assert client.get("/console/supervise/activity/").status_code == 200
    login(cast.gary)
    assert client.get("/console/supervise/activity/").status_code == 403
    login(cast.sam)
    page = client.get("/console/supervise/activity/?days=30")
    assert page.status_code == 200 and page.content.count(b'data-testid="activity-grid-row"') == 5
    drilled = client.get("/console/supervise/activity/?unit=S1C1&days=7&grid=S1C1G1")
    assert drilled.status_code == 200
    assert drilled.content.count(b'data-testid="activity-grid-row"') == 3  # two grids and the school
    assert drilled.content.count(b'data-testid="activity-worker-row"') == 1 and b"Gary" in drilled.content


def test_a_street_leaders_map_counts_what_the_street_may_see(screen, cast, org, login, client):
    from suban.cases.services import case_accept, case_dispatch, case_submit

    where = {"longitude": 120.008, "latitude": 36.008}  # S1C1G1, like the screen's case
    case_submit(by=cast.cindy, title="新来的诉求", **where)  # not dispatched yet: the district's
    about_street = case_submit(
        by=cast.cindy, title="街道工作人员态度差", nature="complaint", complained_unit=org["S1"], **where
    )
    case_accept(case=about_street, by=cast.dora)
    case_dispatch(case=about_street, by=cast.dora, unit=org["DEPT1"])
    east = staff_create(by=None, username="eve", name="Eve", unit=org["S1"], roles=[Role.LEADER], password=PASSWORD)
    login(east)
    load = {g["code"]: g for g in get(client, "/api/dashboard/map?days=30").json()["grids"]}
    assert load["S1C1G1"] == {"code": "S1C1G1", "received": 1, "open": 1, "red": 0}
    login(cast.leo)
    load = {g["code"]: g for g in get(client, "/api/dashboard/map?days=30").json()["grids"]}
    assert load["S1C1G1"] == {"code": "S1C1G1", "received": 3, "open": 3, "red": 0}
