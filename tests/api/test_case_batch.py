"""POST /api/cases/batch: a hotline's batch of work orders, taken in all together or not at all."""

from __future__ import annotations

from typing import Any

from suban.api.services import token_create
from suban.cases.models import Case, CaseEvent, Status
from suban.catalogue.models import Matter, Responsibility
from tests.api.conftest import IN_S1C1G1, IN_S2C1G1


def order(title: str, **fields: Any) -> dict[str, Any]:
    return {"title": title, "channel": "hotline", **fields}


def test_a_hotline_pushes_a_batch_with_its_token_and_gets_every_case(bearer, cast, org):
    _token, key = token_create(by=None, user=cast.dora, name="12345 hotline")
    matter = Matter.objects.create(code="SZ-LD", name="路灯", full_name="市政设施 / 路灯", level=2)
    Responsibility.objects.create(matter=matter, department=org["DEPT1"])
    body = {
        "orders": [
            order("路灯不亮", **IN_S1C1G1, contact_phone="13912345678", dispatch=True, source_ref="HL-1"),
            order("路灯倒伏", **IN_S1C1G1, matter="SZ-LD", dispatch=True, source_ref="HL-2"),
            order("井盖缺失", dispatch=True, unit="S1C2", co_units=["DEPT1", "DEPT2"], source_ref="HL-3"),
            order("工地夜间施工", **IN_S2C1G1, case_type="development", dispatch=True),
            order("噪音扰民", contact_name="陈先生"),
        ]
    }
    response = bearer(key).post("/cases/batch", body)
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["created"] == 5
    results = got["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["unit"]["code"] for r in results] == ["S1C1", "DEPT1", "S1C2", "S2", "D"]
    assert [r["status"] for r in results] == ["dispatched"] * 4 + ["new"]
    assert all(r["created"] and r["number"] for r in results)
    assert results[0]["due_at"] is not None and results[4]["due_at"] is None
    numbers = [int(r["number"]) for r in results]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    third = Case.objects.get(number=results[2]["number"])
    assert sorted(third.co_handlers.values_list("unit__code", flat=True)) == ["DEPT1", "DEPT2"]
    assert CaseEvent.objects.filter(case=third).count() == 3
    # The hotline retries the same batch: nothing new, the same cases back.
    again = bearer(key).post("/cases/batch", {"orders": body["orders"][:3]}).json()
    assert again["created"] == 0 and [r["number"] for r in again["results"]] == [r["number"] for r in results[:3]]
    assert Case.objects.count() == 5


def test_bad_orders_are_all_listed_and_nothing_is_taken_in(api, cast):
    dora = api(cast.dora)
    body = {
        "orders": [
            order("路灯不亮", **IN_S1C1G1, dispatch=True),
            order("没有位置", dispatch=True),
            order("错误单位", dispatch=True, unit="NOPE", co_units=["DEPT1", "GONE"]),
            order("错误事项", matter="NO-SUCH"),
            order("区级不可派", dispatch=True, unit="D"),
        ]
    }
    response = dora.post("/cases/batch", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_orders" and error["field"] == "orders"
    # Unknown codes are found first.
    assert [(d["index"], d["field"]) for d in error["details"]] == [(2, "unit"), (2, "co_units"), (3, "matter")]
    assert "GONE" in error["details"][1]["message"]
    assert Case.objects.count() == 0

    body["orders"] = [o for o in body["orders"] if o["title"] not in ("错误单位", "错误事项")]
    error = dora.post("/cases/batch", body).json()["error"]
    assert [(d["index"], d["code"], d["field"]) for d in error["details"]] == [
        (1, "invalid", "unit"),
        (2, "invalid", "unit"),
    ]
    assert all(d["message"] for d in error["details"])
    assert Case.objects.count() == 0


def test_a_malformed_order_is_a_400_naming_it(api, cast):
    response = api(cast.dora).post("/cases/batch", {"orders": [order("好的"), {"text": "没有标题"}]})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "orders.1.title"
    assert api(cast.dora).post("/cases/batch", {"orders": []}).status_code == 400
    too_many = {"orders": [order(f"第{i}单") for i in range(501)]}
    assert api(cast.dora).post("/cases/batch", too_many).status_code == 400
    assert Case.objects.count() == 0


def test_only_the_dispatch_centre_dispatches_and_citizens_send_no_batches(api, cast):
    refused = api(cast.carol).post("/cases/batch", {"orders": [order("路灯不亮", **IN_S1C1G1, dispatch=True)]})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert api(cast.cindy).post("/cases/batch", {"orders": [order("路灯不亮")]}).status_code == 403
    entered = api(cast.carol).post("/cases/batch", {"orders": [order("路灯不亮", **IN_S1C1G1)]})
    assert entered.status_code == 200 and entered.json()["results"][0]["status"] == Status.NEW
    assert api(cast.dora).client.post("/api/cases/batch").status_code == 400  # no body


def test_the_batch_is_in_the_openapi_document(db, client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/cases/batch"]["post"]
    assert operation["operationId"] == "case_submit_batch"
    assert {"200", "400", "403", "422"} <= set(operation["responses"])
    assert "422" in operation["description"] or "all or none" in operation["summary"]


def test_an_empty_co_unit_code_is_an_unknown_unit_as_in_a_single_order(api, cast):
    dora = api(cast.dora)
    single = dora.post("/cases", order("井盖缺失", dispatch=True, unit="S1C2", co_units=[""]))
    assert single.status_code == 400 and single.json()["error"]["field"] == "co_units"
    response = dora.post("/cases/batch", {"orders": [order("井盖缺失", dispatch=True, unit="S1C2", co_units=[""])]})
    assert response.status_code == 422, response.content
    assert [(d["index"], d["field"]) for d in response.json()["error"]["details"]] == [(0, "co_units")]
    assert Case.objects.count() == 0
