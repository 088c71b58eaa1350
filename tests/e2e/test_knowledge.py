"""The knowledge base in the browser: a department writes an article (markup typed into it), the district sends
it back and then publishes it; a citizen writing a request on the H5 is offered it and is answered without a
request reaching anyone; the dispatch centre answers another citizen's consultation with it from the case
page, and she reads the answer on her request."""

from __future__ import annotations

import pytest

from suban.cases.models import Case, Nature, Status
from suban.cases.services import case_submit
from suban.knowledge.models import Article, ArticleStatus, ArticleUse, UseKind
from tests.conftest import PASSWORD
from tests.e2e.conftest import citizen_login, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CINDY, CHEN = "13800000001", "13800000002"
QUESTION = "社保卡丢了怎么补办？"
ANSWER = "带身份证到社保经办网点或合作银行办理挂失补办，<b>15个工作日</b>内寄到。<script>alert('x')</script>"


def test_an_article_is_written_reviewed_and_answers_citizens(faces, sms, org, cast):
    # --- Dan, of a department, writes it.
    dan = faces.desktop()
    staff_login(dan, "dan", PASSWORD, next_url="/console/knowledge/new/")
    dan.fill("#id_title", QUESTION)
    dan.fill("#id_questions", "社会保险卡掉了\n医保卡丢失补办")
    dan.fill("#id_answer", ANSWER)
    dan.fill("#id_tags", "社保,补办")
    with dan.expect_navigation():
        dan.click("[data-testid=knowledge-save]")
    article = Article.objects.get()
    with dan.expect_navigation():
        dan.click("[data-testid=knowledge-submit]")
    assert dan.locator("[data-testid=pending-answer] b, [data-testid=pending-answer] script").count() == 0

    # --- Sam, the district's supervisor, sends it back without a note (refused), with one, then publishes.
    sam = faces.desktop()
    staff_login(sam, "sam", PASSWORD, next_url="/console/knowledge/?show=review")
    assert sam.locator("[data-testid=kb-review-count]").text_content() == "1"
    sam.click("[data-testid=knowledge-link]")
    with sam.expect_navigation():
        sam.click("[data-testid=knowledge-send_back]")
    assert "请说明这条知识需补充的内容。" in sam.locator("ul.messages").text_content()
    sam.fill("#id_review_note", "写明补卡是否收费")
    with sam.expect_navigation():
        sam.click("[data-testid=knowledge-send_back]")
    dan.goto(f"/console/knowledge/{article.pk}/")
    assert "写明补卡是否收费" in dan.locator("[data-testid=knowledge-review-note]").text_content()
    dan.click("[data-testid=knowledge-edit]")
    dan.fill("#id_answer", ANSWER + "补卡免费。")
    with dan.expect_navigation():
        dan.click("[data-testid=knowledge-save]")
    with dan.expect_navigation():
        dan.click("[data-testid=knowledge-submit]")
    sam.goto(f"/console/knowledge/{article.pk}/")
    with sam.expect_navigation():
        sam.click("[data-testid=knowledge-publish]")
    assert Article.objects.get().status == ArticleStatus.PUBLISHED
    screenshot(sam, "knowledge-01-published")

    # --- Cindy starts a request on the H5; the answer is offered as she types, and it answers her.
    cindy = faces.phone()
    citizen_login(cindy, sms, CINDY, next_url="/h5/new/")
    cindy.goto("/h5/new/")
    cindy.fill("#id_title", "社保卡丢了")
    cindy.fill("#id_text", "我的社会保险卡丢了，去哪里补办？")
    cindy.wait_for_selector("[data-testid=kb-suggestion]")
    assert cindy.locator("[data-testid=kb-suggestions] b, [data-testid=kb-suggestions] script").count() == 0
    screenshot(cindy, "knowledge-02-h5-offered")
    cindy.click(f"[data-testid=kb-helped-{article.pk}]")
    cindy.wait_for_selector("[data-testid=answered]")
    screenshot(cindy, "knowledge-03-h5-answered")
    assert not Case.objects.exists()
    assert [u.kind for u in ArticleUse.objects.all()] == [UseKind.SELF_SERVED]

    # --- Chen phoned in instead: the dispatch centre answers his consultation with the article.
    asked = case_submit(
        by=cast.chen,
        title="社保卡补办",
        text="社会保险卡丢了，请问怎么补办",
        nature=Nature.CONSULTATION,
        longitude=120.008,
        latitude=36.008,
    )
    dora = faces.desktop()
    staff_login(dora, "dora", PASSWORD, next_url=f"/console/cases/{asked.number}/")
    with dora.expect_navigation():
        dora.click(f"[data-testid=answer-from-{article.pk}]")
    assert "补卡免费" in dora.input_value("#id_answer_reply")
    with dora.expect_navigation():
        dora.click("[data-testid=submit-answer]")
    asked.refresh_from_db()
    assert asked.status == Status.VISITING and asked.dispatched_at is None  # no unit reached
    assert sms.wait_for(CHEN, "case_replied")

    chen = faces.phone()
    citizen_login(chen, sms, CHEN, next_url=f"/h5/mine/{asked.number}/")
    chen.goto(f"/h5/mine/{asked.number}/")
    reply = chen.locator("[data-testid=reply]")
    reply.wait_for()
    assert "补卡免费" in reply.text_content()
    assert chen.locator("[data-testid=reply] b, [data-testid=reply] script").count() == 0
    screenshot(chen, "knowledge-04-h5-answer-on-request")
