"""Incoming: the platform's updates, signed like our deliveries, applied once each through the case services in
the name of the platform's account."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from suban.cases.models import Case, CaseEvent, Satisfaction, Status, SupervisionOrder
from suban.cases.services import case_claim, case_reply, case_review_reply
from suban.citysync import signing
from suban.citysync.models import IncomingUpdate
from tests.citysync.conftest import SECRET, make_webhook, submit_in_s2
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

URL = "/api/citysync/updates"


def send(
    client: Client,
    body: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    source: str = "city",
    timestamp: float | None = None,
    signed_body: bytes | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = signing.signed_headers(secret, signed_body if signed_body is not None else raw, now=timestamp)
    return client.post(
        URL,
        raw,
        content_type="application/json",
        headers={signing.SOURCE_HEADER: source, **headers},
    )


def error_of(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = response.json()["error"]
    return data


@pytest.fixture
def in_progress(dispatched: Case, cast: Cast) -> Case:
    return case_claim(case=dispatched, by=cast.carol)


def supervise(case: Case, update_id: str = "u-1", **extra: Any) -> dict[str, Any]:
    return {"update_id": update_id, "case": case.number, "action": "supervise", "note": "市级督办：三日内修复", **extra}


def test_a_supervision_order_of_the_city_is_applied_in_the_name_of_its_account(client, city, in_progress, city_account):
    response = send(client, supervise(in_progress, days=2))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "update_id": "u-1",
        "result": "applied",
        "action": "supervise",
        "case": {"number": in_progress.number, "status": Status.IN_PROGRESS, "version": in_progress.version + 1},
    }
    [order] = SupervisionOrder.objects.filter(case=in_progress)
    assert (order.by, order.note, order.unit_id) == (city_account, "市级督办：三日内修复", in_progress.unit_id)
    event = CaseEvent.objects.filter(case=in_progress).latest("seq")
    assert (event.action, event.actor) == ("supervise", city_account)
    row = IncomingUpdate.objects.get(update_id="u-1")
    assert (row.state, row.case_id, row.status_code) == (IncomingUpdate.State.APPLIED, in_progress.pk, 200)


def test_the_same_update_again_returns_the_first_answer_and_changes_nothing(client, city, in_progress):
    first = send(client, supervise(in_progress))
    again = send(client, supervise(in_progress))
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert SupervisionOrder.objects.filter(case=in_progress).count() == 1
    assert Case.objects.get(pk=in_progress.pk).supervision_count == 1
    assert IncomingUpdate.objects.get(update_id="u-1").tries == 2


def test_an_update_id_used_for_another_update_is_refused(client, city, in_progress):
    send(client, supervise(in_progress))
    response = send(client, supervise(in_progress, note="另一条督办"))
    assert response.status_code == 409
    assert error_of(response)["field"] == "update_id"
    assert SupervisionOrder.objects.filter(case=in_progress).count() == 1


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "altered body", "old timestamp", "unknown source", "no signature", "inactive source"],
)
def test_a_request_not_signed_by_a_known_platform_is_refused_and_leaves_no_trace(
    client, city, in_progress, frozen, how
):
    body = json.dumps(supervise(in_progress)).encode()
    kwargs: dict[str, Any] = {}
    if how == "wrong secret":
        kwargs["secret"] = "not-the-city-secret-000000"
    elif how == "altered body":
        kwargs["signed_body"] = json.dumps(supervise(in_progress, days=5)).encode()
    elif how == "old timestamp":
        kwargs["timestamp"] = frozen().timestamp() - signing.WINDOW_SECONDS - 1
    elif how == "unknown source":
        kwargs["source"] = "nobody"
    elif how == "inactive source":
        city.active = False
        city.save()
    if how == "no signature":
        response = client.post(URL, body, content_type="application/json", headers={signing.SOURCE_HEADER: "city"})
    else:
        response = send(client, body, **kwargs)
    assert response.status_code == 401
    assert error_of(response)["code"] == "bad_signature"
    assert IncomingUpdate.objects.count() == 0
    assert SupervisionOrder.objects.count() == 0


def test_an_unknown_case_is_a_clear_404_and_may_be_sent_again(client, city, in_progress):
    response = send(client, {"update_id": "u-9", "case": "2099010100001", "action": "supervise", "note": "督办"})
    assert response.status_code == 404
    assert "2099010100001" in error_of(response)["message"]
    row = IncomingUpdate.objects.get(update_id="u-9")
    assert (row.state, row.status_code) == (IncomingUpdate.State.REFUSED, 404)


def test_a_case_outside_the_accounts_reach_looks_missing(client, cast, frozen, in_progress, city_account):
    east_only = make_webhook("east", account=cast.alice)  # a street handler's account reaches its street
    other = submit_in_s2(cast)
    response = send(client, supervise(other), source=east_only.code)
    assert response.status_code == 404


def test_a_stale_version_and_a_stale_state_are_conflicts(client, city, in_progress):
    stale = send(client, supervise(in_progress, version=in_progress.version - 1))
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "conflict"
    close = send(client, {"update_id": "u-2", "case": in_progress.number, "action": "close", "note": "市级办结"})
    assert close.status_code == 409  # an in-progress case cannot be closed
    assert Case.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_a_refused_update_sent_again_once_it_fits_is_applied(client, city, in_progress):
    body = supervise(in_progress, version=in_progress.version + 1)  # the city saw a later version than ours
    assert send(client, body).status_code == 409
    assert IncomingUpdate.objects.get(update_id="u-1").state == IncomingUpdate.State.REFUSED
    in_progress.refresh_from_db()
    from suban.cases.services import case_note

    case_note(case=in_progress, by=in_progress.handler, note="已派人查看")  # now our version is the city's
    again = send(client, body)
    assert again.status_code == 200
    row = IncomingUpdate.objects.get(update_id="u-1")
    assert (row.state, row.tries) == (IncomingUpdate.State.APPLIED, 2)


def test_raising_the_level_hands_the_case_up(client, city, in_progress, org):
    body = {"update_id": "u-3", "case": in_progress.number, "action": "raise_level", "unit": "S1", "note": "市级提级"}
    response = send(client, body)
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=in_progress.pk)
    assert (case.status, case.unit_id) == (Status.DISPATCHED, org["S1"].pk)
    bad = send(client, {**body, "update_id": "u-4", "unit": "NOPE"})
    assert bad.status_code == 400
    assert error_of(bad)["field"] == "unit"


def test_the_citys_return_visit_closes_or_reopens(client, city, in_progress, cast):
    case_reply(case=in_progress, by=cast.carol, reply="路灯已修复")
    case_review_reply(case=in_progress, by=cast.dora, approve=True)
    visit = {"update_id": "u-5", "case": in_progress.number, "action": "visit_result"}
    response = send(
        client, {**visit, "satisfaction": Satisfaction.UNSATISFIED, "resolved": False, "note": "灯还是不亮"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["case"]["status"] == Status.UNSATISFIED
    reopen = send(client, {"update_id": "u-6", "case": in_progress.number, "action": "reopen", "note": "请重办"})
    assert reopen.json()["case"]["status"] == Status.IN_PROGRESS
    case = Case.objects.get(pk=in_progress.pk)
    assert (case.reopen_count, case.satisfaction) == (1, "")  # reopening clears the rating


def test_a_comment_of_the_city_is_a_note_on_the_timeline(client, city, in_progress, city_account):
    response = send(client, {"update_id": "u-7", "case": in_progress.number, "action": "comment", "note": "请加快"})
    assert response.status_code == 200, response.content
    event = CaseEvent.objects.filter(case=in_progress).latest("seq")
    assert (event.action, event.actor, event.note, event.public) == ("note", city_account, "请加快", False)
    assert Case.objects.get(pk=in_progress.pk).status == Status.IN_PROGRESS


def test_bad_bodies_are_clear_400s(client, city, in_progress):
    broken = send(client, b"{not json")
    assert broken.status_code == 400
    missing = send(client, {"update_id": "u-8", "action": "supervise"})
    assert (missing.status_code, error_of(missing)["field"]) == (400, "case")
    unknown = send(client, {"update_id": "u-8", "case": in_progress.number, "action": "explode"})
    assert (unknown.status_code, error_of(unknown)["field"]) == (400, "action")
    extra = send(client, {**supervise(in_progress), "phone": "13800000001"})
    assert (extra.status_code, error_of(extra)["field"]) == (400, "phone")


def test_a_platform_without_an_account_may_send_no_updates(client, in_progress, db):
    make_webhook("mute")
    response = send(client, supervise(in_progress), source="mute")
    assert response.status_code == 403


def test_the_visit_results_the_api_takes_are_the_cases_satisfactions():
    import typing

    from suban.api.routers.citysync import UpdateIn

    literal = typing.get_args(UpdateIn.model_fields["satisfaction"].annotation)[0]
    assert set(typing.get_args(literal)) == set(Satisfaction.values)
