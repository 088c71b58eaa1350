"""Every failure answers in one format: {"error": {"code", "message", "field", "details"}}, with its status."""

from __future__ import annotations

from django.test import Client

from suban.api import throttles
from suban.api.services import token_create
from suban.cases.models import Case


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "details"}
    assert body["error"]["message"]
    return body["error"]


def test_a_stale_version_is_a_409_conflict(api, cast, dispatched):
    carol = api(cast.carol)
    seen_version = carol.get(f"/cases/{dispatched.number}").json()["version"]
    carol.act(dispatched.number, "claim", {"version": seen_version})
    error = error_of(carol.act(dispatched.number, "return", {"reason": "不属于本社区", "version": seen_version}), 409)
    assert error["code"] == "conflict"
    # So is an action the case's state does not allow.
    assert error_of(api(cast.dora).act(dispatched.number, "accept"), 409)["code"] == "conflict"


def test_an_action_in_reach_but_not_yours_is_a_403(api, cast, dispatched):
    error = error_of(api(cast.carol).act(dispatched.number, "dispatch", {"unit": "S1C2"}), 403)
    assert error["code"] == "forbidden"


def test_a_missing_field_is_a_400_naming_it(api, cast, submitted):
    error = error_of(api(cast.dora).act(submitted.number, "decline", {"note": "?"}), 400)
    assert error["code"] == "invalid" and error["field"] == "reason"
    assert error["details"][0] == {"field": "reason", "message": error["details"][0]["message"], "type": "missing"}


def test_bad_input_is_a_400_naming_the_field(api, cast, submitted, report):
    dora = api(cast.dora)
    accepted = report("已受理")
    dora.act(accepted.number, "accept")
    for case, action, body, field in [
        (submitted, "decline", {"reason": "bored"}, "reason"),
        (submitted, "accept", {"nots": "typo"}, "nots"),
        (submitted, "accept", {"version": "one"}, "version"),
        (submitted, "merge", {"into": "2099010100001"}, "into"),
        (accepted, "dispatch", {"unit": "NOPE"}, "unit"),
        (accepted, "dispatch", {"unit": "S1C1", "co_units": ["DEPT1", "NOPE"]}, "co_units"),
        (accepted, "dispatch", {"unit": "D"}, "unit"),
    ]:
        error = error_of(dora.act(case.number, action, body), 400)
        assert error["field"] == field, (action, body, error)
    unknown = error_of(dora.act(accepted.number, "dispatch", {"unit": "S1C1", "co_units": ["NOPE"]}), 400)
    assert unknown["details"] == {"unknown": ["NOPE"]}


def test_the_services_own_checks_come_back_as_400_with_their_field(api, cast, dispatched):
    carol = api(cast.carol)
    carol.act(dispatched.number, "claim")
    assert error_of(carol.act(dispatched.number, "reply", {"reply": "   "}), 400)["field"] == "reply"
    assert error_of(carol.act(dispatched.number, "extension", {"days": 0.3, "reason": "x"}), 400)["field"] == "days"
    assert error_of(api(cast.sam).act(dispatched.number, "hold", {"reason": " "}), 400)["field"] == "reason"
    assert error_of(api(cast.cindy).post("/cases", {"title": " "}), 400)["field"] == "title"
    assert error_of(api(cast.cindy).post("/cases", {"title": "x", "matter": "NOPE"}), 400)["field"] == "matter"


def test_without_credentials_it_is_a_401(db):
    assert error_of(Client().get("/api/cases"), 401)["code"] == "unauthorized"
    assert error_of(Client().post("/api/cases", {}, content_type="application/json"), 401)["code"] == "unauthorized"


def test_an_unknown_address_is_a_404_a_wrong_method_a_405_and_broken_json_a_400(api, cast):
    dora = api(cast.dora)
    broken = dora.client.post("/api/cases", "{not json", content_type="application/json")
    assert error_of(broken, 400)["code"] == "invalid"
    assert error_of(dora.get("/nothing/here"), 404)["code"] == "not_found"
    response = dora.client.delete("/api/cases")
    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed" and set(error["details"]["allowed"]) == {"GET", "POST"}
    assert response["Allow"]


