"""The case page: everything about a case, and exactly the actions the lifecycle table gives this person."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from suban.cases.models import Attachment, Status
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_reply,
    case_request_extension,
    case_review_reply,
    case_supervise,
)
from suban.cases.visibility import actions_for
from tests.console.conftest import IN_S2C1G1, fresh


def offered(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    panel = response.content.decode().split('id="case-actions"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-testid="action-([a-z_]+)"', panel)


def url(case) -> str:
    return f"/console/cases/{case.number}/"


def test_the_page_offers_exactly_the_tables_actions_for_each_person(page, cast, report):
    case = report("路灯不亮", contact_phone="13912345678")

    def check() -> None:
        now = fresh(case)
        for name in ("dora", "sam", "leo", "alice", "carol", "gary", "dan"):
            response = page(cast[name]).get(url(now))
            if response.status_code == 404:  # out of this person's reach altogether
                # a department's; the street's and the community's until the case is dispatched
                undispatched = now.status in (Status.NEW, Status.ACCEPTED)
                assert name in ("dan", "gary") or now.area_path == "" or undispatched, name
                continue
            assert offered(response) == actions_for(now, cast[name]), (now.status, name)
        assert any(actions_for(now, cast[n]) for n in ("dora", "sam", "carol")), now.status

    check()
    case_accept(case=fresh(case), by=cast.dora)
    check()
    case_dispatch(case=fresh(case), by=cast.dora)
    check()
    case_claim(case=fresh(case), by=cast.carol)
    check()
    assert "approve_extension" not in offered(page(cast.dora).get(url(fresh(case))))
    case_request_extension(case=fresh(case), by=cast.carol, days=1, reason="等配件")
    check()
    assert "approve_extension" in offered(page(cast.dora).get(url(fresh(case))))
    case_reply(case=fresh(case), by=cast.carol, reply="已修复")
    check()
    case_review_reply(case=fresh(case), by=cast.dora, approve=True)
    check()


def test_the_page_shows_the_case_the_people_and_the_timeline(page, cast, report, org):
    case = report("路灯不亮", text="三号楼门口", dispatch=True, contact_phone="13912345678", contact_name="张先生")
    case_claim(case=fresh(case), by=cast.carol)
    case_supervise(case=fresh(case), by=cast.sam, note="请今天修好")
    html = page(cast.carol).get(url(case)).content.decode()
    assert "路灯不亮" in html and "三号楼门口" in html
    assert 'data-testid="contact-phone">139****5678<' in html and "张先生" in html
    assert 'data-testid="lead-unit">东一社区' in html
    assert 'data-testid="supervisions"' in html and "请今天修好" in html
    events = re.findall(r'data-testid="event" data-action="([a-z_]+)"', html)
    assert events == ["submit", "accept", "dispatch", "claim", "supervise"]
    assert 'data-testid="due-at"' in html and 'data-testid="case-map"' in html


def test_a_confidential_complainant_is_hidden_from_the_unit(page, cast, report):
    case = report("举报社区干部", dispatch=True, confidential=True, contact_name="李女士", contact_phone="13912345678")
    carol = page(cast.carol).get(url(case)).content.decode()
    assert "李女士" not in carol and "139****5678" not in carol
    dora = page(cast.dora).get(url(case)).content.decode()
    assert "李女士" in dora and "139****5678" in dora


def test_a_street_handler_gets_404_on_the_other_streets_case(page, cast, report):
    west = report("西街道的井盖", where=IN_S2C1G1, dispatch=True)
    bob = page(cast.bob)
    assert bob.get(url(west)).status_code == 200
    alice = page(cast.alice)
    assert alice.get(url(west)).status_code == 404
    assert alice.get("/console/cases/2099010100001/").status_code == 404
    assert alice.get(f"{url(west)}map.json").status_code == 404
    assert alice.act(west, "note", {"note": "看看"}).status_code == 404


def test_an_action_posts_through_its_service_and_lands_on_the_page(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    carol = page(cast.carol)
    response = carol.act(case, "claim")
    assert response.status_code == 302 and response["Location"] == url(case)
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.handler == cast.carol
    response = carol.act(case, "note", {"note": "已到现场", "public": "on"}, htmx=True)
    assert response.status_code == 204 and response["HX-Redirect"] == url(case)
    assert fresh(case).events.last().note == "已到现场"
    assert "已到现场" in carol.get(url(case)).content.decode()


def test_a_stale_version_asks_to_reload(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    seen_version = case.version
    case_claim(case=fresh(case), by=cast.carol)  # someone acts meanwhile
    response = page(cast.carol).post(f"{url(case)}act/note/", {"version": seen_version, "note": "我看到的是旧页面"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="reload"' in html and "我看到的是旧页面</textarea>" in html
    assert fresh(case).events.filter(action="note").count() == 0
    # By htmx only the actions panel comes back, with the same message.
    response = page(cast.carol).post(f"{url(case)}act/note/", {"version": seen_version, "note": "再试"}, htmx=True)
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<section class="panel actions" id="case-actions"')
    assert 'data-testid="reload"' in body


def test_form_errors_sit_next_to_the_field_and_keep_what_was_typed(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    carol = page(cast.carol)
    response = carol.act(fresh(case), "request_extension", {"days": "0.7", "reason": "等待配件到货"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-days"' in html and 'value="0.7"' in html and "等待配件到货</textarea>" in html
    assert '<details class="act" data-testid="action-request_extension" data-action="request_extension" open>' in html
    response = carol.act(fresh(case), "whistle", {"unit": "不存在的部门", "note": "请配合"})
    html = response.content.decode()
    assert 'data-testid="error-unit"' in html and 'value="不存在的部门"' in html and "请配合</textarea>" in html


def test_a_form_for_an_action_no_longer_open_says_why(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    response = page(cast.alice).act(case, "claim")  # the community leads it, not the street
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="refused-claim"' in html and 'data-testid="form-errors"' in html
    assert fresh(case).status == Status.DISPATCHED


def test_an_unknown_action_is_404(page, cast, report):
    case = report("路灯不亮")
    assert page(cast.dora).act(case, "absorb").status_code == 404
    assert page(cast.dora).act(case, "fly").status_code == 404


def test_the_map_data_is_the_cases_grid_and_its_neighbours(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    data = page(cast.carol).get(f"{url(case)}map.json").json()
    codes = {f["properties"]["code"]: f["properties"]["own"] for f in data["features"]}
    assert codes["S1C1G1"] is True and codes.get("S1C1G2") is False
    assert data["point"] == [120.005, 36.005] and data["grid"] == "S1C1G1"
    assert "S2C1G1" not in codes or codes["S2C1G1"] is False


@pytest.fixture
def photo(cast, report, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = report("路灯不亮", dispatch=True)
    item = Attachment(case=case, kind=Attachment.Kind.PHOTO, content_type="image/png", size=8, uploaded_by=cast.cindy)
    item.file.save("light.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return item


def test_photos_are_shown_to_those_who_see_the_case_only(page, cast, photo):
    carol = page(cast.carol)
    assert 'data-testid="photo"' in carol.get(f"/console/cases/{photo.case.number}/").content.decode()
    response = carol.get(f"/console/attachments/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert page(cast.bob).get(f"/console/attachments/{photo.pk}/").status_code == 404


def test_a_file_that_is_no_image_is_downloaded_not_shown(page, cast, photo):
    photo.content_type = "image/svg+xml"
    photo.save()
    response = page(cast.carol).get(f"/console/attachments/{photo.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_dispatcher_merges_a_duplicate_from_the_case_page(page, cast, report):
    first = report("东一社区门口路灯不亮")
    again = report("路灯不亮，东一社区门口很黑")
    dora = page(cast.dora)
    html = dora.get(url(again)).content.decode()
    # Both are new: the other one is named, but it must be accepted before it can take this one in.
    assert f'data-testid="duplicate-{first.number}"' in html and f"form-dup-{first.number}" not in html
    case_accept(case=fresh(first), by=cast.dora)
    html = dora.get(url(again)).content.decode()
    assert f'data-testid="form-dup-{first.number}"' in html
    response = dora.act(again, "merge", {"form": f"dup-{first.number}", "into": first.number})
    assert response.status_code == 302
    assert fresh(again).status == Status.MERGED
    html = dora.get(url(first)).content.decode()
    assert 'data-testid="merged-cases"' in html and again.number in html and 'data-testid="support-count"' in html


def test_a_rating_staff_took_down_on_the_phone_reads_as_a_return_visit(page, cast, report):
    from suban.cases.models import Satisfaction
    from suban.cases.services import case_rate

    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    case_reply(case=fresh(case), by=cast.carol, reply="已修复")
    case_review_reply(case=fresh(case), by=cast.dora, approve=True)
    case_rate(case=fresh(case), by=cast.sam, satisfaction=Satisfaction.SATISFIED, resolved=True)
    html = page(cast.dora).get(url(case)).content.decode()
    step = html.split('data-action="rate"', 1)[1].split("</li>", 1)[0]
    assert "已回访" in step and "已评价" not in step


def test_a_reopened_case_shows_every_reply_escaped_on_its_timeline(page, cast, report):
    from tests.cases.test_reply_record import two_rounds

    case = report("路灯不亮", dispatch=True)
    first, draft, second = (
        "<b>已更换灯泡</b>",
        "<script>alert('draft')</script>",
        '已修好 <img src=x onerror="alert(2)">',
    )
    two_rounds(fresh(case), cast, first=first, draft=draft, second=second)
    html = page(cast.dora).get(url(case)).content.decode()
    timeline = html.split('data-testid="timeline"', 1)[1]
    shown = re.findall(r'data-testid="step-reply">(.*?)</div>', timeline)
    assert shown == [
        "&lt;b&gt;已更换灯泡&lt;/b&gt;",
        "&lt;script&gt;alert(&#x27;draft&#x27;)&lt;/script&gt;",
        "已修好 &lt;img src=x onerror=&quot;alert(2)&quot;&gt;",
    ]
    assert "请附现场照片" in timeline and "灯还是一闪一闪" in timeline and "这次修好了" in timeline
    for raw in (first, draft, second):
        assert raw not in html


def test_the_deadlines_say_the_districts_office_hours(page, cast, report, org):
    from datetime import time

    from suban.workdays.models import OfficeHours

    case = report("路灯不亮", dispatch=True)
    html = page(cast.carol).get(url(case)).content.decode()
    note = html.split('data-testid="office-hours">', 1)[1].split("</p>", 1)[0]
    assert "08:30–12:00, 13:30–17:30" in note and "办公时间" in note and "次日起算" in note
    OfficeHours.objects.create(district=org["D"], opens=time(9), lunch_starts=None, lunch_ends=None, closes=time(17))
    html = page(cast.carol).get(url(case)).content.decode()
    assert "09:00–17:00" in html.split('data-testid="office-hours">', 1)[1].split("</p>", 1)[0]


def test_extension_days_read_as_a_person_writes_them(page, cast, report):
    from suban.cases.services import case_decide_extension

    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    case_request_extension(case=fresh(case), by=cast.carol, days="1.5", reason="需协调")
    case_decide_extension(case=fresh(case), by=cast.dora, approve=True)
    html = page(cast.carol).get(url(case)).content.decode()
    assert html.count("1.5 个工作日") == 2 and "1.50" not in html  # requested, then approved (stored 1.50)


def test_a_page_whose_version_was_tampered_with_says_so_above_the_form(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    response = page(cast.carol).post(f"/console/cases/{case.number}/act/note/", {"version": "abc", "note": "已到现场"})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="form-errors"' in html
    assert "页面已过期：请刷新后重试。" in html and "已到现场</textarea>" in html


def test_a_stale_form_cannot_be_sent_again_until_the_page_is_reloaded(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    seen_version = case.version
    case_claim(case=fresh(case), by=cast.carol)
    body = page(cast.carol).post(f"{url(case)}act/note/", {"version": seen_version, "note": "旧页面"}, htmx=True)
    html = body.content.decode()
    assert re.search(r'data-testid="submit-note" disabled>', html) and 'data-testid="reload"' in html
    fresh_page = page(cast.carol).get(url(case)).content.decode()
    assert not re.search(r'data-testid="submit-note" disabled', fresh_page)
