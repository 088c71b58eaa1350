"""POST Service Request: a form becomes a case through the intake services; every refusal is the spec's
error list and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suban.cases.models import Attachment, Case, Channel, Status
from suban.crypto import decrypt
from suban.open311.keys import key_revoke
from suban.open311.models import ApiKey, Submission
from tests.open311.conftest import PHONE, form, jpeg_bytes, xml

pytestmark = pytest.mark.django_db


def errors_of(response: Any) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = json.loads(response.content)
    return body


def test_a_form_becomes_a_case_on_the_open311_channel(o311, org, matters, app_key, frozen):
    response = o311.post("requests.json", form(app_key))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [created] = json.loads(response.content)
    case = Case.objects.get(number=created["service_request_id"])
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert case.channel == Channel.OPEN311 and case.status == Status.NEW
    assert case.matter == matters["010101"]
    assert case.grid is not None and case.grid.code == "S1C1G1"  # the point, found on the grid
    assert case.title == "东一社区东门口的路灯坏了三天"  # the description's first line
    assert case.nature == "help" and case.urgency == "urgent"
    assert case.contact_name == "王小明"
    assert PHONE not in case.contact_phone_encrypted and case.contact_phone == PHONE
    submission = Submission.objects.get(case=case)
    assert submission.key.name == "city app" and submission.attributes == {"nature": "help", "urgency": "urgent"}
    assert "wang@example.com" not in submission.email_encrypted
    assert decrypt(submission.email_encrypted) == "wang@example.com"
    assert case.events.get(seq=1).data == {"channel": "open311"}


def test_it_answers_in_xml_with_the_declaration(o311, org, matters, app_key):
    response = o311.post("requests.xml", form(app_key, account_id="u-42"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request>')
    request = xml(response).find("request")
    assert request is not None
    assert Case.objects.filter(number=request.findtext("service_request_id")).exists()
    assert request.findtext("account_id") == "u-42"
    assert request.find("token") is None  # realtime: the id, not a token


def test_the_raw_urlencoded_body_of_the_spec_is_read(o311, org, matters, app_key):
    body = (
        f"api_key={app_key}&service_code=0201&lat=36.005&long=120.005&address_string=%E4%B8%9C%E9%97%A8"
        "&description=%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5&attribute[nature]=complaint&attribute[case_type]=enforcement"
    )
    response = o311.post_form("requests.json", body)
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=json.loads(response.content)[0]["service_request_id"])
    assert (case.text, case.address, case.nature, case.case_type) == ("夜间施工", "东门", "complaint", "enforcement")


def test_an_address_alone_locates_the_request(o311, org, matters, app_key):
    response = o311.post("requests.json", form(app_key, lat=None, long=None, address_string="东一社区门口"))
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.latitude is None and case.address == "东一社区门口"


def test_lat_and_long_are_wgs84_and_kept_exactly_as_sent(o311, org, matters, app_key):
    # GeoReport v2 says WGS-84: no GCJ-02 or BD-09 conversion here (suban.org.coords is for the API and the H5).
    response = o311.post("requests.json", form(app_key, lat="36.0051234", long="120.0098765"))
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert (case.longitude, case.latitude) == (120.0098765, 36.0051234)
    assert case.grid is not None and case.grid.code == "S1C1G1"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"api_key": None}, "api_key is required"),
        ({"api_key": "o311_nothing_here"}, "Invalid api_key"),
        ({"api_key": "sbn_12345678_notours"}, "Invalid api_key"),
    ],
)
def test_without_a_valid_key_it_is_403(o311, org, matters, app_key, overrides, message):
    with_lang = form(app_key, **overrides)
    response = o311.client.post("/open311/v2/requests.json", with_lang)
    assert response.status_code == 403
    [error] = errors_of(response)
    assert error["code"] == 403 and message in error["description"]
    assert not Case.objects.exists()


def test_a_revoked_key_is_refused(o311, org, matters, app_key):
    key_revoke(by=None, key=ApiKey.objects.get())
    response = o311.post("requests.xml", form(app_key))
    assert response.status_code == 403
    assert xml(response).findtext("error/code") == "403"
    assert not Case.objects.exists()


def test_an_unknown_service_is_404_and_a_missing_one_400(o311, org, matters, app_key):
    assert o311.post("requests.json", form(app_key, service_code="9999")).status_code == 404
    assert o311.post("requests.json", form(app_key, service_code="0299")).status_code == 404  # inactive
    response = o311.post("requests.json", form(app_key, service_code=None))
    assert response.status_code == 400 and len(errors_of(response)) == 1
    assert not Case.objects.exists()


def test_every_problem_is_reported_at_once(o311, org, matters, app_key):
    response = o311.client.post(
        "/open311/v2/requests.json",
        form(
            app_key,
            lat=None,
            long=None,
            **{"attribute[nature]": None, "attribute[urgency]": "whenever", "attribute[colour]": "red"},
            media_url="ftp://example.com/x.jpg",
            phone="12",
        ),
    )
    assert response.status_code == 400
    found = " | ".join(e["description"] for e in errors_of(response))
    for expected in ("colour", "nature is required", "urgency: whenever", "location is required", "media_url", "12"):
        assert expected in found, found
    assert {e["code"] for e in errors_of(response)} == {400}
    assert not Case.objects.exists() and not Submission.objects.exists()


def test_a_half_given_point_and_a_long_description_are_refused(o311, org, matters, app_key):
    assert o311.post("requests.json", form(app_key, long=None)).status_code == 400
    assert o311.post("requests.json", form(app_key, lat="91")).status_code == 400
    assert o311.post("requests.json", form(app_key, description="长" * 4001)).status_code == 400
    assert not Case.objects.exists()


def test_media_url_is_kept_and_published(o311, org, matters, app_key):
    url = "https://img.example.com/lamp.jpg"
    number = json.loads(o311.post("requests.json", form(app_key, media_url=url)).content)[0]["service_request_id"]
    [shown] = json.loads(o311.get(f"requests/{number}.json").content)
    assert shown["media_url"] == url


def test_an_uploaded_photo_is_stored_cleaned_and_served(o311, org, matters, app_key):
    photo = SimpleUploadedFile("lamp.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = o311.post("requests.json", {**form(app_key), "media": photo})  # multipart
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    attachment = Attachment.objects.get(case=case)
    assert attachment.kind == "photo" and attachment.event == case.events.get(seq=1)
    [shown] = json.loads(o311.get(f"requests/{case.number}.json").content)
    assert shown["media_url"].startswith("http://testserver/open311/v2/media/")
    served = o311.client.get(shown["media_url"].removeprefix("http://testserver"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_left(o311, org, matters, app_key):
    fake = SimpleUploadedFile("lamp.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = o311.post("requests.json", {**form(app_key), "media": fake})
    assert response.status_code == 400
    assert not Case.objects.exists() and not Attachment.objects.exists() and not Submission.objects.exists()


def test_the_photo_of_a_confidential_request_is_not_published(o311, org, matters, app_key):
    photo = SimpleUploadedFile("lamp.jpg", jpeg_bytes(), content_type="image/jpeg")
    o311.post("requests.json", {**form(app_key, **{"attribute[confidential]": "true"}), "media": photo})
    submission = Submission.objects.get()
    assert submission.case.confidential
    assert o311.client.get(f"/open311/v2/media/{submission.token}").status_code == 404
    [shown] = json.loads(o311.get(f"requests/{submission.case.number}.json").content)
    assert shown["media_url"] is None and shown["description"] is None


def test_other_methods_are_refused(o311, org, matters, app_key):
    response = o311.client.put("/open311/v2/requests.json")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert o311.client.post("/open311/v2/services.json").status_code == 405


def test_a_nul_in_a_field_is_a_400_in_the_spec_format_and_writes_nothing(o311, org, matters, app_key):
    for overrides in ({"description": "路灯\x00不亮"}, {"service_code": "\x00"}, {"api_key": "\x00"}):
        response = o311.post("requests.json", form(app_key, **overrides))
        assert response.status_code == 400, overrides
        [error] = errors_of(response)
        assert error["code"] == 400 and "U+0000" in error["description"]
    as_xml = o311.post("requests.xml", form(app_key, description="\x00"))
    assert as_xml.status_code == 400 and xml(as_xml).tag == "errors"
    assert not Case.objects.exists() and not Submission.objects.exists()