def test_too_many_requests_is_a_429_with_retry_after(api, cast, monkeypatch):
    monkeypatch.setattr(throttles.reads, "num_requests", 2)
    dora = api(cast.dora)
    assert dora.get("/me").status_code == 200
    assert dora.get("/me").status_code == 200
    response = dora.get("/me")
    assert error_of(response, 429)["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
    # Another account has its own allowance.
    assert api(cast.sam).get("/me").status_code == 200


def test_a_session_needs_the_csrf_token_to_act_and_a_bearer_token_does_not(cast, dispatched):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.carol, backend="suban.accounts.backends.RoleBackend")
    refused = client.post(f"/api/cases/{dispatched.number}/actions/claim", "{}", content_type="application/json")
    assert error_of(refused, 403)["code"] == "csrf_failed"
    token = "k" * 32  # a CSRF secret as the console's cookie holds it
    client.cookies["csrftoken"] = token
    accepted = client.post(
        f"/api/cases/{dispatched.number}/actions/claim",
        "{}",
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "in_progress"
    # A bearer token is not sent by browsers on their own, so it needs no CSRF token.
    _token, key = token_create(by=None, user=cast.carol, name="脚本")
    with_token = Client(enforce_csrf_checks=True).post(
        f"/api/cases/{dispatched.number}/actions/note",
        '{"note": "已到现场"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert with_token.status_code == 200


def test_a_nul_anywhere_is_a_400_naming_where_and_nothing_is_written(api, cast, submitted):
    """PostgreSQL's text refuses U+0000 (a 500 from psycopg); SQLite would keep it. Both refuse it now."""
    dora = api(cast.dora)
    for path, params, field in [
        ("/cases", {"text": "\x00"}, "text"),
        ("/cases", {"unit": "S1\x00"}, "unit"),
        ("/units", {"q": "\x00"}, "q"),
        ("/matters", {"q": "路灯\x00"}, "q"),
        ("/cases/20261207\x00", {}, "number"),
        ("/no/such\x00/address", {}, "path"),
    ]:
        error = error_of(dora.get(path, params), 400)
        assert (error["code"], error["field"], error["details"][0]["type"]) == ("invalid", field, "nul"), path
    for body, field in [
        ({"unit": "\x00"}, "unit"),
        ({"note": "提级\x00处理"}, "note"),
        ({"\x00": "key"}, "\\u0000"),
    ]:
        error = error_of(dora.act(submitted.number, "raise-level", body), 400)
        assert error["field"] == field, body
    batch = {"orders": [{"title": "一"}, {"title": "二", "co_units": ["S1C1", "\x00"]}]}
    assert error_of(dora.post("/cases/batch", batch), 400)["field"] == "orders.1.co_units.1"
    assert error_of(dora.post("/cases", {"title": "路灯\x00不亮"}), 400)["field"] == "title"
    assert Case.objects.count() == 1
    submitted.refresh_from_db()
    assert submitted.version == 1
    # An escaped backslash before u0000 is text, not a NUL.
    assert dora.post("/cases", {"title": "路径 C:\\u0000"}).status_code == 201


def test_a_body_past_the_upload_limit_is_a_413_not_a_500(api, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    dora = api(cast.dora)
    error = error_of(dora.post("/cases/batch", {"orders": [{"title": "路灯不亮" * 200}]}), 413)
    assert error["code"] == "too_large" and error["details"] == {"limit_bytes": 2_000}
    # Sent as a form (which the API does not read) it is the same.
    as_form = dora.client.post("/api/cases", {"title": "x" * 3_000})
    assert error_of(as_form, 413)["code"] == "too_large"
    # A small form is no JSON: a 400, as before.
    assert error_of(dora.client.post("/api/cases/batch"), 400)["code"] == "invalid"
    assert Case.objects.count() == 0


def test_a_body_that_is_not_json_is_said_in_the_requests_language(api, cast, dispatched, settings):
    settings.DEBUG = True  # the demo's setting, where ninja adds the parser's own (English) reason
    carol = api(cast.carol)
    response = carol.client.post(
        f"/api/cases/{dispatched.number}/actions/note",
        "note=x",
        content_type="application/x-www-form-urlencoded",
        headers=carol.headers,
    )
    error = error_of(response, 400)
    assert error["message"] == "请求正文不是有效的 JSON。" and "Expecting value" not in error["message"]
