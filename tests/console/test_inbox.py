"""The inbox: tabs with counts, search and filters, pages, and the export."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from suban.cases.clock import run_clock
from suban.cases.models import Alert
from suban.cases.services import case_accept, case_claim, case_dispatch, case_reply, case_whistle
from suban.catalogue.models import Matter
from tests.console.conftest import IN_S1C2G1, IN_S2C1G1, fresh
from tests.timing import at


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return re.findall(r'data-testid="case-row" data-case="(\d+)"', response.content.decode())


def tab_count(response, key: str) -> int:
    found = re.search(rf'data-testid="count-{key}">(\d+)<', response.content.decode())
    assert found, key
    return int(found.group(1))


@pytest.fixture
def piles(cast, report, frozen):
    """Carol's community (S1C1) holds: one overdue, one due soon, one to claim, one returned."""
    late = report("路灯不亮", dispatch=True)  # Monday 09:00, due Wednesday 17:30
    case_claim(case=late, by=cast.carol)
    frozen.set(at(2026, 2, 10, 9))
    soon = report("井盖丢了", dispatch=True)  # Tuesday 09:00, due Thursday 17:30, yellow from Wednesday 17:30
    case_claim(case=soon, by=cast.carol)
    frozen.set(at(2026, 2, 11, 18))
    waiting = report("垃圾没人收", dispatch=True)
    back = report("不归社区管", dispatch=True)
    from suban.cases.services import case_return

    case_return(case=back, by=cast.carol, reason="应由城管处理")
    run_clock()
    assert fresh(late).alert == Alert.RED and fresh(soon).alert == Alert.YELLOW
    elsewhere = report("西街道的事", where=IN_S2C1G1, dispatch=True)
    return {"late": late, "soon": soon, "waiting": waiting, "back": back, "elsewhere": elsewhere}


def test_the_tabs_count_and_list_the_same_cases(page, cast, piles):
    carol = page(cast.carol)
    expected = {
        "to_claim": [piles["waiting"]],
        "in_progress": [piles["late"], piles["soon"]],
        "due_soon": [piles["soon"]],
        "overdue": [piles["late"]],
        "returned": [piles["back"]],
    }
    first = carol.get("/console/inbox/", {"tab": "to_claim"})
    for key, cases in expected.items():
        assert tab_count(first, key) == len(cases), key
        assert sorted(listed(carol.get("/console/inbox/", {"tab": key}))) == sorted(c.number for c in cases), key
    # Carol is no reviewer: no such tab, and asking for it falls back to a tab she has.
    assert 'data-testid="tab-to_review"' not in first.content.decode()
    assert carol.get("/console/inbox/", {"tab": "to_review"}).status_code == 200


def test_the_red_and_yellow_tabs_carry_their_alert_colours(page, cast, piles):
    html = page(cast.carol).get("/console/inbox/", {"tab": "overdue"}).content.decode()
    assert 'class="count red" data-testid="count-overdue">1<' in html
    assert 'class="count yellow" data-testid="count-due_soon">1<' in html
    assert 'data-testid="alert-red"' in html


def test_a_dispatcher_sees_the_whole_district_and_the_replies_to_review(page, cast, piles):
    case_reply(case=fresh(piles["late"]), by=cast.carol, reply="路灯已修好")
    dora = page(cast.dora)
    response = dora.get("/console/inbox/", {"tab": "to_review"})
    assert listed(response) == [piles["late"].number] and tab_count(response, "to_review") == 1
    assert piles["elsewhere"].number in listed(dora.get("/console/inbox/", {"tab": "to_claim"}))


def test_the_street_sees_only_its_own_cases_in_all_cases(page, cast, piles):
    bob = listed(page(cast.bob).get("/console/inbox/", {"tab": "all"}))
    assert bob == [piles["elsewhere"].number]


def test_a_whistled_in_department_finds_the_case_under_co_handling(page, cast, piles, org):
    case_whistle(case=fresh(piles["soon"]), by=cast.carol, unit=org["DEPT1"], note="请城管配合")
    response = page(cast.dan).get("/console/inbox/", {"tab": "co"})
    assert listed(response) == [piles["soon"].number] and tab_count(response, "co") == 1


