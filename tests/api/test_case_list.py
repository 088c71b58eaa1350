"""Listing cases: scoped to the caller's reach, filtered, ordered and paged, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suban.cases.models import Alert, Case, Channel
from suban.catalogue.models import Matter
from tests.api.conftest import IN_S1C2G1, IN_S2C1G1


def numbers(response):
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


def test_bob_does_not_see_the_other_streets_cases(api, cast, report):
    east = report("东街道的井盖", dispatch=True)
    west = report("西街道的井盖", where=IN_S2C1G1, dispatch=True)
    assert numbers(api(cast.bob).get("/cases")) == {west.number}
    assert numbers(api(cast.alice).get("/cases")) == {east.number}
    assert numbers(api(cast.dora).get("/cases")) == {east.number, west.number}
    # Admin accounts reach no case at all.
    assert api(cast.sysadmin).get("/cases").json() == {"items": [], "count": 0, "count_exact": True}


def test_a_citizen_lists_only_their_own_requests(api, cast, report):
    mine = report("我的诉求")
    report("陈先生的诉求", by=cast.chen)
    body = api(cast.cindy).get("/cases").json()
    assert body["count"] == 1 and [i["number"] for i in body["items"]] == [mine.number]


def test_a_case_out_of_reach_answers_404_exactly_like_a_missing_one(api, cast, report):
    east = report("东街道的井盖", dispatch=True)
    bob = api(cast.bob)
    out_of_reach = bob.get(f"/cases/{east.number}")
    missing = bob.get("/cases/2099010100001")
    assert out_of_reach.status_code == missing.status_code == 404
    assert out_of_reach.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert bob.get(f"/cases/{east.number}/events").status_code == 404
    assert bob.act(east.number, "claim").status_code == 404
    assert api(cast.chen).get(f"/cases/{east.number}").status_code == 404


def test_it_filters_by_status_several_at_once(api, cast, report):
    new = report("新诉求")
    dispatched = report("已派单", dispatch=True)
    report("另一个已派单", dispatch=True)
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"status": "new"})) == {new.number}
    assert len(numbers(dora.get("/cases", {"status": ["new", "dispatched"]}))) == 3
    assert dispatched.number in numbers(dora.get("/cases", {"status": "dispatched"}))


def test_it_filters_by_the_lead_unit_exactly_or_by_its_subtree(api, cast, report):
    east1 = report("东一社区", dispatch=True)
    east2 = report("东二社区", where=IN_S1C2G1, dispatch=True)
    report("西一社区", where=IN_S2C1G1, dispatch=True)
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"unit": "S1C1"})) == {east1.number}
    assert numbers(dora.get("/cases", {"unit": "S1"})) == set()
    assert numbers(dora.get("/cases", {"under": "S1"})) == {east1.number, east2.number}
    unknown = dora.get("/cases", {"under": "NOPE"})
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "under"


def test_it_filters_by_type_nature_channel_and_text(api, cast, report):
    noise = report("夜间施工噪音", case_type="enforcement", nature="complaint", text="工地凌晨还在打桩")
    light = report("路灯不亮", by=cast.dora, channel=Channel.HOTLINE)
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"case_type": "enforcement"})) == {noise.number}
    assert numbers(dora.get("/cases", {"nature": "complaint"})) == {noise.number}
    assert numbers(dora.get("/cases", {"channel": "hotline"})) == {light.number}
    assert numbers(dora.get("/cases", {"text": "打桩"})) == {noise.number}
    assert numbers(dora.get("/cases", {"text": light.number[-5:]})) == {light.number}


def test_it_filters_by_matter_with_the_matters_below_it(api, cast, report):
    roads = Matter.objects.create(code="M1", name="市政设施", full_name="市政设施", level=1)
    lights = Matter.objects.create(code="M1-1", name="路灯", full_name="市政设施 / 路灯", level=2, parent=roads)
    water = Matter.objects.create(code="M2", name="供水", full_name="供水", level=1)
    light_case = report("路灯不亮", matter=lights)
    water_case = report("停水", matter=water)
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"matter": "M1"})) == {light_case.number}
    assert numbers(dora.get("/cases", {"matter": "M2"})) == {water_case.number}
    assert dora.get("/cases", {"matter": "M9"}).json()["error"]["field"] == "matter"


def test_it_filters_overdue_and_yellow_cases(api, cast, report):
    red = report("已超期", dispatch=True)
    yellow = report("即将到期", dispatch=True)
    calm = report("正常", dispatch=True)
    Case.objects.filter(pk=red.pk).update(alert=Alert.RED)
    Case.objects.filter(pk=yellow.pk).update(alert=Alert.YELLOW)
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"overdue": "true"})) == {red.number}
    assert numbers(dora.get("/cases", {"overdue": "false"})) == {yellow.number, calm.number}
    assert numbers(dora.get("/cases", {"alert": "yellow"})) == {yellow.number}


def test_it_filters_by_the_day_created_both_ends_included(api, cast, report):
    old, recent, today = report("上周"), report("昨天"), report("今天")
    now = timezone.now()
    Case.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=7))
    Case.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=1))
    yesterday = timezone.localdate(now - timedelta(days=1)).isoformat()
    dora = api(cast.dora)
    assert numbers(dora.get("/cases", {"created_after": yesterday})) == {recent.number, today.number}
    assert numbers(dora.get("/cases", {"created_before": yesterday})) == {old.number, recent.number}
    assert numbers(dora.get("/cases", {"created_after": yesterday, "created_before": yesterday})) == {recent.number}


def test_it_orders_by_creation_or_deadline(api, cast, report):
    first, second = report("先", dispatch=True), report("后")
    dora = api(cast.dora)
    newest_first = [i["number"] for i in dora.get("/cases").json()["items"]]
    assert newest_first == [second.number, first.number]
    oldest_first = [i["number"] for i in dora.get("/cases", {"ordering": "created_at"}).json()["items"]]
    assert oldest_first == [first.number, second.number]
    # A case without a deadline goes last, whichever the direction.
    by_due = [i["number"] for i in dora.get("/cases", {"ordering": "-due_at"}).json()["items"]]
    assert by_due == [first.number, second.number]


def test_it_pages_with_limit_and_offset_up_to_a_hundred_and_counts_them_all(api, cast, report):
    made = [report(f"诉求{i}").number for i in range(5)]
    dora = api(cast.dora)
    page = dora.get("/cases", {"limit": 2, "offset": 2, "ordering": "created_at"}).json()
    assert page["count"] == 5
    assert [i["number"] for i in page["items"]] == made[2:4]
    too_large = dora.get("/cases", {"limit": 101})
    assert too_large.status_code == 400 and too_large.json()["error"]["field"] == "limit"


def test_the_list_takes_the_same_queries_for_few_or_many_cases(api, cast, report):
    dora = api(cast.dora)
    report("一", dispatch=True)

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert dora.get("/cases").status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    few = queries()
    for i in range(6):
        report(f"多{i}", where=IN_S2C1G1, dispatch=True)
    many = queries()
    assert len(many) == len(few)
    # One count and one page, the page joining only the lead unit and the matter it shows.
    on_cases = [sql for sql in many if "cases_case" in sql]
    assert len(on_cases) == 2
    assert '"org_unit"' in on_cases[1] and '"catalogue_matter"' in on_cases[1]
    assert '"cases_case"."text"' not in on_cases[1]


def test_past_the_cap_the_count_stops_and_says_so(api, cast, report, monkeypatch):
    from suban.api import pagination

    for title in ("一", "二", "三"):
        report(title)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    page = api(cast.dora).get("/cases", {"limit": 1}).json()
    assert (page["count"], page["count_exact"], len(page["items"])) == (2, False, 1)
    deep = api(cast.dora).get("/cases", {"limit": 1, "offset": 2}).json()  # a page past the cap counts to it
    assert (deep["count"], deep["count_exact"], len(deep["items"])) == (3, True, 1)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    assert api(cast.dora).get("/cases").json()["count_exact"] is True


def test_an_offset_past_any_list_is_a_400_not_a_database_error(api, cast, report):
    report("诉求")
    dora = api(cast.dora)
    for offset in ("99999999999999999999", "1000000001", "-1"):
        refused = dora.get("/cases", {"offset": offset})
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "offset", offset
    far = dora.get("/cases", {"offset": 1_000_000_000}).json()
    assert far["items"] == [] and far["count"] == 1 and far["count_exact"] is True
