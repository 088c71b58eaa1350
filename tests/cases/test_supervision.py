"""A supervision order's end: the lead unit answers it, a supervisor closes it; by the services, the API and the
console's case page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from suban.cases.models import Case, CaseEvent, Status, SupervisionOrder
from suban.cases.services import case_claim, case_supervise, supervision_done, supervision_feedback
from suban.errors import Conflict, Forbidden, Invalid
from tests.conftest import Cast


@pytest.fixture
def order(dispatched: Case, cast: Cast) -> SupervisionOrder:
    case_claim(case=dispatched, by=cast.carol)
    return case_supervise(case=dispatched, by=cast.sam, note="请两日内修复")


def fresh(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_related("case").get(pk=order.pk)


def test_the_unit_answers_and_the_supervisor_closes_it(order, cast, frozen):
    case = order.case
    supervision_feedback(order=order, by=cast.carol, feedback="已更换灯泡", expected_version=case.version)
    saved = fresh(order)
    assert (saved.feedback, saved.feedback_by, saved.state) == ("已更换灯泡", cast.carol, "open")
    assert saved.feedback_at == frozen()
    frozen.advance(hours=2)
    supervision_done(order=saved, by=cast.sam, note="核实已修复")
    saved = fresh(order)
    assert saved.state == SupervisionOrder.State.DONE and saved.done_at == frozen() and saved.done_by == cast.sam
    events = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", "note", "public"))
    assert events[-2:] == [("supervision_feedback", "已更换灯泡", False), ("supervision_done", "核实已修复", False)]
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.version == len(events)


def test_only_the_lead_unit_answers_and_only_a_supervisor_closes(order, cast):
    for name in ("bob", "dan", "sam", "cindy"):
        with pytest.raises(Forbidden):
            supervision_feedback(order=fresh(order), by=cast[name], feedback="已处理")
    for name in ("carol", "dora", "bob", "cindy"):
        with pytest.raises(Forbidden):
            supervision_done(order=fresh(order), by=cast[name])
    with pytest.raises(Invalid):
        supervision_feedback(order=fresh(order), by=cast.carol, feedback="  ")
    with pytest.raises(Conflict):
        supervision_feedback(order=fresh(order), by=cast.carol, feedback="已处理", expected_version=1)
    assert fresh(order).feedback == "" and CaseEvent.objects.filter(action__startswith="supervision_").count() == 0


def test_a_closed_order_takes_no_more(order, cast):
    supervision_done(order=fresh(order), by=cast.leo)
    before = CaseEvent.objects.count()
    with pytest.raises(Conflict):
        supervision_done(order=fresh(order), by=cast.sam)
    with pytest.raises(Conflict):
        supervision_feedback(order=fresh(order), by=cast.carol, feedback="迟到的反馈")
    assert CaseEvent.objects.count() == before and fresh(order).feedback == ""


def api_post(user: Any, path: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client.post(f"/api{path}", json.dumps(body), content_type="application/json")


def test_through_the_api(order, cast):
    number = order.case.number
    base = f"/cases/{number}/actions"
    missing = api_post(cast.carol, f"{base}/supervision-feedback", {"order": 999999, "feedback": "已处理"})
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "order"
    answered = api_post(cast.carol, f"{base}/supervision-feedback", {"order": order.pk, "feedback": "已处理"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["supervision_count"] == 1
    refused = api_post(cast.carol, f"{base}/supervision-done", {"order": order.pk})
    assert refused.status_code == 403
    done = api_post(cast.sam, f"{base}/supervision-done", {"order": order.pk, "note": "已核实"})
    assert done.status_code == 200 and fresh(order).state == "done"
    again = api_post(cast.sam, f"{base}/supervision-done", {"order": order.pk})
    assert again.status_code == 409


def test_on_the_case_page(order, cast):
    url = f"/console/cases/{order.case.number}/"
    carol, sam = Client(), Client()
    carol.force_login(cast.carol, backend="suban.accounts.backends.RoleBackend")
    sam.force_login(cast.sam, backend="suban.accounts.backends.RoleBackend")
    html = carol.get(url).content.decode()
    assert "act/supervision_feedback/" in html and "act/supervision_done/" not in html
    case = Case.objects.get(pk=order.case.pk)
    response = carol.post(
        f"{url}act/supervision_feedback/", {"version": case.version, "order": order.pk, "feedback": "已修好路灯"}
    )
    assert response.status_code in (200, 302, 303), response.status_code
    assert fresh(order).feedback == "已修好路灯"
    html = sam.get(url).content.decode()
    assert "已修好路灯" in html and "act/supervision_done/" in html
    case.refresh_from_db()
    sam.post(f"{url}act/supervision_done/", {"version": case.version, "order": order.pk, "note": ""})
    assert fresh(order).state == "done"
    # Nothing open: no more buttons for it.
    assert "act/supervision_done/" not in sam.get(url).content.decode()
    assert "act/supervision_feedback/" not in carol.get(url).content.decode()


# --- An order ends with its case: closing, declining and merging settle it, in the same step. ---------------


def answer_and_release(case: Case, cast: Cast) -> Case:
    from suban.cases.services import case_reply, case_review_reply

    case_reply(case=case, by=cast.carol, reply="已更换灯泡")
    return case_review_reply(case=case, by=cast.dora, approve=True)


def test_a_satisfied_rating_closes_the_case_and_settles_its_open_order(order, cast, frozen):
    from suban.cases.services import case_rate

    case = answer_and_release(order.case, cast)
    assert fresh(order).state == SupervisionOrder.State.OPEN  # a reply alone does not end it: the rating may not
    frozen.advance(hours=3)
    case_rate(case=case, by=cast.cindy, satisfaction="satisfied", resolved=True)
    saved = fresh(order)
    assert (saved.state, saved.outcome) == (SupervisionOrder.State.DONE, SupervisionOrder.Outcome.CASE_CLOSED)
    assert saved.done_at == frozen() and saved.done_by == cast.cindy
    rate = CaseEvent.objects.get(case=case, action="rate")
    assert rate.data["settled_orders"] == [order.pk]
    assert not SupervisionOrder.objects.filter(case=case, state=SupervisionOrder.State.OPEN).exists()


def test_closing_after_an_objection_settles_every_open_order_and_keeps_the_closed_one(order, cast, frozen):
    from suban.cases.services import case_close, case_rate

    supervision_done(order=fresh(order), by=cast.sam, note="已核实")
    case = Case.objects.get(pk=order.case.pk)
    second = case_supervise(case=case, by=cast.leo, note="领导督办：一周内彻底解决", days=5)
    case = answer_and_release(case, cast)
    case_rate(case=case, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="没修好")
    case_close(case=case, by=cast.dora, note="已解释政策")
    first, second = fresh(order), fresh(second)
    assert (first.outcome, first.done_by) == (SupervisionOrder.Outcome.DONE, cast.sam)
    assert (second.state, second.outcome, second.done_by) == ("done", "case_closed", cast.dora)
    close = CaseEvent.objects.get(case=case, action="close")
    assert close.data["settled_orders"] == [second.pk]


def test_a_refused_close_leaves_the_orders_open(order, cast):
    from suban.cases.services import case_close, case_rate

    case = answer_and_release(order.case, cast)
    case_rate(case=case, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="没修好")
    with pytest.raises(Conflict):
        case_close(case=case, by=cast.dora, note="已解释", expected_version=case.version - 1)
    with pytest.raises(Invalid):
        case_close(case=case, by=cast.dora, note=" ")
    assert fresh(order).state == SupervisionOrder.State.OPEN and fresh(order).outcome == ""


@pytest.mark.parametrize("how", ["decline", "merge"])
def test_declining_or_merging_settles_an_open_order(how, cast, submitted, dispatched):
    """The table lets no one supervise a case before it is dispatched; an order a city platform or an older
    version left on an accepted case still ends with it."""
    from suban.cases.services import case_accept, case_decline, case_merge, case_submit

    other = case_submit(by=cast.chen, title="路灯又坏了", longitude=120.008, latitude=36.008)
    case_accept(case=other, by=cast.dora)
    left = SupervisionOrder.objects.create(case=other, unit=None, note="旧督办", due_at=other.created_at)
    Case.objects.filter(pk=other.pk).update(supervision_count=1)
    other.refresh_from_db()
    if how == "decline":
        case_decline(case=other, by=cast.dora, reason="repeat")
    else:
        case_merge(case=other, by=cast.dora, into=dispatched)
    saved = fresh(left)
    assert (saved.state, saved.outcome, saved.done_by) == ("done", f"case_{how}d", cast.dora)
    assert CaseEvent.objects.get(case=other, action=how).data["settled_orders"] == [left.pk]


def test_the_case_page_and_the_api_say_how_each_order_ended(order, cast):
    from suban.cases.services import case_rate

    case = answer_and_release(order.case, cast)
    url = f"/console/cases/{case.number}/"
    sam = Client()
    sam.force_login(cast.sam, backend="suban.accounts.backends.RoleBackend")
    assert 'class="sup open"' in sam.get(url).content.decode()
    case_rate(case=case, by=cast.cindy, satisfaction="satisfied", resolved=True)
    html = sam.get(url).content.decode()
    block = html.split('data-testid="supervisions"', 1)[1].split("</ul>", 1)[0]
    assert 'class="sup open"' not in block and "督办中" not in block
    assert "随案件办结结束" in block
    timeline = html.split('data-testid="timeline"', 1)[1]
    assert "1 件未结督办随之结束" in timeline.split('data-action="rate"', 1)[1].split("</li>", 1)[0]
    detail = sam.get(f"/api/cases/{case.number}").json()
    assert detail["supervisions"] == [
        {
            "id": order.pk,
            "unit": {"code": "S1C1", "name": "东一社区", "kind": "community"},
            "note": "请两日内修复",
            "automatic": False,
            "due_at": detail["supervisions"][0]["due_at"],
            "created_at": detail["supervisions"][0]["created_at"],
            "state": "done",
            "outcome": "case_closed",
            "feedback": "",
            "done_at": detail["supervisions"][0]["done_at"],
            "done_by": detail["supervisions"][0]["done_by"],
        }
    ]
    assert detail["supervisions"][0]["done_at"] is not None
    # The citizen's rating closed it: staff learn that, not who she is.
    assert detail["supervisions"][0]["done_by"] == {"kind": "citizen", "name": "群众", "username": None, "unit": None}


def test_the_supervise_step_names_its_order(order):
    event = CaseEvent.objects.get(case=order.case, action="supervise")
    assert event.data["order"] == order.pk


def test_an_order_the_case_lacks_is_refused_in_the_same_words_on_the_page_and_in_the_api(order, cast):
    """One lookup of a case's supervision order (cases.selectors.supervision_order) for every face."""
    case = Case.objects.get(pk=order.case.pk)
    missing = order.pk + 1000
    answer = api_post(
        cast.carol, f"/cases/{case.number}/actions/supervision-feedback", {"order": missing, "feedback": "已修"}
    )
    error = answer.json()["error"]
    assert answer.status_code == 400 and error["field"] == "order"
    carol = Client()
    carol.force_login(cast.carol, backend="suban.accounts.backends.RoleBackend")
    page = carol.post(
        f"/console/cases/{case.number}/act/supervision_feedback/",
        {"version": case.version, "order": missing, "feedback": "已修"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert f"该诉求没有编号为 {missing} 的督办单" in page
    assert fresh(order).feedback == ""
