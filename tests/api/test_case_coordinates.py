"""POST /api/cases and /api/cases/batch take a point in WGS-84, GCJ-02 or BD-09 (`coordinate_system`); the
case keeps it, and is placed on the grids, in WGS-84."""

from __future__ import annotations

import pytest
from django.test import Client

from suban.cases.models import Case
from suban.cases.services import OrdersInvalid, case_submit, intake_many
from suban.errors import Invalid
from suban.org.coords import wgs84_to_bd09, wgs84_to_gcj02

# Inside S1C1G1 ([120.00, 120.01] x [36.00, 36.01]). Its GCJ-02 (about 120.01023, 36.00509) lies in the next
# grid east, S1C1G2; its BD-09 (about 120.01665, 36.01140) north of every grid.
WGS = (120.005, 36.005)
GCJ = wgs84_to_gcj02(*WGS)
BD = wgs84_to_bd09(*WGS)


def point(lng_lat: tuple[float, float], **fields: object) -> dict[str, object]:
    return {"longitude": lng_lat[0], "latitude": lng_lat[1], **fields}


def stored(number: str) -> tuple[float, float]:
    case = Case.objects.get(number=number)
    assert case.longitude is not None and case.latitude is not None
    return case.longitude, case.latitude


def near(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) < 1e-6 and abs(p[1] - q[1]) < 1e-6


def test_the_grids_place_the_raw_points_elsewhere():
    assert 120.01 < GCJ[0] < 120.02 and 36.0 < GCJ[1] < 36.01
    assert BD[1] > 36.01


def test_a_gcj02_point_is_stored_and_placed_in_wgs84(api, cast):
    made = api(cast.dora).post(
        "/cases", {"title": "路灯不亮", "channel": "hotline", **point(GCJ), "coordinate_system": "gcj02"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["grid"]["code"] == "S1C1G1"
    assert near((body["longitude"], body["latitude"]), WGS)
    assert near(stored(body["number"]), WGS)


def test_a_bd09_point_from_a_citizens_app_is_stored_in_wgs84(api, cast):
    made = api(cast.cindy).post("/cases", {"title": "井盖缺失", **point(BD), "coordinate_system": "bd09"})
    assert made.status_code == 201, made.content
    case = Case.objects.get(number=made.json()["number"])
    assert near(stored(case.number), WGS)
    assert case.grid is not None and case.grid.code == "S1C1G1"


def test_without_a_system_the_point_is_wgs84_and_kept_as_sent(api, cast):
    dora = api(cast.dora)
    as_is = dora.post("/cases", {"title": "路灯不亮", "channel": "hotline", **point(GCJ)}).json()
    assert as_is["grid"]["code"] == "S1C1G2"
    assert stored(as_is["number"]) == GCJ
    said = dora.post("/cases", {"title": "路灯不亮", "channel": "hotline", **point(WGS), "coordinate_system": "wgs84"})
    assert said.json()["grid"]["code"] == "S1C1G1" and stored(said.json()["number"]) == WGS
    # A system with no point is no error, and changes nothing.
    bare = dora.post("/cases", {"title": "噪音扰民", "channel": "hotline", "coordinate_system": "gcj02"})
    assert bare.status_code == 201 and bare.json()["longitude"] is None


def test_an_unknown_system_is_refused_and_nothing_is_stored(api, cast):
    refused = api(cast.dora).post("/cases", {"title": "路灯不亮", **point(GCJ), "coordinate_system": "gcj-02"})
    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert error["code"] == "invalid" and error["field"] == "coordinate_system"
    assert "wgs84" in error["message"] and "gcj02" in error["message"] and "bd09" in error["message"]
    assert not Case.objects.exists()


def test_a_batch_converts_each_order_by_its_own_system(api, cast):
    orders = [
        point(GCJ, title="路灯不亮", channel="hotline", coordinate_system="gcj02", source_ref="HL-1"),
        point(BD, title="井盖缺失", channel="hotline", coordinate_system="bd09", source_ref="HL-2"),
        point(WGS, title="积水", channel="hotline", source_ref="HL-3"),
    ]
    response = api(cast.dora).post("/cases/batch", {"orders": orders})
    assert response.status_code == 200, response.content
    numbers = [r["number"] for r in response.json()["results"]]
    assert all(near(stored(n), WGS) for n in numbers)
    assert [Case.objects.get(number=n).grid.code for n in numbers] == ["S1C1G1"] * 3

    orders.append(point(WGS, title="坏的", channel="hotline", coordinate_system="baidu"))
    refused = api(cast.dora).post("/cases/batch", {"orders": orders[1:]})
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "orders.2.coordinate_system"
    assert Case.objects.count() == 3


def test_the_services_refuse_an_unknown_system_before_writing(cast):
    with pytest.raises(Invalid) as refused:
        case_submit(by=cast.dora, title="路灯不亮", longitude=GCJ[0], latitude=GCJ[1], coordinate_system="mars")
    assert refused.value.field == "coordinate_system"
    with pytest.raises(OrdersInvalid) as batch:
        intake_many(
            by=cast.dora,
            orders=[
                {"title": "路灯不亮", "longitude": GCJ[0], "latitude": GCJ[1], "coordinate_system": "gcj02"},
                {"title": "井盖缺失", "coordinate_system": "wgs-84"},
            ],
        )
    assert [(e.index, e.field) for e in batch.value.errors] == [(1, "coordinate_system")]
    assert not Case.objects.exists()
    case = case_submit(by=cast.dora, title="路灯不亮", longitude=GCJ[0], latitude=GCJ[1], coordinate_system="gcj02")
    assert near(stored(case.number), WGS)


def test_the_openapi_document_lists_the_systems(db):
    openapi = Client().get("/api/openapi.json").json()
    schemas = openapi["components"]["schemas"]
    field = schemas["CaseSubmitIn"]["properties"]["coordinate_system"]
    assert field["default"] == "wgs84"
    ref = field.get("$ref") or field["allOf"][0]["$ref"]
    assert schemas[ref.rsplit("/", 1)[1]]["enum"] == ["wgs84", "gcj02", "bd09"]
