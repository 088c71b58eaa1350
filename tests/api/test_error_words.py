"""A refused request's message names the field and reads in the request's language (Chinese unless the
language cookie says otherwise); the error format stays {"error": {"code", "message", "field", "details"}}."""

from __future__ import annotations

from tests.api.test_errors import error_of


def test_a_missing_field_is_named_in_chinese(api, cast, submitted):
    error = error_of(api(cast.dora).act(submitted.number, "decline", {"note": "重复"}), 400)
    assert error["field"] == "reason"
    assert error["message"] == "缺少必填字段 reason。"
    assert error["details"] == [{"field": "reason", "message": "缺少必填字段 reason。", "type": "missing"}]


def test_a_too_long_value_and_a_wrong_type_are_named_in_chinese(api, cast):
    error = error_of(api(cast.cindy).post("/cases", {"title": "长" * 201}), 400)
    assert (error["field"], error["message"]) == ("title", "title 最多 200 个字符。")
    error = error_of(api(cast.cindy).post("/cases", {"title": ["路灯"]}), 400)
    assert (error["field"], error["message"]) == ("title", "title 应为文本。")


def test_every_problem_is_listed_in_english_when_the_cookie_asks_for_it(api, cast, submitted):
    dora = api(cast.dora)
    dora.client.cookies["django_language"] = "en"
    error = error_of(dora.act(submitted.number, "decline", {"reason": "bored", "version": "one"}), 400)
    messages = {d["field"]: d["message"] for d in error["details"]}
    assert messages["version"] == "version must be a whole number."
    assert messages["reason"].startswith("reason must be one of: ")
    assert error["message"] == error["details"][0]["message"]
