"""督办看板 and 升级与争议: open orders with the overdue first; recent escalations, whistles and returns."""

from __future__ import annotations

import re
from typing import Any

from suban.cases.models import Case, SupervisionOrder
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_escalate,
    case_reject_return,
    case_return,
    case_submit,
    case_supervise,
    case_whistle,
)
from suban.gridwork.access import case_url
from tests.conftest import Cast
from tests.gridwork.conftest import INSIDE_S2, refresh

BOARD = "/console/supervise/board/"
ESCALATIONS = "/console/supervise/escalations/"


def order_rows(html: str) -> list[str]:
    return re.findall(r'data-testid="order-row" data-order="\d+" data-case="(\d+)"', html)


def test_the_board_lists_open_orders_the_overdue_first(
    cast: Cast, org: dict[str, Any], at_grid: Case, login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_S2
    west = case_submit(by=cast.chen, title="西街积水", longitude=lon, latitude=lat)
    case_accept(case=west, by=cast.dora)
    case_dispatch(case=west, by=cast.dora, unit=org["S2"])
    case_supervise(case=at_grid, by=cast.sam, note="三日内修复并反馈", days=3)
    case_supervise(case=west, by=cast.sam, note="明日前排水", days=1)
    frozen.advance(days=2)  # Wednesday: the one-day order is overdue, the three-day one is not

    html = login(cast.sam).get(BOARD).content.decode()
    assert order_rows(html) == [west.number, at_grid.number]
    assert html.count('data-testid="order-overdue"') == 1
    assert case_url(west.number) in html

    by_street = login(cast.sam).get(f"{BOARD}?unit=S1").content.decode()
    assert order_rows(by_street) == [at_grid.number]


def test_a_leader_reads_the_board_and_a_street_does_not(cast: Cast, at_grid: Case, login: Any) -> None:
    case_supervise(case=at_grid, by=cast.sam, note="尽快处理")
    assert order_rows(login(cast.leo).get(BOARD).content.decode()) == [at_grid.number]
    for name in ("alice", "gary", "dora"):
        assert login(cast[name]).get(BOARD).status_code == 403, name


def test_issue_an_order_from_a_case_search(cast: Cast, at_grid: Case, login: Any) -> None:
    client = login(cast.sam)
    html = client.get(f"{BOARD}?q=路灯").content.decode()
    assert f'id="supervise-form-{at_grid.number}"' in html
    response = client.post(
        f"/console/supervise/board/{at_grid.number}/supervise/?q=路灯",
        {"note": "今日内到场查看", "days": "1", "version": at_grid.version},
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(case=at_grid)
    assert order.by == cast.sam and order.unit == at_grid.unit and order.state == SupervisionOrder.State.OPEN
    assert refresh(at_grid).supervision_count == 1


def test_an_order_without_words_is_refused_next_to_the_field(cast: Cast, at_grid: Case, login: Any) -> None:
    response = login(cast.sam).post(
        f"/console/supervise/board/{at_grid.number}/supervise/?q={at_grid.number}",
        {"note": " ", "days": "1", "version": at_grid.version},
    )
    assert response.status_code == 200  # refused, drawn again
    assert 'data-testid="error-note"' in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_a_new_case_cannot_be_supervised(cast: Cast, cindy_case: Case, login: Any) -> None:
    html = login(cast.sam).get(f"{BOARD}?q={cindy_case.number}").content.decode()
    assert f'data-case="{cindy_case.number}"' in html
    assert f'id="supervise-form-{cindy_case.number}"' not in html


def test_escalations_whistles_and_disputed_returns_are_listed(
    cast: Cast, org: dict[str, Any], at_grid: Case, login: Any, frozen: Any
) -> None:
    case_claim(case=at_grid, by=cast.gary)
    case_whistle(case=at_grid, by=cast.gary, unit=org["DEPT1"], note="需要城管执法")
    case_escalate(case=at_grid, by=cast.gary, note="涉及线路改造，需社区协调")
    lon, lat = INSIDE_S2
    west = case_submit(by=cast.chen, title="西街违建", longitude=lon, latitude=lat)
    case_accept(case=west, by=cast.dora)
    case_dispatch(case=west, by=cast.dora, unit=org["S2"])
    case_return(case=west, by=cast.bob, reason="属于住建局职责")
    case_reject_return(case=west, by=cast.dora, note="属地管理，街道牵头")

    client = login(cast.sam)
    html = client.get(ESCALATIONS).content.decode()
    actions = re.findall(r'data-testid="esc-row" data-action="(\w+)"', html)
    assert actions == ["reject_return", "return", "escalate", "whistle"]
    assert "东一社区第一网格 → 东一社区" in html
    assert "城管局" in html
    assert case_url(at_grid.number) in html
    only_returns = client.get(f"{ESCALATIONS}?kind=returns").content.decode()
    assert re.findall(r'data-testid="esc-row" data-action="(\w+)"', only_returns) == ["reject_return", "return"]

    frozen.advance(days=40)
    html = login(cast.sam).get(ESCALATIONS).content.decode()
    assert 'data-testid="esc-empty"' in html
    assert 'data-testid="esc-row"' in login(cast.sam).get(f"{ESCALATIONS}?days=90").content.decode()


def test_escalations_page_is_for_the_district(cast: Cast, login: Any) -> None:
    assert login(cast.dora).get(ESCALATIONS).status_code == 200
    for name in ("gary", "alice", "dan"):
        assert login(cast[name]).get(ESCALATIONS).status_code == 403, name


def test_the_case_link_goes_to_the_console_case_page() -> None:
    assert case_url("2026020900001") == "/console/cases/2026020900001/"


def test_a_case_that_closes_takes_its_order_off_the_board(
    cast: Cast, org: dict[str, Any], at_grid: Case, login: Any
) -> None:
    from suban.cases.services import case_rate, case_reply, case_review_reply

    lon, lat = INSIDE_S2
    west = case_submit(by=cast.chen, title="西街积水", longitude=lon, latitude=lat)
    case_accept(case=west, by=cast.dora)
    case_dispatch(case=west, by=cast.dora, unit=org["S2"])
    case_claim(case=at_grid, by=cast.gary)
    case_supervise(case=at_grid, by=cast.sam, note="三日内修复并反馈", days=3)
    case_supervise(case=west, by=cast.sam, note="明日前排水", days=1)
    html = login(cast.sam).get(BOARD).content.decode()
    assert order_rows(html) == [west.number, at_grid.number] and "2 件未办结督办单" in html

    case = refresh(at_grid)
    case_reply(case=case, by=cast.gary, reply="已更换灯泡")
    case_review_reply(case=case, by=cast.dora, approve=True)
    case_rate(case=case, by=cast.cindy, satisfaction="satisfied", resolved=True)

    html = login(cast.sam).get(BOARD).content.decode()
    assert order_rows(html) == [west.number] and "1 件未办结督办单" in html
    # The board's count is the open orders of the open cases, and no closed case is among them.
    open_orders = SupervisionOrder.objects.filter(state=SupervisionOrder.State.OPEN)
    assert open_orders.count() == 1 and not open_orders.filter(case__status__in=["closed", "declined", "merged"])
