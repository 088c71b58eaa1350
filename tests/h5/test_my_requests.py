"""My requests: the list, one request with its public timeline, the reply once released, adding
information, rating and objecting; files only for those who may see the case."""

from __future__ import annotations

import re

from suban.cases.attachments import save_attachments
from suban.cases.models import Attachment, CaseEvent, Satisfaction, Status
from suban.cases.services import (
    case_claim,
    case_note,
    case_rate,
    case_reply,
    case_return,
    case_submit,
    case_supervise,
)
from tests.h5 import media
from tests.h5.conftest import png
from tests.h5.media import upload


def test_the_list_shows_status_number_title_date_and_unit(as_citizen, cast, dispatched):
    case_submit(by=cast.chen, title="别人的诉求", text="x")
    body = as_citizen(cast.cindy).get("/h5/mine/").content.decode()
    assert dispatched.number in body and "路灯不亮" in body and "东一社区" in body
    assert 'data-status="dispatched"' in body and "2026-02-09" in body
    assert "别人的诉求" not in body


def test_the_tabs_filter_by_progress(as_citizen, cast, visiting):
    client = as_citizen(cast.cindy)
    assert visiting.number in client.get("/h5/mine/?tab=rate").content.decode()
    assert visiting.number not in client.get("/h5/mine/?tab=open").content.decode()
    assert visiting.number not in client.get("/h5/mine/?tab=done").content.decode()


def test_each_tab_says_what_it_has_none_of(as_citizen, cast, dispatched):
    assert "这里还没有诉求。" in as_citizen(cast.chen).get("/h5/mine/").content.decode()
    client = as_citizen(cast.cindy)
    # Cindy has a request being handled: the other tabs must not tell her she has none at all.
    assert "这里还没有诉求。" not in client.get("/h5/mine/?tab=rate").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/h5/mine/"})
    assert "No request is waiting for your rating." in client.get("/h5/mine/?tab=rate").content.decode()
    assert "None of your requests is finished yet." in client.get("/h5/mine/?tab=done").content.decode()
    assert dispatched.number in client.get("/h5/mine/?tab=open").content.decode()
    chen = as_citizen(cast.chen)
    chen.post("/i18n/setlang/", {"language": "en", "next": "/h5/mine/"})
    assert "No request of yours is being handled." in chen.get("/h5/mine/?tab=open").content.decode()


def test_another_citizens_request_is_not_found(as_citizen, cast, dispatched):
    chen = as_citizen(cast.chen)
    number = dispatched.number
    for path in (f"/h5/mine/{number}/", f"/h5/mine/{number}/timeline/", f"/h5/submitted/{number}/"):
        assert chen.get(path).status_code == 404
    assert chen.post(f"/h5/mine/{number}/add-info/", {"text": "x", "version": 1}).status_code == 404
    assert chen.post(f"/h5/mine/{number}/rate/", {"satisfaction": "satisfied"}).status_code == 404
    assert as_citizen(cast.cindy).get(f"/h5/mine/{number}/").status_code == 200


def test_the_detail_shows_status_unit_and_masked_contact(as_citizen, cast, dispatched):
    body = as_citizen(cast.cindy).get(f"/h5/mine/{dispatched.number}/").content.decode()
    assert 'data-testid="case-unit">东一社区<' in body
    assert "138****0001" in body and "13800000001" not in body


def test_the_timeline_hides_internal_steps_and_the_reply_before_release(as_citizen, cast, dispatched):
    case_claim(case=dispatched, by=cast.carol)
    case_note(case=dispatched, by=cast.carol, note="内部备注：物业电话已联系")
    case_note(case=dispatched, by=cast.carol, note="已安排电工明天上门", public=True)
    case_supervise(case=dispatched, by=cast.sam, note="督办：尽快处理")
    case_reply(case=dispatched, by=cast.carol, reply="已更换灯泡，路灯恢复照明。")
    client = as_citizen(cast.cindy)
    body = client.get(f"/h5/mine/{dispatched.number}/").content.decode()
    assert "已安排电工明天上门" in body
    assert "内部备注" not in body and "督办：尽快处理" not in body
    assert "已更换灯泡" not in body and 'data-testid="reply"' not in body
    actions = [part.split('"')[0] for part in body.split('data-action="')[1:]]
    assert actions == ["note", "claim", "dispatch", "accept", "submit"]  # newest first
    assert "Carol" not in body  # a citizen learns which unit acted, not who


