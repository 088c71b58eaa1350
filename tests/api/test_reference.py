"""Who am I, my inbox, the units in reach and the matter catalogue."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from suban.cases.models import Alert, Case
from suban.catalogue.models import Matter
from tests.api.conftest import IN_S2C1G1


def test_me_tells_staff_their_roles_and_reach_and_a_citizen_their_masked_phone(api, cast):
    body = api(cast.carol).get("/me").json()
    assert body["username"] == "carol" and body["roles"] == ["community_handler"]
    assert body["unit"]["code"] == "S1C1"
    assert body["reach"] == {"unit": body["unit"], "own_cases_only": False}
    body = api(cast.cindy).get("/me").json()
    assert body["kind"] == "citizen" and body["phone"] == "138****0001"
    assert body["reach"] == {"unit": None, "own_cases_only": True}


def test_the_inbox_counts_the_units_cases_in_one_query_and_citizens_have_none(api, cast, report):
    first = report("待签收", dispatch=True)
    second = report("办理中", dispatch=True)
    report("另一条街", where=IN_S2C1G1, dispatch=True)
    report("新诉求")
    api(cast.carol).act(second.number, "claim")
    Case.objects.filter(pk=first.pk).update(alert=Alert.YELLOW)
    carol = api(cast.carol)
    with CaptureQueriesContext(connection) as ctx:
        body = carol.get("/inbox/counts").json()
    assert len([q for q in ctx.captured_queries if "cases_case" in q["sql"]]) == 1
    assert body["scope"] == "unit" and body["unit"]["code"] == "S1C1"
    assert (body["to_claim"], body["in_progress"], body["yellow"], body["red"], body["new"]) == (1, 1, 1, 0, 0)
    district = api(cast.dora).get("/inbox/counts").json()
    assert district["scope"] == "reach"
    assert (district["new"], district["to_claim"], district["in_progress"]) == (1, 2, 1)
    assert api(cast.cindy).get("/inbox/counts").status_code == 403


def test_units_are_those_in_reach(api, cast):
    codes = [u["code"] for u in api(cast.bob).get("/units").json()["items"]]
    assert codes == ["S2", "S2C1", "S2C1G1"]
    dora = api(cast.dora)
    grids = dora.get("/units", {"kind": "grid", "under": "S1"}).json()["items"]
    assert [u["code"] for u in grids] == ["S1C1G1", "S1C1G2", "S1C2G1"]
    assert grids[0]["parent"] == "S1C1"
    assert dora.get("/units", {"q": "城管"}).json()["items"][0]["code"] == "DEPT1"
    assert api(cast.cindy).get("/units").json()["count"] == 0


def test_the_matter_catalogue_filters_by_level_parent_and_words(api, cast):
    roads = Matter.objects.create(code="M1", name="市政设施", full_name="市政设施", level=1)
    Matter.objects.create(code="M1-1", name="路灯", full_name="市政设施 / 路灯", level=2, parent=roads)
    Matter.objects.create(code="M1-2", name="井盖", full_name="市政设施 / 井盖", level=2, parent=roads, keywords="窨井")
    Matter.objects.create(code="M9", name="旧事项", full_name="旧事项", level=1, is_active=False)
    cindy = api(cast.cindy)
    assert [m["code"] for m in cindy.get("/matters", {"level": 1}).json()["items"]] == ["M1"]
    children = cindy.get("/matters", {"parent": "M1"}).json()["items"]
    assert [m["code"] for m in children] == ["M1-1", "M1-2"] and children[0]["parent"] == "M1"
    assert [m["code"] for m in cindy.get("/matters", {"q": "窨井"}).json()["items"]] == ["M1-2"]
