"""The console as a district clerk reads it: what a step says, and errors that name their field."""

from __future__ import annotations

import re

from suban.cases.services import case_claim, case_whistle
from tests.console.conftest import fresh


def url(case):
    return f"/console/cases/{case.number}/"


def error_text(html: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}">([^<]*)<', html)
    assert found, field
    return found.group(1)


def test_a_whistle_step_says_a_unit_was_whistled_in_not_who_whistled(page, cast, org, report):
    case = report("占道经营", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    case_whistle(case=fresh(case), by=cast.carol, unit=org["DEPT1"], note="请城管执法")
    html = page(cast.carol).get(url(case)).content.decode()
    assert "已吹哨召集单位" in html and "召集：城管局" in html
    assert "吹哨单位" not in html  # "the unit that whistled": it was carol's community that did


def test_a_too_long_note_names_its_field(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    response = page(cast.carol).act(fresh(case), "note", {"note": "长" * 5001})
    assert response.status_code == 400
    message = error_text(response.content.decode(), "note")
    assert message == "“进展记录”最多 5000 个字，现有 5001 个字。", message
    assert "变量" not in message


def test_a_missing_reason_names_its_field(page, cast, report):
    case = report("路灯不亮", dispatch=True)
    case_claim(case=fresh(case), by=cast.carol)
    response = page(cast.carol).act(fresh(case), "request_extension", {"days": "2"})
    message = error_text(response.content.decode(), "reason")
    assert message.startswith("请填写“") and "理由" in message, message


def test_the_dispatch_list_writes_a_full_width_colon(page, cast, report):
    report("路灯不亮")
    html = page(cast.dora).get("/console/dispatch/").content.decode()
    assert "事项：" in html and "事项: " not in html
