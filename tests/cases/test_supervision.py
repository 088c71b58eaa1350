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


@pytest.fixture
def order(dispatched: Case, cast: dict[str, Any]) -> SupervisionOrder:
    case_claim(case=dispatched, by=cast["carol"])
    return case_supervise(case=dispatched, by=cast["sam"], note="请两日内修复")


def fresh(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_related("case").get(pk=order.pk)


def test_the_unit_answers_and_the_supervisor_closes_it(order, cast, frozen):
    case = order.case
    supervision_feedback(order=order, by=cast["carol"], feedback="已更换灯泡", expected_version=case.version)
    saved = fresh(order)
    assert (saved.feedback, saved.feedback_by, saved.state) == ("已更换灯泡", cast["carol"], "open")
    assert saved.feedback_at == frozen()
    frozen.advance(hours=2)
    supervision_done(order=saved, by=cast["sam"], note="核实已修复")
    saved = fresh(order)
    assert saved.state == SupervisionOrder.State.DONE and saved.done_at == frozen() and saved.done_by == cast["sam"]
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
        supervision_feedback(order=fresh(order), by=cast["carol"], feedback="  ")
    with pytest.raises(Conflict):
        supervision_feedback(order=fresh(order), by=cast["carol"], feedback="已处理", expected_version=1)
    assert fresh(order).feedback == "" and CaseEvent.objects.filter(action__startswith="supervision_").count() == 0


def test_a_closed_order_takes_no_more(order, cast):
    supervision_done(order=fresh(order), by=cast["leo"])
    before = CaseEvent.objects.count()
    with pytest.raises(Conflict):
        supervision_done(order=fresh(order), by=cast["sam"])
    with pytest.raises(Conflict):
        supervision_feedback(order=fresh(order), by=cast["carol"], feedback="迟到的反馈")
    assert CaseEvent.objects.count() == before and fresh(order).feedback == ""


def api_post(user: Any, path: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client.post(f"/api{path}", json.dumps(body), content_type="application/json")


def test_through_the_api(order, cast):
    number = order.case.number
    base = f"/cases/{number}/actions"
    missing = api_post(cast["carol"], f"{base}/supervision-feedback", {"order": 999999, "feedback": "已处理"})
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "order"
    answered = api_post(cast["carol"], f"{base}/supervision-feedback", {"order": order.pk, "feedback": "已处理"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["supervision_count"] == 1
    refused = api_post(cast["carol"], f"{base}/supervision-done", {"order": order.pk})
    assert refused.status_code == 403
    done = api_post(cast["sam"], f"{base}/supervision-done", {"order": order.pk, "note": "已核实"})
    assert done.status_code == 200 and fresh(order).state == "done"
    again = api_post(cast["sam"], f"{base}/supervision-done", {"order": order.pk})
    assert again.status_code == 409


def test_on_the_case_page(order, cast):
    url = f"/console/cases/{order.case.number}/"
    carol, sam = Client(), Client()
    carol.force_login(cast["carol"], backend="suban.accounts.backends.RoleBackend")
    sam.force_login(cast["sam"], backend="suban.accounts.backends.RoleBackend")
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