def test_the_default_tab_is_the_first_with_cases(page, cast, piles):
    html = page(cast.carol).get("/console/inbox/").content.decode()
    assert 'class="tab active" data-testid="tab-to_claim"' in html


def test_search_finds_by_number_title_and_text(page, cast, report):
    light = report("路灯不亮", text="三号楼门口", dispatch=True)
    noise = report("夜间施工噪音", text="工地凌晨打桩", dispatch=True)
    dora = page(cast.dora)
    assert listed(dora.get("/console/inbox/", {"tab": "all", "q": "打桩"})) == [noise.number]
    assert listed(dora.get("/console/inbox/", {"tab": "all", "q": "路灯"})) == [light.number]
    assert listed(dora.get("/console/inbox/", {"tab": "all", "q": light.number})) == [light.number]


def test_filters_by_type_nature_matter_unit_date_and_overdue(page, cast, report, frozen, org):
    parent = Matter.objects.create(code="M1", name="市政设施", full_name="市政设施", level=1)
    lamps = Matter.objects.create(code="M1-1", name="路灯", full_name="市政设施 / 路灯", parent=parent, level=2)
    light = report("路灯不亮", matter=lamps, nature="complaint", dispatch=True)
    frozen.set(at(2026, 2, 12, 9))
    noise = report("夜间施工噪音", case_type="enforcement", where=IN_S1C2G1, dispatch=True)
    dora = page(cast.dora)

    def only(**params):
        return listed(dora.get("/console/inbox/", {"tab": "all", **params}))

    assert only(case_type="enforcement") == [noise.number]
    assert only(nature="complaint") == [light.number]
    assert only(matter="市政设施（M1）") == [light.number]  # the matter and those below it
    assert only(matter="路灯") == [light.number]
    assert only(unit="东一社区（S1C1）") == [light.number]
    assert sorted(only(unit="S1")) == sorted([light.number, noise.number])  # a street: its whole subtree
    assert only(created_from="2026-02-10") == [noise.number]
    assert only(created_to="2026-02-09") == [light.number]
    run_clock()  # Thursday: the case of Monday is overdue
    assert only(overdue="yes") == [light.number]
    assert only(overdue="no") == [noise.number]


def test_a_filter_that_names_nothing_says_so_next_to_it_and_keeps_the_input(page, cast, report):
    light = report("路灯不亮", dispatch=True)
    response = page(cast.dora).get(
        "/console/inbox/", {"tab": "all", "unit": "火星街道", "q": "路灯", "created_from": "2026-13-40"}
    )
    html = response.content.decode()
    assert 'data-testid="error-unit"' in html and 'value="火星街道"' in html
    assert 'data-testid="error-created_from"' in html and 'value="2026-13-40"' in html
    assert 'value="路灯"' in html
    assert listed(response) == [light.number]  # the valid filters still apply


def test_the_end_of_a_range_may_not_come_before_its_start(page, cast):
    html = (
        page(cast.dora)
        .get("/console/inbox/", {"tab": "all", "created_from": "2026-02-10", "created_to": "2026-02-01"})
        .content.decode()
    )
    assert 'data-testid="error-created_to"' in html