def test_the_reply_shows_once_released_and_the_rating_form_with_it(as_citizen, cast, visiting):
    body = as_citizen(cast.cindy).get(f"/h5/mine/{visiting.number}/").content.decode()
    assert 'data-testid="reply"' in body and "已更换灯泡" in body
    assert 'id="rate-form"' in body and 'name="satisfaction"' in body


def test_the_rating_form_shows_only_when_the_table_allows_it(as_citizen, cast, dispatched):
    body = as_citizen(cast.cindy).get(f"/h5/mine/{dispatched.number}/").content.decode()
    assert 'id="rate-form"' not in body and 'id="add-info-form"' in body
    response = as_citizen(cast.cindy).post(
        f"/h5/mine/{dispatched.number}/rate/",
        {"satisfaction": "satisfied", "resolved": "yes", "version": dispatched.version},
    )
    assert response.status_code == 200 and 'class="msg error"' in response.content.decode()
    dispatched.refresh_from_db()
    assert dispatched.status == Status.DISPATCHED


def test_a_satisfied_citizen_closes_the_case(as_citizen, cast, visiting):
    client = as_citizen(cast.cindy)
    response = client.post(
        f"/h5/mine/{visiting.number}/rate/",
        {"satisfaction": "satisfied", "resolved": "yes", "comment": "很快", "version": visiting.version},
    )
    assert response.status_code == 302
    visiting.refresh_from_db()
    assert visiting.status == Status.CLOSED and visiting.satisfaction == Satisfaction.SATISFIED
    assert visiting.resolved is True and visiting.rating_comment == "很快"
    body = client.get(f"/h5/mine/{visiting.number}/").content.decode()
    assert 'data-testid="my-rating"' in body and 'id="rate-form"' not in body and 'id="add-info-form"' not in body


def test_an_objection_needs_a_reason_and_goes_to_the_district(as_citizen, cast, visiting):
    client = as_citizen(cast.cindy)
    url = f"/h5/mine/{visiting.number}/rate/"
    bare = client.post(url, {"satisfaction": "unsatisfied", "resolved": "no", "version": visiting.version})
    assert bare.status_code == 200 and 'data-testid="error-comment"' in bare.content.decode()
    assert 'value="unsatisfied" checked' in bare.content.decode()
    objected = client.post(
        url,
        {"satisfaction": "unsatisfied", "resolved": "no", "comment": "路灯还是不亮", "version": visiting.version},
    )
    assert objected.status_code == 302
    visiting.refresh_from_db()
    assert visiting.status == Status.UNSATISFIED
    body = client.get(f"/h5/mine/{visiting.number}/").content.decode()
    assert 'data-testid="objection-pending"' in body and 'id="add-info-form"' in body


def test_a_stale_rating_is_refused(as_citizen, cast, visiting):
    case_rate(case=visiting, by=cast.sam, satisfaction="satisfied", resolved=True)  # the return visit came first
    response = as_citizen(cast.cindy).post(
        f"/h5/mine/{visiting.number}/rate/",
        {"satisfaction": "unsatisfied", "resolved": "no", "comment": "x", "version": visiting.version - 1},
    )
    assert response.status_code == 200 and 'class="msg error"' in response.content.decode()
    visiting.refresh_from_db()
    assert visiting.status == Status.CLOSED and visiting.satisfaction == Satisfaction.SATISFIED


