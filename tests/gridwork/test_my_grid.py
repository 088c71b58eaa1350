"""我的网格: the worker sees the open cases of their grid, claims them and solves them on the spot."""

from __future__ import annotations

from typing import Any

from suban.cases.models import Attachment, Case, Status
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.gridwork.services import grid_report
from tests.conftest import Cast
from tests.gridwork.conftest import INSIDE_S2, jpeg, refresh

URL = "/console/grid/"


def test_the_list_holds_the_grids_open_cases_and_not_another_streets(
    cast: Cast, org: dict[str, Any], cindy_case: Case, login: Any
) -> None:
    lon, lat = INSIDE_S2
    elsewhere = case_submit(by=cast.chen, title="西街噪音", longitude=lon, latitude=lat)
    client = login(cast.gary)
    # A new request is the dispatch centre's until it is sent on; then the grid follows it, whoever leads it.
    assert cindy_case.number not in client.get(URL).content.decode()
    case_accept(case=cindy_case, by=cast.dora)
    case_dispatch(case=cindy_case, by=cast.dora, unit=org["S1C1"])
    html = client.get(URL).content.decode()
    assert cindy_case.number in html
    assert elsewhere.number not in html


def test_claim_from_the_list(cast: Cast, at_grid: Case, login: Any) -> None:
    client = login(cast.gary)
    html = client.get(URL).content.decode()
    assert f'id="claim-{at_grid.number}"' in html
    response = client.post(f"/console/grid/cases/{at_grid.number}/claim/", {"version": at_grid.version})
    assert response.status_code == 302
    case = refresh(at_grid)
    assert case.status == Status.IN_PROGRESS and case.handler == cast.gary


def test_a_stale_claim_is_told_not_applied(cast: Cast, at_grid: Case, login: Any) -> None:
    response = login(cast.gary).post(
        f"/console/grid/cases/{at_grid.number}/claim/", {"version": at_grid.version - 1}, follow=True
    )
    assert refresh(at_grid).status == Status.DISPATCHED
    assert '<li class="error">' in response.content.decode()


def test_solve_on_the_spot_claims_and_replies_with_photos(cast: Cast, at_grid: Case, login: Any) -> None:
    response = login(cast.gary).post(
        f"/console/grid/cases/{at_grid.number}/solve/",
        {"reply": "已更换灯泡，路灯恢复照明。", "version": at_grid.version, "photos": [jpeg(), jpeg("b.jpg", "blue")]},
    )
    assert response.status_code == 302
    case = refresh(at_grid)
    assert case.status == Status.REVIEWING  # the dispatch centre reviews the reply before release
    assert case.handler == cast.gary and case.reply == "已更换灯泡，路灯恢复照明。"
    photos = Attachment.objects.filter(case=case)
    assert photos.count() == 2
    assert {p.event.action for p in photos if p.event} == {"reply"}


def test_solve_without_a_reply_changes_nothing_and_says_why(cast: Cast, at_grid: Case, login: Any) -> None:
    response = login(cast.gary).post(
        f"/console/grid/cases/{at_grid.number}/solve/", {"reply": "  ", "version": at_grid.version, "photos": [jpeg()]}
    )
    assert response.status_code == 200  # refused, drawn again
    html = response.content.decode()
    assert 'data-testid="error-reply"' in html
    assert 'data-testid="files-again"' in html and "刚才选择的文件没有保留" in html  # the photo must be chosen again
    case = refresh(at_grid)
    assert case.status == Status.DISPATCHED and case.handler is None
    assert not Attachment.objects.exists()


def test_a_case_held_by_the_community_cannot_be_claimed_by_the_grid(
    cast: Cast, org: dict[str, Any], cindy_case: Case, login: Any
) -> None:
    case_accept(case=cindy_case, by=cast.dora)
    case_dispatch(case=cindy_case, by=cast.dora, unit=org["S1C1"])
    client = login(cast.gary)
    html = client.get(URL).content.decode()
    assert cindy_case.number in html  # it lies in the grid, so the worker sees it ...
    assert f'id="claim-{cindy_case.number}"' not in html  # ... but it is the community's to claim
    response = client.post(f"/console/grid/cases/{cindy_case.number}/claim/", {"version": refresh(cindy_case).version})
    assert response.status_code == 403
    assert refresh(cindy_case).status == Status.DISPATCHED


def test_another_streets_case_is_not_found(cast: Cast, login: Any, frozen: Any) -> None:
    lon, lat = INSIDE_S2
    elsewhere = case_submit(by=cast.chen, title="西街噪音", longitude=lon, latitude=lat)
    response = login(cast.gary).post(f"/console/grid/cases/{elsewhere.number}/claim/", {"version": 1})
    assert response.status_code == 404


def test_deadline_badges_turn_yellow_then_red(cast: Cast, at_grid: Case, login: Any, frozen: Any) -> None:
    assert 'data-testid="deadline-' not in login(cast.gary).get(URL).content.decode()
    case = refresh(at_grid)
    assert case.warn_at is not None and case.due_at is not None
    frozen.set(case.warn_at)  # days later: the idle session has expired, so log in again
    assert 'data-testid="deadline-yellow"' in login(cast.gary).get(URL).content.decode()
    frozen.set(case.due_at)
    assert 'data-testid="deadline-red"' in login(cast.gary).get(URL).content.decode()


def test_what_was_done_on_the_spot_becomes_the_draft_reply(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_S2  # reported from outside his grid: it waits for the dispatch centre
    case = grid_report(
        by=cast.gary,
        title="树枝挡路",
        longitude=lon,
        latitude=lat,
        solved_on_spot=True,
        solution="已现场清理倒伏树枝",
    )
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora, unit=org["S1C1G1"])
    html = login(cast.gary).get(f"{URL}?show=reported").content.decode()
    assert 'data-testid="solved-on-spot"' in html
    assert "已现场清理倒伏树枝</textarea>" in html


def test_only_grid_workers_use_the_list(cast: Cast, login: Any, frozen: Any) -> None:
    for name in ("alice", "carol", "sam", "dora", "auditor"):
        assert login(cast[name]).get(URL).status_code == 403, name


def test_a_reply_longer_than_the_actions_limit_is_refused(cast: Cast, at_grid: Case, login: Any) -> None:
    response = login(cast.gary).post(
        f"/console/grid/cases/{at_grid.number}/solve/",
        {"reply": "灯" * 5001, "version": at_grid.version, "photos": [jpeg()]},
    )
    assert response.status_code == 200 and 'data-testid="error-reply"' in response.content.decode()
    assert refresh(at_grid).status == Status.DISPATCHED and refresh(at_grid).reply == ""