def test_long_lists_come_in_pages(page, cast, report):
    made = [report(f"诉求{i}") for i in range(30)]
    dora = page(cast.dora)
    first = dora.get("/console/inbox/", {"tab": "all"})
    second = dora.get("/console/inbox/", {"tab": "all", "page": 2})
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert set(listed(first)) | set(listed(second)) == {c.number for c in made}
    assert 'data-testid="pager-page"' in first.content.decode()


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_holds_the_filtered_list_with_phones_masked(page, cast, report):
    light = report("路灯不亮", dispatch=True, contact_phone="13912345678", contact_name="张先生")
    report("夜间施工噪音", dispatch=True)
    secret = report('=HYPERLINK("http://x")', dispatch=True, anonymous=True)
    rows = read_xlsx(page(cast.dora).get("/console/inbox/export.xlsx", {"tab": "all", "q": "路灯"}))
    assert len(rows) == 2
    header, row = rows
    assert row[0] == light.number and row[1] == "路灯不亮"
    phone = row[header.index("电话")] if "电话" in header else row[12]
    assert phone == "139****5678" and "13912345678" not in str(row)
    assert row[11] == "张先生"
    # An anonymous complainant stays hidden; text that looks like a formula stays text.
    rows = read_xlsx(page(cast.dora).get("/console/inbox/export.xlsx", {"tab": "all", "q": "HYPERLINK"}))
    assert rows[1][0] == secret.number and rows[1][1].startswith("=") and rows[1][12] in ("", None)


def test_the_export_is_scoped_and_capped(page, cast, report, monkeypatch):
    for i in range(4):
        report(f"东街道诉求{i}", dispatch=True)
    report("西街道诉求", where=IN_S2C1G1, dispatch=True)
    assert len(read_xlsx(page(cast.bob).get("/console/inbox/export.xlsx", {"tab": "all"}))) == 2
    monkeypatch.setattr("suban.console.views.inbox.EXPORT_CAP", 3)
    dora = page(cast.dora)
    rows = read_xlsx(dora.get("/console/inbox/export.xlsx", {"tab": "all"}))
    assert len([r for r in rows[1:] if r and r[0]]) == 4  # three cases and the closing note
    assert "3" in str(rows[-1][0]) and "5" in str(rows[-1][0])
    assert 'data-testid="export-cap"' in dora.get("/console/inbox/", {"tab": "all"}).content.decode()


def test_a_case_led_by_the_other_street_never_shows(page, cast, report):
    west = report("西街道的井盖", where=IN_S2C1G1)
    case_accept(case=west, by=cast.dora)
    case_dispatch(case=west, by=cast.dora)
    for tab in ("to_claim", "all"):
        assert west.number not in listed(page(cast.alice).get("/console/inbox/", {"tab": tab}))


def test_extension_requests_wait_in_their_own_tab_for_who_decides_them(page, cast, report):
    from suban.cases.services import case_decide_extension, case_request_extension

    asked = report("路灯不亮", dispatch=True)
    case_claim(case=asked, by=cast.carol)
    case_request_extension(case=fresh(asked), by=cast.carol, days=2, reason="等配件")
    other = report("井盖丢了", dispatch=True)
    case_claim(case=other, by=cast.carol)
    for name in ("dora", "sam"):
        response = page(cast[name]).get("/console/inbox/", {"tab": "extensions"})
        assert listed(response) == [asked.number] and tab_count(response, "extensions") == 1, name
        assert "延期申请" in response.content.decode()
    carol = page(cast.carol).get("/console/inbox/").content.decode()
    assert 'data-testid="count-extensions"' not in carol  # the unit asks; it does not decide
    case_decide_extension(case=fresh(asked), by=cast.dora, approve=True)
    assert listed(page(cast.dora).get("/console/inbox/", {"tab": "extensions"})) == []


def test_a_reply_withdraws_an_extension_request_nobody_decided(page, cast, report):
    from suban.cases.models import CaseEvent
    from suban.cases.services import case_request_extension

    case = report("路灯不亮", dispatch=True)
    case_claim(case=case, by=cast.carol)
    case_request_extension(case=fresh(case), by=cast.carol, days=3, reason="等配件")
    case_reply(case=fresh(case), by=cast.carol, reply="已修复")
    assert fresh(case).pending_extension_days is None
    event = CaseEvent.objects.get(case=case, action="reply")
    assert event.data["extension_withdrawn"] == "3.00" and "3" in event.note
    html = page(cast.dora).get(f"/console/cases/{case.number}/").content.decode()
    assert 'data-testid="pending-extension"' not in html
    assert listed(page(cast.dora).get("/console/inbox/", {"tab": "extensions"})) == []
