"""Submitting a request on the H5: photos checked by content, one case per form, typed values kept."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage

from suban.cases.models import Attachment, Case, Channel, Status
from suban.errors import Invalid
from suban.h5.models import SubmitKey
from suban.h5.services import h5_submit
from tests.h5 import media
from tests.h5.conftest import form_data, jpeg, png
from tests.h5.media import upload


def test_the_form_renders_with_a_fresh_key_and_every_field(as_citizen, cast):
    body = as_citizen(cast.cindy).get("/h5/new/").content.decode()
    for name in ("key", "case_type", "nature", "title", "text", "photos", "recording", "longitude", "latitude"):
        assert f'name="{name}"' in body
    for name in ("address", "contact_name", "anonymous", "confidential"):
        assert f'name="{name}"' in body
    assert 'id="submit-request"' in body and 'data-testid="grid-map"' in body
    first = body.split('name="key" id="id_key" value="')[1][:36]
    uuid.UUID(first)


def test_a_citizen_submits_with_photos_and_gets_the_number_at_once(as_citizen, cast, frozen):
    client = as_citizen(cast.cindy)
    response = client.post("/h5/new/", {**form_data(), "photos": [jpeg(), png()]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/h5/submitted/{case.number}/"
    assert case.citizen == cast.cindy and case.channel == Channel.H5 and case.status == Status.NEW
    assert case.grid is not None and case.grid.code == "S1C1G1"
    assert case.contact_name == "王女士" and case.contact_phone == "13800000001"
    kinds = sorted(Attachment.objects.filter(case=case).values_list("content_type", flat=True))
    assert kinds == ["image/jpeg", "image/png"]
    assert all(a.event.action == "submit" for a in Attachment.objects.filter(case=case))
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert f'data-testid="case-number">{case.number}<' in confirmation.content.decode()


def test_a_voice_recording_or_a_video_goes_with_the_photos(as_citizen, cast, frozen):
    client = as_citizen(cast.cindy)
    video = upload("clip.mp4", media.iso_media(b"isom", b"vide", b"soun"))
    response = client.post("/h5/new/", {**form_data(), "photos": [jpeg()], "recording": video})
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["photo", "video"]


def test_anonymity_and_confidentiality_are_kept(as_citizen, cast, frozen):
    as_citizen(cast.cindy).post("/h5/new/", form_data(anonymous="on", confidential="on"))
    case = Case.objects.get()
    assert case.anonymous and case.confidential


def test_an_address_alone_is_enough(as_citizen, cast, frozen):
    data = form_data(longitude="", latitude="", address="东一社区东门")
    response = as_citizen(cast.cindy).post("/h5/new/", data)
    assert response.status_code == 302
    assert Case.objects.get().address == "东一社区东门"


def _refused(response, field: str) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="error-{field}"' in body
    assert not Case.objects.exists() and not Attachment.objects.exists()
    return body


def test_a_jpg_that_is_really_text_is_refused(as_citizen, cast, frozen):
    fake = upload("photo.jpg", "我是一段文字，不是照片".encode(), "image/jpeg")
    body = _refused(as_citizen(cast.cindy).post("/h5/new/", {**form_data(), "photos": [jpeg(), fake]}), "photos")
    assert "photo.jpg" in body
    assert 'data-testid="files-again"' in body


def test_an_oversize_photo_is_refused(as_citizen, cast, frozen):
    big = upload("big.jpg", media.picture("JPEG") + b"\x00" * (10 * 1024 * 1024 + 1), "image/jpeg")
    _refused(as_citizen(cast.cindy).post("/h5/new/", {**form_data(), "photos": [big]}), "photos")


def test_a_tenth_photo_is_refused(as_citizen, cast, frozen):
    ten = [png(f"{i}.png") for i in range(10)]
    _refused(as_citizen(cast.cindy).post("/h5/new/", {**form_data(), "photos": ten}), "photos")


def test_a_photo_in_the_voice_or_video_field_is_refused(as_citizen, cast, frozen):
    _refused(as_citizen(cast.cindy).post("/h5/new/", {**form_data(), "recording": jpeg()}), "recording")


def test_the_form_keeps_every_typed_value_on_error(as_citizen, cast, frozen):
    data = form_data(
        title="",
        text="楼道里堆满杂物，存在消防隐患。",
        case_type="enforcement",
        nature="report",
        address="东一社区3号楼2单元",
        contact_name="李先生",
        anonymous="on",
    )
    key = data["key"]
    body = _refused(as_citizen(cast.cindy).post("/h5/new/", {**data, "photos": [jpeg()]}), "title")
    assert "楼道里堆满杂物，存在消防隐患。" in body
    assert 'value="东一社区3号楼2单元"' in body and 'value="李先生"' in body
    assert 'value="enforcement" checked' in body and 'value="report" selected' in body
    assert 'id="id_anonymous" checked' in body and 'id="id_confidential" checked' not in body
    assert 'value="120.008"' in body and 'value="36.008"' in body
    assert f'value="{key}"' in body  # nothing was created: the same form may be sent again
    assert 'data-testid="files-again"' in body


def test_the_same_form_sent_twice_creates_one_case(as_citizen, cast, frozen):
    client = as_citizen(cast.cindy)
    data = form_data()
    first = client.post("/h5/new/", {**data, "photos": [jpeg()]})
    again = client.post("/h5/new/", {**data, "photos": [jpeg()]})
    case = Case.objects.get()
    assert first["Location"] == again["Location"] == f"/h5/submitted/{case.number}/"
    assert Attachment.objects.count() == 1
    assert SubmitKey.objects.get().case == case
    folder = Attachment.objects.get().file.name.rsplit("/", 1)[0]
    assert len(default_storage.listdir(folder)[1]) == 1  # the retry stored no file either


def test_going_back_and_sending_the_same_words_again_gives_the_first_case(as_citizen, cast, frozen):
    client = as_citizen(cast.cindy)
    first = client.post("/h5/new/", {**form_data(), "photos": [jpeg()]})
    case = Case.objects.get()
    # Back: the browser shows the form again, the text restored, under the new key the page was drawn with.
    frozen.advance(minutes=3)
    again = client.post(
        "/h5/new/", {**form_data(text="  东一社区东门口的路灯坏了三天，晚上很黑。 "), "photos": [jpeg()]}
    )
    assert first["Location"] == again["Location"] == f"/h5/submitted/{case.number}/"
    assert Case.objects.count() == 1 and Attachment.objects.count() == 1  # the second photo was not stored
    page = client.get(again["Location"]).content.decode()
    assert f'data-testid="case-number">{case.number}<' in page
    assert f"相同内容的诉求已经收到（编号 {case.number}），本次未重复提交。" in page


def test_other_words_or_the_same_words_later_are_a_new_request(as_citizen, cast, frozen, settings):
    settings.REPEAT_WINDOW_MINUTES = 10
    client = as_citizen(cast.cindy)
    client.post("/h5/new/", form_data())
    client.post("/h5/new/", form_data(text="东一社区东门口的路灯坏了三天，晚上很黑，请尽快修。"))
    frozen.advance(minutes=11)
    client.post("/h5/new/", form_data())
    as_citizen(cast.chen).post("/h5/new/", form_data())  # another citizen's same words: their own request
    assert Case.objects.count() == 4


def test_only_a_complaint_names_the_office_complained_about(as_citizen, cast, org, frozen):
    client = as_citizen(cast.cindy)
    body = _refused(client.post("/h5/new/", form_data(complained_unit=str(org["S1C1"].pk))), "complained_unit")
    assert f'<option value="{org["S1C1"].pk}" selected>东街道 · 东一社区</option>' in body
    sent = client.post("/h5/new/", form_data(nature="complaint", complained_unit=str(org["S1C1"].pk)))
    assert sent.status_code == 302 and Case.objects.get().complained_unit == org["S1C1"]


def test_the_key_is_per_citizen(cast, frozen):
    key = uuid.uuid4()
    fields = {"title": "噪音扰民", "text": "夜间施工", "case_type": "livelihood"}
    mine, created = h5_submit(by=cast.cindy, key=key, **fields)
    theirs, also_created = h5_submit(by=cast.chen, key=key, **fields)
    again, created_again = h5_submit(by=cast.cindy, key=key, **fields)
    assert created and also_created and not created_again
    assert mine != theirs and again == mine


def test_a_refused_case_leaves_no_key_behind(cast, frozen):
    key = uuid.uuid4()
    with pytest.raises(Invalid):
        h5_submit(by=cast.cindy, key=key, title="  ", text="x", case_type="livelihood")
    assert not SubmitKey.objects.exists()
    case, created = h5_submit(by=cast.cindy, key=key, title="噪音", text="x", case_type="livelihood")
    assert created and case.title == "噪音"


def test_a_broken_key_gets_a_new_one(as_citizen, cast, frozen):
    response = as_citizen(cast.cindy).post("/h5/new/", form_data(key="not-a-uuid"))
    assert response.status_code == 200
    assert 'value="not-a-uuid"' not in response.content.decode()
    assert not Case.objects.exists()


def test_form_keys_are_purged_after_a_week_and_the_nightly_task_does_it(cast, frozen, settings):
    from datetime import datetime

    from huey.contrib.djhuey import HUEY

    from suban.h5 import tasks  # run_huey imports every app's tasks module
    from suban.h5.services import purge_submit_keys

    settings.H5_SUBMIT_KEY_DAYS = 7
    fields = {"title": "噪音扰民", "text": "夜间施工", "case_type": "livelihood"}
    old_key, new_key = uuid.uuid4(), uuid.uuid4()
    h5_submit(by=cast.cindy, key=old_key, **fields)
    frozen.advance(days=6)
    h5_submit(by=cast.cindy, key=new_key, **fields)
    frozen.advance(days=1, hours=1)  # the first key is 7 days 1 hour old, the second 1 hour
    assert purge_submit_keys(chunk=1) == 1
    assert list(SubmitKey.objects.values_list("key", flat=True)) == [new_key]
    assert purge_submit_keys() == 0
    assert tasks.purge_submit_keys_daily.task_class.__name__ in {
        t.name for t in HUEY.read_periodic(datetime(2026, 2, 9, 4, 17))
    }
