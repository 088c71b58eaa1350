"""回访工作台: the supervisor sees a masked number, reveals it with an audited click, and records the visit."""

from __future__ import annotations

from typing import Any

from suban.audit.models import AuditEntry
from suban.cases.models import Case, Satisfaction, Status
from suban.cases.services import case_rate, case_submit
from tests.conftest import Cast
from tests.gridwork.conftest import INSIDE_G1, refresh

URL = "/console/supervise/visits/"
FULL = "13800000001"  # cindy's number
MASKED = "138****0001"


def test_the_workbench_lists_the_case_with_the_number_masked(cast: Cast, visiting: Case, login: Any) -> None:
    html = login(cast.sam).get(URL).content.decode()
    assert visiting.number in html
    assert MASKED in html
    assert FULL not in html
    assert f'id="call-{visiting.number}"' in html
    assert "已更换灯泡" in html  # the released reply, to read to the citizen


def test_the_call_click_reveals_the_number_and_is_audited(cast: Cast, visiting: Case, login: Any) -> None:
    client = login(cast.sam)
    response = client.post(f"/console/supervise/visits/{visiting.number}/call/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'href="tel:{FULL}"' in response.content.decode()
    entry = AuditEntry.objects.get(action="case.contact_reveal")
    assert entry.actor == cast.sam
    assert entry.target_id == str(visiting.pk) and entry.detail["number"] == visiting.number
    # Without htmx the whole page comes back with that one number shown.
    page = client.post(f"/console/supervise/visits/{visiting.number}/call/").content.decode()
    assert FULL in page
    assert AuditEntry.objects.filter(action="case.contact_reveal").count() == 2


def test_an_anonymous_complainant_has_no_number_to_reveal(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    from suban.cases.services import case_accept, case_claim, case_dispatch, case_reply, case_review_reply

    lon, lat = INSIDE_G1
    case = case_submit(by=cast.cindy, title="匿名反映", longitude=lon, latitude=lat, anonymous=True)
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora, unit=org["S1C1G1"])
    case_claim(case=case, by=cast.gary)
    case_reply(case=case, by=cast.gary, reply="已处理")
    case_review_reply(case=case, by=cast.dora, approve=True)
    client = login(cast.sam)
    html = client.get(URL).content.decode()
    assert f'id="call-{case.number}"' not in html and MASKED not in html
    client.post(f"/console/supervise/visits/{case.number}/call/", headers={"HX-Request": "true"})
    assert not AuditEntry.objects.filter(action="case.contact_reveal").exists()


def test_satisfied_closes_the_case(cast: Cast, visiting: Case, login: Any) -> None:
    response = login(cast.sam).post(
        f"/console/supervise/visits/{visiting.number}/rate/",
        {"satisfaction": "satisfied", "resolved": "yes", "comment": "路灯已修好，很满意", "version": visiting.version},
    )
    assert response.status_code == 302
    case = refresh(visiting)
    assert case.status == Status.CLOSED
    assert case.satisfaction == Satisfaction.SATISFIED and case.resolved is True
    assert case.rating_comment == "路灯已修好，很满意"
    rating = case.events.get(action="rate")
    assert rating.actor == cast.sam


def test_unsatisfied_and_reopen_needs_what_to_put_right_and_changes_nothing_without(
    cast: Cast, visiting: Case, login: Any
) -> None:
    client = login(cast.sam)
    url = f"/console/supervise/visits/{visiting.number}/rate/"
    data = {"satisfaction": "unsatisfied", "resolved": "no", "decision": "reopen", "version": visiting.version}
    response = client.post(url, data)
    assert response.status_code == 200  # refused, drawn again
    assert 'data-testid="error-decision_note"' in response.content.decode()
    assert refresh(visiting).status == Status.VISITING  # the rating rolled back with the refused reopen

    response = client.post(url, {**data, "decision_note": "灯泡仍闪烁，请彻底检修线路"})
    assert response.status_code == 302
    case = refresh(visiting)
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.unit == visiting.unit  # back to the grid that handled it


def test_unsatisfied_may_wait_and_then_be_closed_with_a_reason(cast: Cast, visiting: Case, login: Any) -> None:
    client = login(cast.sam)
    client.post(
        f"/console/supervise/visits/{visiting.number}/rate/",
        {"satisfaction": "unsatisfied", "resolved": "yes", "decision": "", "version": visiting.version},
    )
    case = refresh(visiting)
    assert case.status == Status.UNSATISFIED
    html = client.get(URL).content.decode()
    assert f'id="decide-form-{case.number}"' in html
    response = client.post(
        f"/console/supervise/visits/{case.number}/decide/",
        {"decision": "close", "note": "诉求已解决，市民对处理时长不满，已解释", "version": case.version},
    )
    assert response.status_code == 302
    assert refresh(visiting).status == Status.CLOSED


def test_a_citizen_rated_case_is_not_rated_twice(cast: Cast, visiting: Case, login: Any) -> None:
    case_rate(case=visiting, by=cast.cindy, satisfaction="satisfied", resolved=True)
    response = login(cast.sam).post(
        f"/console/supervise/visits/{visiting.number}/rate/",
        {"satisfaction": "unsatisfied", "resolved": "no", "version": 5},
        follow=True,
    )
    assert '<li class="error">' in response.content.decode()
    assert refresh(visiting).satisfaction == Satisfaction.SATISFIED


def test_only_supervisors_use_the_workbench(cast: Cast, visiting: Case, login: Any) -> None:
    for name in ("gary", "dora", "alice", "leo", "auditor"):
        client = login(cast[name])
        assert client.get(URL).status_code == 403, name
        assert client.post(f"/console/supervise/visits/{visiting.number}/call/").status_code == 403, name
    assert not AuditEntry.objects.filter(action="case.contact_reveal").exists()


def test_what_to_put_right_is_held_to_the_actions_limit(cast: Cast, visiting: Case, login: Any) -> None:
    data = {"satisfaction": "unsatisfied", "resolved": "no", "decision": "reopen", "version": visiting.version}
    response = login(cast.sam).post(
        f"/console/supervise/visits/{visiting.number}/rate/", {**data, "decision_note": "修" * 5001}
    )
    assert response.status_code == 200 and 'data-testid="error-decision_note"' in response.content.decode()
    assert refresh(visiting).status == Status.VISITING


def test_the_forms_mark_required_fields_and_name_their_radio_groups(cast: Cast, visiting: Case, login: Any) -> None:
    html = login(cast.sam).get(URL).content.decode()
    assert 'for=""' not in html
    assert "<legend>" in html and 'class="req"' in html
