"""A NUL (U+0000) anywhere in a request is refused with a 400 before any view reads it: PostgreSQL's text refuses
the character (a 500 from psycopg) and SQLite would keep it. The pages answer with a page; the API and Open311
in their own formats (tests/api/test_errors.py, tests/open311)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.nul import find_nul
from tests.conftest import PASSWORD, Cast
from tests.h5.conftest import form_data, jpeg


def staff(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def refused(response: Any) -> bool:
    return response.status_code == 400 and b'data-testid="error-400"' in response.content


@pytest.fixture
def case(cast: Cast) -> Case:
    made = case_submit(by=cast.cindy, title="路灯不亮", text="东门口路灯坏了", longitude=120.008, latitude=36.008)
    case_accept(case=made, by=cast.dora)
    return case_dispatch(case=made, by=cast.dora)


def test_the_consoles_pickers_pages_and_search_refuse_a_nul(cast, case):
    dora = staff(cast.dora)
    for path in (
        "/console/pick/units/?q=%00",
        "/console/pick/matters/?unit=%E8%B7%AF%00",
        "/console/inbox/?q=%00",
        "/console/cases/%00/",
        f"/console/cases/{case.number}/?tab=%00",
    ):
        assert refused(dora.get(path)), path
    # A sensible search still works.
    assert dora.get("/console/pick/units/?q=东一").status_code == 200


def test_a_posted_form_with_a_nul_is_refused_and_changes_nothing(cast, case):
    carol = staff(cast.carol)
    response = carol.post(f"/console/cases/{case.number}/act/note/", {"version": case.version, "note": "到场\x00"})
    assert refused(response)
    case.refresh_from_db()
    assert case.version == 3


def test_the_h5_form_refuses_a_nul_and_saves_nothing(cast):
    client = Client()
    client.force_login(cast.cindy, backend="suban.accounts.backends.CitizenSmsBackend")
    form = {"key": str(uuid.uuid4()), "case_type": "livelihood", "nature": "help", "title": "路灯\x00不亮"}
    response = client.post("/h5/new/", {**form, "longitude": "120.005", "latitude": "36.005"})
    assert refused(response) and b'data-testid="h5-header"' in response.content  # in the H5's own look
    assert refused(client.get("/h5/mine/%00/"))
    assert not Case.objects.exists()


def test_logging_in_with_a_nul_is_refused(cast):
    client = Client()
    assert refused(client.post("/login/", {"username": "dora\x00", "password": PASSWORD}))
    assert refused(client.get("/login/?next=/console/%00"))
    assert client.post("/login/", {"username": "dora", "password": PASSWORD}).status_code == 302


def test_a_session_cookie_with_a_nul_is_no_session(cast):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/login/").status_code == 200


def test_what_is_found_and_what_is_not():
    factory = RequestFactory()
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x00binary", content_type="image/jpeg")
    # Files are bytes, not text: a NUL in a photo is no NUL in a field.
    assert find_nul(factory.post("/h5/new/", {"title": "x", "photos": upload}), {}) is None
    assert find_nul(factory.post("/h5/new/", {"title": "x\x00", "photos": upload}), {}) == "title"
    as_json = factory.post("/api/cases", '{"a": [{"b": "\\u0000"}]}', content_type="application/json")
    assert find_nul(as_json, {}) == "a.0.b"
    assert find_nul(factory.post("/api/cases", '{"a": "C:\\\\u0000"}', content_type="application/json"), {}) is None
    # The API reads any body as JSON, whatever its type says.
    assert find_nul(factory.post("/api/cases", '{"a": "\\u0000"}', content_type="text/plain"), {}) == "a"
    assert find_nul(factory.post("/api/cases", "{broken", content_type="application/json"), {}) is None
    assert find_nul(factory.get("/api/cases/x"), {"number": "x\x00"}) == "number"


def test_an_upload_with_the_csrf_check_on_reaches_its_view(cast, settings, tmp_path):
    """The CSRF check reads a multipart form from the stream before the NUL check looks at it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.cindy, backend="suban.accounts.backends.CitizenSmsBackend")
    page = client.get("/h5/new/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    form = {**form_data(), "csrfmiddlewaretoken": token}
    assert refused(client.post("/h5/new/", {**form, "title": "路灯\x00不亮", "photos": jpeg()}))
    response = client.post("/h5/new/", {**form, "photos": jpeg()})
    assert response.status_code == 302 and Case.objects.count() == 1


def test_the_pages_say_what_to_do_without_the_fields_code_name(cast, case):
    """A person sent a form: the page names no field by its code ("title", "note"), and an htmx form gets the
    reason at its own top (HX-Retarget), not a whole page swapped into the panel it targets."""
    client = Client()
    client.force_login(cast.cindy, backend="suban.accounts.backends.CitizenSmsBackend")
    form = {"key": str(uuid.uuid4()), "case_type": "livelihood", "nature": "help", "title": "路灯\x00不亮"}
    page = client.post("/h5/new/", form)
    assert refused(page)
    message = page.content.decode().split('data-testid="error-400"')[1].split("</p>")[0]
    assert "U+0000" in message and "title" not in message
    carol = staff(cast.carol)
    plain = carol.post(f"/console/cases/{case.number}/act/note/", {"version": case.version, "note": "到场\x00"})
    assert refused(plain) and "note 含有" not in plain.content.decode()
    in_place = carol.post(
        f"/console/cases/{case.number}/act/note/",
        {"version": case.version, "note": "到场\x00"},
        headers={"HX-Request": "true", "HX-Trigger": "form-note", "HX-Target": "case-actions"},
    )
    assert in_place.status_code == 400
    assert (in_place["HX-Retarget"], in_place["HX-Reswap"]) == ("#form-note", "afterbegin")
    assert in_place.content.decode().startswith('<p class="msg error" role="alert" data-testid="error-400">')
    odd = carol.post(
        f"/console/cases/{case.number}/act/note/",
        {"version": case.version, "note": "到场\x00"},
        headers={"HX-Request": "true", "HX-Trigger": "x'] , body"},
    )
    assert odd["HX-Retarget"] == "body"