def test_a_citizen_adds_information_with_photos(as_citizen, cast, dispatched):
    client = as_citizen(cast.cindy)
    response = client.post(
        f"/h5/mine/{dispatched.number}/add-info/",
        {"text": "晚上七点以后完全不亮", "version": dispatched.version, "photos": [png("night.png")]},
    )
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=dispatched, action="add_info")
    assert event.note == "晚上七点以后完全不亮"
    [photo] = Attachment.objects.filter(event=event)
    body = client.get(f"/h5/mine/{dispatched.number}/").content.decode()
    assert "晚上七点以后完全不亮" in body and f"/h5/files/{photo.pk}/" in body


def test_going_back_after_adding_information_and_sending_it_again_adds_it_once(as_citizen, cast, dispatched):
    """Back after 补充到我的诉求 draws the page again with the words restored and the current version: sending
    the same words again within REPEAT_WINDOW_MINUTES adds no second step and stores no second photo."""
    client = as_citizen(cast.cindy)
    url = f"/h5/mine/{dispatched.number}/add-info/"
    first = client.post(url, {"text": "晚上七点以后完全不亮", "version": dispatched.version, "photos": [png()]})
    assert first.status_code == 302
    dispatched.refresh_from_db()
    again = client.post(url, {"text": " 晚上七点以后完全不亮 ", "version": dispatched.version, "photos": [png()]})
    assert again.status_code == 302
    assert CaseEvent.objects.filter(case=dispatched, action="add_info").count() == 1
    assert Attachment.objects.filter(case=dispatched).count() == 1
    # Other words are more information.
    dispatched.refresh_from_db()
    client.post(url, {"text": "白天也不亮", "version": dispatched.version})
    assert CaseEvent.objects.filter(case=dispatched, action="add_info").count() == 2


