"""A supervisor rules a case out of the assessment from the case page or through the API, and withdraws it."""

from __future__ import annotations

from typing import Any

from suban.assess.models import CaseAssessment, Ruling, UnitDay
from suban.cases.models import Case
from tests.conftest import Cast
from tests.timing import FrozenTime


def test_the_supervisor_rules_a_case_out_on_its_page_and_withdraws_it(
    login: Any, cast: Cast, org: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    client = login(cast.sam)
    page = client.get(f"/console/cases/{dispatched.number}/").content.decode()
    assert 'data-testid="ruling-panel"' in page and "纳入考核" in page  # counts in the assessment
    answer = client.post(
        f"/console/assessment/cases/{dispatched.number}/ruling/",
        {"do": "rule_out", "ruling-reason": "untrue", "ruling-note": "经核实反映情况不属实"},
        follow=True,
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and "已认定不纳入考核：反映不实" in body
    ruling = Ruling.objects.get(case=dispatched)
    assert (ruling.reason, ruling.note, ruling.by) == ("untrue", "经核实反映情况不属实", cast.sam)
    assert CaseAssessment.objects.get(case=dispatched).exclusion_reason == "ruling:untrue"
    assert UnitDay.objects.get(unit=org["S1"]).excluded == 1

    again = client.post(
        f"/console/assessment/cases/{dispatched.number}/ruling/", {"do": "rule_out", "ruling-reason": "untrue"}
    )
    assert again.status_code == 302
    assert "该诉求已被认定不纳入考核" in client.get(again.url).content.decode()  # the conflict, said on the page
    assert Ruling.objects.count() == 1

    client.post(f"/console/assessment/cases/{dispatched.number}/ruling/", {"do": "withdraw"})
    assert not Ruling.objects.exists()
    assert not CaseAssessment.objects.get(case=dispatched).excluded
    assert UnitDay.objects.get(unit=org["S1"]).excluded == 0


def test_only_a_supervisor_sees_the_panel_or_can_post_it(
    login: Any, cast: Cast, org: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    for person in (cast.alice, cast.leo):  # the street's handler, the leader: they see the case
        client = login(person)
        page = client.get(f"/console/cases/{dispatched.number}/")
        assert page.status_code == 200 and 'data-testid="ruling-panel"' not in page.content.decode()
        client.post(
            f"/console/assessment/cases/{dispatched.number}/ruling/", {"do": "rule_out", "ruling-reason": "untrue"}
        )
    assert not Ruling.objects.exists()
    assert not CaseAssessment.objects.get(case=dispatched).excluded


def test_the_api_rules_out_and_withdraws_with_the_common_errors(
    login: Any, cast: Cast, org: dict[str, Any], dispatched: Case, frozen: FrozenTime
) -> None:
    alice = login(cast.alice)
    refused = alice.post(
        "/api/assessment/rulings", {"case": dispatched.number, "reason": "malicious"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    client = login(cast.sam)
    bad = client.post(
        "/api/assessment/rulings", {"case": dispatched.number, "reason": "no-reason"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "reason" in str(bad.json()["error"])
    missing = client.post(
        "/api/assessment/rulings", {"case": "2099010100001", "reason": "malicious"}, content_type="application/json"
    )
    assert missing.status_code == 404
    made = client.post(
        "/api/assessment/rulings",
        {"case": dispatched.number, "reason": "malicious", "note": "反复骚扰"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json() | {"at": None} == {
        "case": dispatched.number,
        "reason": "malicious",
        "reason_label": "恶意诉求或骚扰",
        "note": "反复骚扰",
        "by": "sam",
        "at": None,
    }
    twice = client.post(
        "/api/assessment/rulings", {"case": dispatched.number, "reason": "malicious"}, content_type="application/json"
    )
    assert twice.status_code == 409
    assert CaseAssessment.objects.get(case=dispatched).exclusion_reason == "ruling:malicious"
    done = client.post(f"/api/assessment/rulings/{dispatched.number}/withdraw", {}, content_type="application/json")
    assert done.status_code == 204 and not Ruling.objects.exists()
    assert (
        client.post(
            f"/api/assessment/rulings/{dispatched.number}/withdraw", {}, content_type="application/json"
        ).status_code
        == 409
    )
