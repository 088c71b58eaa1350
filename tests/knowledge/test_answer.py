"""直接答复: the dispatch centre answers a consultation from an article; the citizen gets the answer and rates
it, no unit is charged with it, and an unsatisfied rating is raised to a unit rather than reopened."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suban.cases.lifecycle import allowed_actions
from suban.cases.models import Satisfaction, Status
from suban.cases.services import case_accept, case_dispatch, case_rate, case_reopen, case_submit
from suban.cases.timeline import public_steps, released_reply
from suban.errors import Conflict, Forbidden, Invalid
from suban.knowledge.models import ArticleUse, UseKind
from suban.knowledge.services import answer_case, article_retire
from suban.notify.models import Outbox
from tests.conftest import Cast
from tests.knowledge.conftest import SOCIAL, published

pytestmark = pytest.mark.django_db


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def test_a_consultation_answered_from_an_article_reaches_the_citizen_and_charges_no_unit(
    cast: Cast, submitted: Any
) -> None:
    article = published(cast, SOCIAL)
    assert "answer" in allowed_actions(submitted, cast.dora)
    assert "answer" not in allowed_actions(submitted, cast.carol)
    answer_case(case=submitted, by=cast.dora, reply=article.live.answer, article=article)
    submitted.refresh_from_db()
    # No unit is charged with it: the service centre (the district) holds it, and it was never dispatched.
    assert (submitted.status, submitted.unit.kind, submitted.reply) == (Status.VISITING, "district", SOCIAL.answer)
    assert submitted.dispatched_at is None and submitted.due_at is None
    event = submitted.events.get(action="answer")
    assert event.data == {"article": article.pk, "reply": SOCIAL.answer} and event.actor == cast.dora
    assert [u.kind for u in ArticleUse.objects.filter(case=submitted)] == [UseKind.ANSWERED]
    article.refresh_from_db()
    assert article.uses == 1
    # The citizen is told, and reads the answer on her timeline.
    assert Outbox.objects.filter(template="case_replied", case=submitted).count() == 1
    assert released_reply(submitted) == SOCIAL.answer
    mine = public_steps(submitted, cast.cindy)
    assert [s.reply for s in mine if s.action == "answer"] == [SOCIAL.answer]
    # She rates it; satisfied closes it.
    case_rate(case=submitted, by=cast.cindy, satisfaction=Satisfaction.SATISFIED, resolved=True)
    submitted.refresh_from_db()
    assert submitted.status == Status.CLOSED and submitted.dispatched_at is None


def test_unsatisfied_with_the_answer_it_is_raised_to_a_unit_not_reopened(cast: Cast, submitted: Any, org: Any) -> None:
    answer_case(case=submitted, by=cast.dora, reply="请到社区服务中心咨询。")
    case_rate(case=submitted, by=cast.cindy, satisfaction=Satisfaction.UNSATISFIED, resolved=False, comment="没用")
    submitted.refresh_from_db()
    assert submitted.status == Status.UNSATISFIED
    assert "reopen" not in allowed_actions(submitted, cast.dora) and "raise_level" in allowed_actions(
        submitted, cast.dora
    )
    with pytest.raises(Conflict):
        case_reopen(case=submitted, by=cast.dora, note="重办")
    response = browser(cast.dora).post(
        f"/api/cases/{submitted.number}/actions/raise-level",
        {"unit": "S1C1", "note": "答复未解决，交社区办理", "version": submitted.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert (submitted.status, submitted.unit.code) == (Status.DISPATCHED, "S1C1") and submitted.due_at is not None


def test_who_may_answer_and_with_what(cast: Cast, submitted: Any) -> None:
    article = published(cast, SOCIAL)
    with pytest.raises(Forbidden):
        answer_case(case=submitted, by=cast.carol, reply="x")
    with pytest.raises(Invalid) as refused:
        answer_case(case=submitted, by=cast.dora, reply="  ")
    assert refused.value.field == "reply"
    dispatched = case_submit(
        by=cast.chen, title="路灯不亮", text="西一社区路灯坏了", longitude=119.985, latitude=36.005
    )
    case_accept(case=dispatched, by=cast.dora)
    case_dispatch(case=dispatched, by=cast.dora)
    with pytest.raises(Conflict):
        answer_case(case=dispatched, by=cast.dora, reply="x")  # a unit holds it already
    article_retire(article=article, by=cast.dan)
    article.refresh_from_db()
    with pytest.raises(Invalid) as refused:
        answer_case(case=submitted, by=cast.dora, reply="x", article=article)
    assert refused.value.field == "article"
    submitted.refresh_from_db()
    assert submitted.status == Status.NEW and not ArticleUse.objects.exists()


def test_the_api_and_the_console_answer_from_an_article(cast: Cast, submitted: Any) -> None:
    article = published(cast, SOCIAL)
    dora = browser(cast.dora)
    # The case page offers the article, and its button fills the answer form with it.
    page = dora.get(f"/console/cases/{submitted.number}/").content.decode()
    assert f'data-testid="answer-from-{article.pk}"' in page
    page = dora.get(f"/console/cases/{submitted.number}/?answer_from={article.pk}").content.decode()
    assert SOCIAL.answer[:20] in page and f'value="{article.pk}"' in page
    bad = dora.post(
        f"/api/cases/{submitted.number}/actions/answer",
        {"reply": "x", "article": 999999, "version": submitted.version},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "article"
    response = dora.post(
        f"/console/cases/{submitted.number}/act/answer/",
        {"version": submitted.version, "reply": SOCIAL.answer, "article": article.pk},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.VISITING and submitted.events.get(action="answer").data["article"] == article.pk