def test_adding_information_keeps_the_text_on_error(as_citizen, cast, dispatched):
    fake = upload("night.jpg", b"plain text", "image/jpeg")
    response = as_citizen(cast.cindy).post(
        f"/h5/mine/{dispatched.number}/add-info/",
        {"text": "补充说明", "version": dispatched.version, "photos": [fake]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "补充说明" in body and 'data-testid="error-photos"' in body
    assert not CaseEvent.objects.filter(action="add_info").exists()


def test_files_are_served_only_to_those_who_may_see_the_case(as_citizen, login, cast, dispatched):
    [photo] = save_attachments(case=dispatched, files=[png()], by=cast.cindy)
    url = f"/h5/files/{photo.pk}/"
    mine = as_citizen(cast.cindy).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "image/png"
    assert mine["Content-Disposition"] == "inline"
    assert b"".join(mine.streaming_content).startswith(b"\x89PNG")
    assert as_citizen(cast.chen).get(url).status_code == 404
    assert login(cast.carol).get(url).status_code == 200  # the community handling it
    assert login(cast.bob).get(url).status_code == 404  # the other street
    assert login(cast.sysadmin).get(url).status_code == 404  # admins act on no case
    assert as_citizen(cast.cindy).get("/h5/files/999999/").status_code == 404


def test_a_video_is_served_in_byte_ranges(as_citizen, cast, dispatched):
    clip = media.iso_media(b"isom", b"vide")
    [video] = save_attachments(case=dispatched, files=[upload("v.mp4", clip)], by=cast.cindy)
    client = as_citizen(cast.cindy)
    part = client.get(f"/h5/files/{video.pk}/", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 0-9/{len(clip)}"
    assert b"".join(part.streaming_content) == clip[:10]
    tail = client.get(f"/h5/files/{video.pk}/", headers={"Range": "bytes=-4"})
    assert b"".join(tail.streaming_content) == clip[-4:]
    beyond = client.get(f"/h5/files/{video.pk}/", headers={"Range": f"bytes={len(clip) + 5}-"})
    assert beyond.status_code == 416


def test_returned_cases_do_not_tell_the_citizen_why(as_citizen, cast, dispatched):
    case_return(case=dispatched, by=cast.carol, reason="不属于本社区，应由西街道处理")
    body = as_citizen(cast.cindy).get(f"/h5/mine/{dispatched.number}/").content.decode()
    assert "不属于本社区" not in body


def test_the_timeline_refreshes_alone(as_citizen, cast, dispatched):
    response = as_citizen(cast.cindy).get(f"/h5/mine/{dispatched.number}/timeline/")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="timeline"' in body and "<html" not in body


def test_a_request_merged_into_another_gets_its_reply_once_released(as_citizen, cast, dispatched):
    from suban.cases.services import case_merge, case_review_reply

    mine = case_submit(by=cast.chen, title="路灯又不亮了", longitude=120.008, latitude=36.008)
    case_merge(case=mine, by=cast.dora, into=dispatched)
    client = as_citizen(cast.chen)
    assert 'data-testid="reply"' not in client.get(f"/h5/mine/{mine.number}/").content.decode()
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply="已更换灯泡，路灯恢复照明。")
    assert 'data-testid="reply"' not in client.get(f"/h5/mine/{mine.number}/").content.decode()  # not released
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    body = client.get(f"/h5/mine/{mine.number}/").content.decode()
    assert 'data-testid="reply"' in body and "已更换灯泡" in body


def test_staff_remarks_stay_with_staff_and_notes_for_the_citizen_reach_her(as_citizen, cast, org, dispatched):
    from suban.cases.services import case_whistle

    case = dispatched
    case_claim(case=case, by=cast.carol)
    case_whistle(case=case, by=cast.carol, unit=org["DEPT1"], note="请城管局协同，别让她知道")
    case_note(case=case, by=cast.carol, note="已联系供电公司，明天上午更换灯泡", public=True)
    assert CaseEvent.objects.get(case=case, action="whistle").public  # the step is shown ...
    body = as_citizen(cast.cindy).get(f"/h5/mine/{case.number}/").content.decode()
    assert "其他单位协同办理" in body
    assert "别让她知道" not in body  # ... without the remark one unit wrote to another
    assert "明天上午更换灯泡" in body  # a note made public is for her
    from django.test import Client

    from suban.api.services import token_create

    _token, key = token_create(by=None, user=cast.cindy, name="app")
    events = Client().get(f"/api/cases/{case.number}/events", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    notes = {e["action"]: e["note"] for e in events}
    assert notes["whistle"] == "" and notes["note"] == "已联系供电公司，明天上午更换灯泡"


def test_a_reopened_request_shows_both_released_replies_escaped_and_not_the_draft(as_citizen, cast, dispatched):
    from tests.cases.test_reply_record import two_rounds

    first, draft, second = "<b>已更换灯泡</b>", "<i>草稿</i>", '已修好 <img src=x onerror="alert(2)">'
    two_rounds(dispatched, cast, first=first, draft=draft, second=second)
    body = as_citizen(cast.cindy).get(f"/h5/mine/{dispatched.number}/").content.decode()
    progress = body.split('data-testid="timeline"', 1)[1]
    # Newest first, each on the step that released it.
    assert re.findall(r'data-testid="step-reply">(.*?)</p>', progress) == [
        "已修好 &lt;img src=x onerror=&quot;alert(2)&quot;&gt;",
        "&lt;b&gt;已更换灯泡&lt;/b&gt;",
    ]
    assert "草稿" not in body and "请附现场照片" not in body
    assert "灯还是一闪一闪" in progress and "这次修好了" in progress
    for raw in (first, draft, second):
        assert raw not in body


def test_a_second_rating_from_another_tab_says_it_was_rated_and_gives_back_the_comment(as_citizen, cast, visiting):
    seen = visiting.version
    tab1, tab2 = as_citizen(cast.cindy), as_citizen(cast.cindy)
    url = f"/h5/mine/{visiting.number}/rate/"
    tab1.post(url, {"satisfaction": "satisfied", "resolved": "yes", "version": seen})
    late = tab2.post(
        url,
        {"satisfaction": "unsatisfied", "resolved": "no", "comment": "其实还有<b>问题</b>", "version": seen},
        follow=True,
    )
    body = late.content.decode()
    assert "已评价过" in body and "其实还有&lt;b&gt;问题&lt;/b&gt;" in body
    assert 'id="rate-form"' not in body
    visiting.refresh_from_db()
    assert visiting.satisfaction == Satisfaction.SATISFIED  # the first rating stands
