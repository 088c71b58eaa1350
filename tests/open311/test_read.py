"""GET Service Requests, GET Service Request, tokens and the updates feed: what is published of a case and
what is not, every filter of the spec and of the common extensions, and their errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from suban.cases.models import Case
from suban.cases.services import (
    case_accept,
    case_claim,
    case_decline,
    case_dispatch,
    case_reply,
    case_review_reply,
    case_submit,
)
from suban.open311.models import Submission
from tests.conftest import Cast
from tests.open311.conftest import PHONE, form, xml
from tests.timing import at

pytestmark = pytest.mark.django_db

IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}
IN_S2C1G1 = {"longitude": 119.985, "latitude": 36.005}


def listed(o311: Any, path: str = "requests.json", **params: Any) -> list[dict[str, Any]]:
    response = o311.get(path, params)
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = json.loads(response.content)
    return rows


def numbers(rows: list[dict[str, Any]]) -> list[str]:
    return [r["service_request_id"] for r in rows]


@pytest.fixture
def report(cast: Cast, frozen: Any) -> Any:
    def _report(title: str, where: dict[str, Any] = IN_S1C1G1, **kw: Any) -> Case:
        return case_submit(by=cast.cindy, title=title, **{**where, **kw})

    return _report


def test_a_dispatched_case_shows_its_unit_deadline_and_place(o311, cast, matters, report, frozen):
    case = report("路灯不亮", text="门口路灯坏了，联系我 13800000001", matter=matters["010101"])
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case.refresh_from_db()
    [shown] = listed(o311)
    assert shown["service_request_id"] == case.number
    assert (shown["status"], shown["service_code"], shown["service_name"]) == ("open", "010101", "路灯")
    assert shown["agency_responsible"] == "东一社区"
    assert shown["requested_datetime"] == "2026-02-09T09:00:00+08:00"
    assert shown["expected_datetime"] == case.due_at.astimezone(at(2026, 1, 1).tzinfo).isoformat()
    assert case.limit_days == 2 and shown["service_notice"] == "To be handled within 2 working days."
    assert (shown["lat"], shown["long"]) == (36.005, 120.005)
    assert shown["address"] == "东一社区第一网格, 东一社区, 东街道, 演示区"  # most specific first
    assert "138****0001" in shown["description"]  # the phone in the text is masked
    assert "contact" not in json.dumps(shown)


def test_personal_numbers_and_addresses_in_the_text_are_masked(o311, cast, report):
    case = report(
        "路灯不亮 请回电 139 1234 5678",
        text="联系人邮箱zhang.san@qq.com，电话139-1234-5678，身份证号370212199001011234。",
    )
    case_accept(case=case, by=cast.dora)
    [shown] = listed(o311)
    assert shown["description"] == (
        "路灯不亮 请回电 139****5678\n联系人邮箱z***@qq.com，电话139****5678，身份证号370212********1234。"
    )
    assert "contact" not in json.dumps(shown)


def test_xml_has_the_spec_elements_in_order(o311, cast, matters, report):
    report("路灯不亮")
    response = o311.get("requests.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    request = xml(response).find("request")
    assert request is not None
    assert [child.tag for child in request] == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert request.findtext("service_code") == "other" and request.findtext("expected_datetime") == ""


def test_a_confidential_case_is_listed_without_what_could_point_at_the_reporter(o311, cast, report):
    report("邻居装修噪音", text="住我楼上的张某每晚施工", confidential=True, address="幸福小区3号楼")
    [shown] = listed(o311)
    assert shown["description"] is None and shown["lat"] is None and shown["long"] is None
    assert shown["address"] == "东街道, 演示区"  # the street, no nearer
    assert "张某" not in json.dumps(shown, ensure_ascii=False)


def test_a_complaint_about_a_units_staff_is_published_nowhere(o311, cast, org, report):
    about = report("社区工作人员推诿", text="东一社区的工作人员不办事", nature="complaint", complained_unit=org["S1C1"])
    plain = report("路灯不亮")
    assert numbers(listed(o311)) == [plain.number]
    assert o311.get(f"requests/{about.number}.json").status_code == 404
    steps = listed(o311, "servicerequestupdates.json", start_date="2026-01-01T00:00:00+08:00")
    assert about.number not in json.dumps(steps)


def test_a_closed_case_shows_why_and_when(o311, cast, report, frozen):
    declined = report("咨询")
    frozen.advance(hours=1)
    case_decline(case=declined, by=cast.dora, reason="legal_channel")
    [shown] = listed(o311)
    assert shown["status"] == "closed"
    assert shown["status_notes"] == "Declined: Litigation, arbitration, petition or another legal channel"
    assert shown["updated_datetime"] == "2026-02-09T10:00:00+08:00"


def test_the_released_reply_is_the_status_note(o311, cast, report):
    case = report("路灯不亮")
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="已更换灯泡。")
    assert listed(o311)[0]["status_notes"] != "已更换灯泡。"  # not before the district releases it
    case_review_reply(case=case, by=cast.dora, approve=True)
    assert listed(o311)[0]["status_notes"] == "已更换灯泡。"


def test_the_filters_of_the_spec(o311, cast, matters, report, frozen):
    lamp = report("路灯", matter=matters["010101"])
    frozen.advance(days=1)
    noise = report("噪音", matter=matters["0201"])
    frozen.advance(days=1)
    other = report("其他")
    case_decline(case=other, by=cast.dora, reason="other")
    assert numbers(listed(o311)) == [other.number, noise.number, lamp.number]  # newest first
    assert numbers(listed(o311, service_code="0201,010101")) == [noise.number, lamp.number]
    assert numbers(listed(o311, service_code="other")) == [other.number]
    assert numbers(listed(o311, status="closed")) == [other.number]
    assert numbers(listed(o311, status="open")) == [noise.number, lamp.number]
    assert numbers(listed(o311, status="open,closed")) == [other.number, noise.number, lamp.number]
    window = {"start_date": "2026-02-10T00:00:00+08:00", "end_date": "2026-02-10T23:59:59+08:00"}
    assert numbers(listed(o311, **window)) == [noise.number]
    assert numbers(listed(o311, start_date="2026-02-10T00:00:00Z")) == [other.number, noise.number]
    # service_request_id overrides every other argument
    assert numbers(listed(o311, service_request_id=f"{lamp.number},{other.number}", status="open")) == [
        other.number,
        lamp.number,
    ]


def test_the_default_window_is_the_last_90_days(o311, cast, report, frozen):
    old = report("旧的")
    frozen.advance(days=91)
    new = report("新的")
    assert numbers(listed(o311)) == [new.number]
    assert numbers(listed(o311, service_request_id=old.number)) == [old.number]
    assert numbers(listed(o311, end_date="2026-02-10T00:00:00+08:00")) == [old.number]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},  # more than 90 days
        {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},  # backwards
        {"start_date": "2026-02-01T00:00:00"},  # no offset
        {"start_date": "yesterday"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "1001"},
        {"bbox": "120,36,119,37"},
        {"lat": "36"},
        {"lat": "36", "long": "120", "radius": "100000"},
        {"radius": "100"},
        {"updated_after": "2026-03-01T00:00:00Z", "updated_before": "2026-02-01T00:00:00Z"},
    ],
)
def test_bad_filters_are_400_in_the_spec_format(o311, params):
    response = o311.get("requests.json", params)
    assert response.status_code == 400
    errors = json.loads(response.content)
    assert errors and all(e["code"] == 400 and e["description"] for e in errors)
    as_xml = o311.get("requests.xml", params)
    assert as_xml.status_code == 400 and xml(as_xml).tag == "errors"


def test_pages(o311, cast, report, frozen):
    made = []
    for n in range(5):
        made.append(report(f"第{n}件"))
        frozen.advance(minutes=1)
    newest_first = [c.number for c in reversed(made)]
    assert numbers(listed(o311, page_size=2)) == newest_first[:2]
    assert numbers(listed(o311, page_size=2, page=3)) == newest_first[4:]
    assert numbers(listed(o311, page_size=2, page=4)) == []


def test_updated_after_and_before(o311, cast, report, frozen):
    first = report("一")
    frozen.advance(hours=2)
    second = report("二")
    frozen.advance(hours=2)
    case_accept(case=first, by=cast.dora)  # touches the first one last
    assert numbers(listed(o311, updated_after="2026-02-09T12:00:00+08:00")) == [first.number]
    assert numbers(listed(o311, updated_before="2026-02-09T12:00:00+08:00")) == [second.number]


def test_bbox_and_radius(o311, cast, report):
    east = report("东", where=IN_S1C1G1)
    west = report("西", where=IN_S2C1G1)
    report("没有位置", where={}, address="某处")
    assert numbers(listed(o311, bbox="120.0,36.0,120.01,36.01")) == [east.number]
    assert numbers(listed(o311, bbox="119.9,35.9,120.1,36.1")) == [west.number, east.number]
    # 0.02° of longitude at 36°N is about 1.8 km
    assert numbers(listed(o311, lat="36.005", long="120.005", radius="500")) == [east.number]
    assert numbers(listed(o311, lat="36.005", long="120.005", radius="2000")) == [west.number, east.number]
    assert numbers(listed(o311, lat="36.005", long="120.005")) == [east.number]  # 1 km by default


def test_notes_with_extensions(o311, cast, report, frozen):
    case = report("路灯")
    frozen.advance(minutes=5)
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    assert "notes" not in listed(o311)[0]
    [shown] = listed(o311, extensions="true")
    assert [n["type"] for n in shown["notes"]] == ["submit", "accept", "dispatch"]
    assert shown["notes"][2]["description"].endswith("东一社区")
    assert shown["notes"][1]["datetime"] == "2026-02-09T09:05:00+08:00"
    doc = xml(o311.get(f"requests/{case.number}.xml", {"extensions": "true"}))
    assert [n.findtext("type") for n in doc.iterfind("request/notes/note")] == ["submit", "accept", "dispatch"]


def test_one_request_and_a_missing_one(o311, cast, report):
    case = report("路灯")
    assert numbers(listed(o311, f"requests/{case.number}.json")) == [case.number]
    doc = xml(o311.get(f"requests/{case.number}.xml"))
    assert doc.findtext("request/service_request_id") == case.number
    missing = o311.get("requests/2026010199999.json")
    assert missing.status_code == 404 and json.loads(missing.content)[0]["code"] == 404


def test_a_jurisdiction_narrows_and_an_unknown_one_is_404(o311, cast, report):
    case = report("路灯")
    assert numbers(listed(o311, jurisdiction_id="D")) == [case.number]
    assert o311.get("requests.json", {"jurisdiction_id": "S1"}).status_code == 404  # a street is no jurisdiction
    assert o311.get("requests.json", {"jurisdiction_id": "nowhere.gov"}).status_code == 404
    assert o311.get(f"requests/{case.number}.json", {"jurisdiction_id": "X"}).status_code == 404


def test_a_token_gives_the_request(o311, org, matters, app_key):
    o311.post("requests.json", form(app_key))
    submission = Submission.objects.get()
    [found] = listed(o311, f"tokens/{submission.token}.json")
    assert found == {"service_request_id": submission.case.number, "token": submission.token}
    doc = xml(o311.get(f"tokens/{submission.token}.xml"))
    assert doc.findtext("request/token") == submission.token
    assert o311.get("tokens/nope.json").status_code == 404


def test_a_submitted_request_reads_back_without_its_contact(o311, org, matters, app_key):
    number = json.loads(o311.post("requests.json", form(app_key)).content)[0]["service_request_id"]
    body = o311.get(f"requests/{number}.json", {"extensions": "true"}).content
    assert PHONE.encode() not in body and "王".encode() not in body  # the seen fixture checks every body too


def test_the_updates_feed(o311, cast, report, frozen):
    case = report("路灯")
    frozen.advance(hours=1)
    case_accept(case=case, by=cast.dora)
    frozen.advance(hours=1)
    case_dispatch(case=case, by=cast.dora)
    other = report("咨询")
    frozen.advance(hours=1)
    case_decline(case=other, by=cast.dora, reason="other")
    frozen.advance(hours=1)
    rows = listed(o311, "servicerequestupdates.json")
    assert [(r["service_request_id"], r["status"]) for r in rows] == [
        (case.number, "open"),
        (case.number, "open"),
        (other.number, "closed"),
    ]
    assert rows[0]["update_id"] == f"{case.number}-2" and rows[0]["updated_datetime"] == "2026-02-09T10:00:00+08:00"
    assert rows[1]["description"].endswith("东一社区")
    after = listed(o311, "servicerequestupdates.json", updated_after="2026-02-09T10:30:00+08:00")
    assert [r["update_id"] for r in after] == [f"{case.number}-3", f"{other.number}-2"]
    fms = listed(o311, "servicerequestupdates.json", start_date="2026-02-09T11:30:00+08:00")
    assert [r["update_id"] for r in fms] == [f"{other.number}-2"]
    doc = xml(o311.get("servicerequestupdates.xml"))
    assert doc.tag == "service_requests_updates"
    assert [u.findtext("update_id") for u in doc.iterfind("request_update")] == [r["update_id"] for r in rows]
    assert o311.get("servicerequestupdates.json", {"updated_after": "soon"}).status_code == 400


def test_private_steps_are_not_in_the_feed(o311, cast, report, frozen):
    from suban.cases.services import case_note

    case = report("路灯")
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_claim(case=case, by=cast.carol)
    case_note(case=case, by=cast.carol, note="内部：联系了张某")
    frozen.advance(minutes=1)
    kinds = [r["description"] for r in listed(o311, "servicerequestupdates.json")]
    assert len(kinds) == 3 and not any("张某" in k for k in kinds)  # accept, dispatch, claim


def test_control_characters_in_a_text_do_not_break_the_xml(o311, cast, report):
    report("路灯\x0b不亮", text="坏了\x01")
    doc = xml(o311.get("requests.xml"))
    assert doc.findtext("request/description") == "路灯不亮\n坏了"


def test_a_page_costs_the_same_few_queries_however_many_cases(
    o311, cast, matters, app_key, report, django_assert_max_num_queries
):
    for n in range(4):
        case = report(f"第{n}件", matter=matters["010101"])
        case_accept(case=case, by=cast.dora)
        case_decline(case=report(f"咨询{n}"), by=cast.dora, reason="other")
    o311.post("requests.json", form(app_key, media_url="https://img.example.com/a.jpg"))
    o311.get("requests.json")  # warm the per-process caches (unit directory)
    with django_assert_max_num_queries(3):  # the cases, their public steps, the directory's fingerprint
        rows = listed(o311, extensions="true")
    assert len(rows) == 9 and all(r["notes"] for r in rows)
    with django_assert_max_num_queries(2):
        assert len(listed(o311, "servicerequestupdates.json")) == 8


@pytest.mark.parametrize(
    "path, params",
    [
        ("requests.json", {"service_code": "\x00"}),
        ("requests.json", {"jurisdiction_id": "\x00"}),
        ("requests.json", {"api_key": "\x00"}),
        ("requests/2026\x00.json", {}),
        ("tokens/\x00.json", {}),
        ("services/\x00.json", {}),
        ("servicerequestupdates.json", {"service_request_id": "\x00"}),
        ("media/\x00", {}),
    ],
)
def test_a_nul_anywhere_is_a_400_in_the_spec_format(o311, cast, report, path, params):
    report("路灯不亮")
    response = o311.get(path, params)
    assert response.status_code == 400
    fmt_json = path.endswith(".json")
    errors = (
        json.loads(response.content) if fmt_json else [{"code": int(e.findtext("code") or 0)} for e in xml(response)]
    )
    assert [e["code"] for e in errors] == [400]
