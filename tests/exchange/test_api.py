"""The hotline system's side: push orders, pull their results, export them in its layout (token only)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from suban.api.services import token_create
from suban.cases.models import Case, Satisfaction, Status
from suban.cases.services import case_claim, case_rate, case_reply, case_review_reply
from suban.exchange.models import ExchangeRecord, Source
from tests.conftest import Cast
from tests.exchange.conftest import HEADERS, hotline_rows

pytestmark = pytest.mark.django_db

PHONES = [f"1391234{5670 + i}" for i in range(10)]


class Hotline:
    def __init__(self, key: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def push(self, orders: list[dict[str, Any]], source: str = "fz12345") -> Any:
        body = json.dumps({"orders": orders})
        response = self.client.post(
            f"/api/exchange/{source}/orders", body, content_type="application/json", headers=self.headers
        )
        assert not any(p.encode() in response.content for p in PHONES)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(f"/api/exchange/{path}", params or {}, headers=self.headers)
        assert not any(p.encode() in response.content for p in PHONES)
        return response


@pytest.fixture(autouse=True)
def no_throttle_left() -> None:
    cache.clear()


def orders(n: int = 3) -> list[dict[str, Any]]:
    """The hotline's own JSON: its field names are its column headers, translated by its saved mapping."""
    return [dict(zip(HEADERS, row, strict=True)) for row in hotline_rows(n)]


@pytest.fixture
def dora_line(cast: Cast, hotline: Source) -> Hotline:
    _token, key = token_create(by=None, user=cast.dora, name="12345 platform")
    return Hotline(key)


def test_a_push_takes_orders_in_and_a_second_push_is_a_no_op(dora_line: Hotline, hotline: Source) -> None:
    response = dora_line.push(orders(3))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["duplicates"], body["errors"]) == (3, 0, 0)
    numbers = [r["case_number"] for r in body["results"]]
    assert [r["order_id"] for r in body["results"]] == ["FZ1", "FZ2", "FZ3"]
    assert Case.objects.filter(number__in=numbers, status=Status.DISPATCHED).count() == 3

    again = dora_line.push(orders(4)).json()

    assert [r["result"] for r in again["results"]] == ["duplicate", "duplicate", "duplicate", "created"]
    assert [r["case_number"] for r in again["results"][:3]] == numbers
    assert Case.objects.count() == 4 and ExchangeRecord.objects.count() == 4


def test_a_bad_order_is_answered_on_its_own_and_the_others_go_in(dora_line: Hotline) -> None:
    batch = orders(3)
    batch[1]["经度"] = "东经"
    batch[2]["地址"], batch[2]["经度"], batch[2]["纬度"] = "福州市仓山区", "", ""  # nowhere to dispatch it
    results = dora_line.push(batch).json()["results"]
    assert [r["result"] for r in results] == ["created", "error", "error"]
    assert results[1]["field"] == "经度" and "不是数字" in results[1]["message"]
    assert results[2]["field"] == "unit"
    assert list(ExchangeRecord.objects.values_list("ref", flat=True)) == ["FZ1"]


def test_pull_gives_the_results_of_the_pushed_orders(cast: Cast, dora_line: Hotline) -> None:
    first = dora_line.push(orders(2)).json()["results"][0]["case_number"]
    start = dora_line.get("fz12345/results").json()
    assert [r["status"] for r in start["results"]] == ["dispatched", "dispatched"]
    assert start["next"] is None
    moment = max(r["updated_at"] for r in start["results"])

    case = Case.objects.get(number=first)
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="已安排清淤，河道已恢复。")
    assert dora_line.get("fz12345/results", {"updated_after": moment}).json()["results"][0]["reply"] == ""
    case_review_reply(case=case, by=cast.dora, approve=True)
    case_rate(case=case, by=cast.sam, satisfaction=Satisfaction.SATISFIED, resolved=True)

    changed = dora_line.get("fz12345/results", {"updated_after": moment}).json()["results"]
    assert len(changed) == 1
    result = changed[0]
    assert (result["order_id"], result["case_number"], result["status"]) == ("FZ1", first, "closed")
    assert result["reply"] == "已安排清淤，河道已恢复。"
    assert result["replied_at"] and result["closed_at"] and result["satisfaction"] == "satisfied"


def test_pull_pages_on_by_time_and_number(dora_line: Hotline) -> None:
    dora_line.push(orders(3))
    page = dora_line.get("fz12345/results", {"limit": 2}).json()
    assert len(page["results"]) == 2 and page["next"] is not None
    rest = dora_line.get("fz12345/results", {"limit": 2, **page["next"]}).json()
    seen = [r["order_id"] for r in page["results"] + rest["results"]]
    assert sorted(seen) == ["FZ1", "FZ2", "FZ3"]


def test_the_export_uses_the_sources_layout(cast: Cast, dora_line: Hotline) -> None:
    dora_line.push(orders(2))
    response = dora_line.get("fz12345/export", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工单编号", "标题", "诉求内容"] and "本地工单号" in rows[0] and "办理状态" in rows[0]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["工单编号"] == "FZ1"
    assert first["来电号码"] == "139****5670"  # masked
    assert first["紧急程度"] == "一般"  # our value turned back into the hotline's word
    assert first["受理时间"] == "2020/09/03 09:30"  # its time format and zone
    assert first["本地工单号"] == Case.objects.get(source_ref="FZ1").number
    xlsx = dora_line.get("fz12345/export", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_only_a_token_of_the_dispatch_centre_may_exchange(cast: Cast, hotline: Source) -> None:
    assert Hotline().push(orders(1)).status_code == 401
    session = Client()
    session.force_login(cast.dora, backend="suban.accounts.backends.RoleBackend")
    assert Hotline(client=session).get("fz12345/results").status_code == 401  # token only
    _t, carol_key = token_create(by=None, user=cast.carol, name="not a hotline")
    assert Hotline(carol_key).push(orders(1)).status_code == 403
    assert Hotline(carol_key).get("fz12345/results").status_code == 403
    _t, dora_key = token_create(by=None, user=cast.dora, name="12345")
    assert Hotline(dora_key).get("nosuch/results").status_code == 404
    hotline.account = cast.sam
    hotline.save()
    assert Hotline(dora_key).push(orders(1)).status_code == 403  # bound to another account
    assert not Case.objects.exists()


def test_pull_takes_any_offset_a_client_sends(dora_line: Hotline) -> None:
    """PostgreSQL takes no time-zone offset beyond ±15:59: a moment given with -22:07 is read in UTC (the API's
    fuzz test found it failing with a 500)."""
    dora_line.push(orders(1))
    response = dora_line.get("fz12345/results", {"updated_after": "2731-11-18T01:40:39.3-22:07"})
    assert response.status_code == 200 and response.json()["results"] == []
    assert dora_line.get("fz12345/results", {"updated_after": "2020-01-01T00:00:00-22:07"}).json()["results"]
