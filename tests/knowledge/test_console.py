"""The console's knowledge base: write, review, search; the case page suggests articles and makes a draft
from a released reply."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suban.cases.services import case_claim, case_reply, case_review_reply
from suban.knowledge.models import Article, ArticleStatus, VersionState
from tests.conftest import Cast
from tests.knowledge.conftest import SOCIAL, published

pytestmark = pytest.mark.django_db

FORM = {
    "title": "<script>alert(1)</script>居住证怎么办理？",
    "questions": "外地人办居住证\n<b>居住证</b>要什么材料",
    "answer": "持身份证、租房合同到居住地派出所申请。",
    "basis": "",
    "basis_url": "",
    "matters": "",
    "tags": "居住证",
    "valid_from": "",
    "valid_to": "",
    "public": "on",
}


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def test_a_unit_writes_the_district_sends_back_then_publishes(cast: Cast) -> None:
    dan, sam = browser(cast.dan), browser(cast.sam)
    assert 'data-testid="knowledge-new"' in dan.get("/console/knowledge/").content.decode()
    response = dan.post("/console/knowledge/new/", FORM)
    assert response.status_code == 302
    article = Article.objects.get()
    page = dan.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>居住证</b>" not in page
    dan.post(f"/console/knowledge/{article.pk}/submit/", {"version": article.version})
    article.refresh_from_db()
    assert article.pending.state == VersionState.REVIEWING
    queue = sam.get("/console/knowledge/?show=review").content.decode()
    assert f'data-article="{article.pk}"' in queue and 'data-testid="kb-review-count">1<' in queue
    # Sending back without saying what is missing is refused, and nothing changes.
    refused = sam.post(
        f"/console/knowledge/{article.pk}/send_back/", {"version": article.version, "note": ""}, follow=True
    )
    assert "请说明这条知识需补充的内容。" in refused.content.decode()
    article.refresh_from_db()
    assert article.pending.state == VersionState.REVIEWING
    sam.post(f"/console/knowledge/{article.pk}/publish/", {"version": article.version})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.live.title.endswith("居住证怎么办理？")
    hits = browser(cast.carol).get("/console/knowledge/", {"q": "外地人怎么办居住证"}).content.decode()
    assert f'data-article="{article.pk}"' in hits and 'data-testid="knowledge-score"' in hits


def test_a_stale_edit_is_refused_and_the_text_typed_is_kept(cast: Cast) -> None:
    dan = browser(cast.dan)
    dan.post("/console/knowledge/new/", FORM)
    article = Article.objects.get()
    seen = article.version
    dan.post(f"/console/knowledge/{article.pk}/edit/", {**FORM, "title": "第一次修改", "version": seen})
    again = dan.post(f"/console/knowledge/{article.pk}/edit/", {**FORM, "title": "第二次修改", "version": seen})
    assert again.status_code == 409
    assert 'value="第二次修改"' in again.content.decode()  # what was typed is still in the form
    article.refresh_from_db()
    assert article.pending.title == "第一次修改"


def test_bad_input_is_named_next_to_its_field(cast: Cast) -> None:
    dan = browser(cast.dan)
    response = dan.post("/console/knowledge/new/", {**FORM, "basis_url": "javascript:alert(1)"})
    assert response.status_code == 400 and 'data-testid="error-basis_url"' in response.content.decode()
    response = dan.post("/console/knowledge/new/", {**FORM, "matters": "没有这个事项"})
    assert response.status_code == 400 and 'data-testid="error-matters"' in response.content.decode()
    assert not Article.objects.exists()


def test_who_may_not_write_is_told_so(cast: Cast) -> None:
    assert browser(cast.gary).get("/console/knowledge/new/").status_code == 403
    assert 'data-testid="knowledge-new"' not in browser(cast.gary).get("/console/knowledge/").content.decode()


def test_the_case_page_suggests_articles_and_makes_one_from_a_released_reply(cast: Cast, submitted: Any) -> None:
    published(cast, SOCIAL)
    street = published(cast, type(SOCIAL)(title="路灯不亮找谁修？", answer="路灯由城管局路灯所维修，可拨打12319。"))
    dora = browser(cast.dora)
    page = dora.get(f"/console/cases/{submitted.number}/").content.decode()
    assert 'data-testid="knowledge-suggestion"' in page and f"/console/knowledge/{street.pk}/" in page
    case_claim_and_release(cast, submitted)
    carol = browser(cast.carol)
    page = carol.get(f"/console/cases/{submitted.number}/").content.decode()
    assert 'data-testid="reply-to-article"' in page
    made = carol.post(f"/console/knowledge/from-case/{submitted.number}/")
    article = Article.objects.get(versions__from_case=submitted)
    assert made["Location"] == f"/console/knowledge/{article.pk}/edit/"
    assert article.pending.answer.startswith("路灯已修复") and article.owner == cast.carol.unit


def case_claim_and_release(cast: Cast, case: Any) -> None:
    from suban.cases.services import case_accept, case_dispatch

    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="路灯已修复，恢复照明。")
    case_review_reply(case=case, by=cast.dora, approve=True)


def test_the_figures_count_answers_deflection_and_gaps(cast: Cast) -> None:
    from suban.cases.models import Nature
    from suban.cases.services import case_submit
    from suban.knowledge.models import UseKind
    from suban.knowledge.services import answer_case, record_use

    social = published(cast, SOCIAL)
    where = {"longitude": 120.008, "latitude": 36.008}
    asked = case_submit(
        by=cast.cindy, title="社保卡丢了", text="社会保险卡丢了怎么补办", nature=Nature.CONSULTATION, **where
    )
    answer_case(case=asked, by=cast.dora, reply=social.live.answer, article=social)
    gap = case_submit(by=cast.chen, title="养犬证", text="养狗需要办什么证件", nature=Nature.CONSULTATION, **where)
    record_use(article=social, kind=UseKind.SELF_SERVED, by=cast.cindy)
    record_use(article=social, kind=UseKind.NOT_HELPFUL, by=cast.chen)
    page = browser(cast.dora).get("/console/knowledge/figures/", {"days": 7}).content.decode()
    assert 'data-testid="kb-consultations">2<' in page
    assert '<span class="mono">1</span> <span class="muted">(50%)</span>' in page
    # Deflection: one citizen answered on the H5, two consultations sent there.
    assert 'data-testid="kb-self-served">1<' in page and 'data-testid="kb-deflection">33%' in page
    assert f"/console/cases/{gap.number}/" in page and f"/console/cases/{asked.number}/" not in page
    assert SOCIAL.title in page  # the article most used


def test_the_author_of_a_draft_is_offered_to_edit_it_and_others_are_not(cast: Cast) -> None:
    dan = browser(cast.dan)
    dan.post("/console/knowledge/new/", FORM)
    article = Article.objects.get()
    assert 'data-testid="knowledge-edit"' in dan.get(f"/console/knowledge/{article.pk}/").content.decode()
    assert (
        'data-testid="knowledge-edit"'
        not in browser(cast.sam).get(f"/console/knowledge/{article.pk}/").content.decode()
    )


def test_articles_about_to_expire_are_listed_for_their_authors(cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    soon = published(
        cast, type(SOCIAL)(title="今年的供暖补贴", answer="到社区申请。", valid_to=today + timedelta(days=5))
    )
    later = published(cast, type(SOCIAL)(title="长期政策", answer="一直有效。", valid_to=today + timedelta(days=300)))
    page = browser(cast.dan).get("/console/knowledge/?show=expiring").content.decode()
    assert f'data-article="{soon.pk}"' in page and f'data-article="{later.pk}"' not in page
    assert 'data-testid="kb-expiring-count">1<' in page
    assert (
        f'data-article="{soon.pk}"' not in browser(cast.carol).get("/console/knowledge/?show=expiring").content.decode()
    )


def test_the_editor_shows_an_articles_dates_so_that_saving_keeps_them(cast: Cast) -> None:
    """A date input reads only YYYY-MM-DD: given the zh-hans 2027/01/01 it showed nothing, and a save dropped
    the article's validity."""
    dan = browser(cast.dan)
    dan.post("/console/knowledge/new/", {**FORM, "valid_from": "2027-01-01", "valid_to": "2027-12-31"})
    article = Article.objects.get()
    page = dan.get(f"/console/knowledge/{article.pk}/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="2027-01-01"' in page and 'value="2027-12-31"' in page
