"""Articles: written by a unit, reviewed by the district, versions kept; who may do what, and what each
person reads."""

from __future__ import annotations

from datetime import date

import pytest

from suban.audit.models import AuditEntry
from suban.errors import Conflict, Forbidden, Invalid, NotFound
from suban.knowledge.lifecycle import Step, allowed_steps
from suban.knowledge.models import ArticleStatus, VersionState
from suban.knowledge.selectors import article_for, articles_visible_to, review_queue
from suban.knowledge.services import (
    Content,
    article_create,
    article_discard,
    article_edit,
    article_restore,
    article_retire,
    article_review,
    article_revise,
    article_submit,
)
from tests.conftest import Cast
from tests.knowledge.conftest import HEATING, PARKING, SOCIAL, published

pytestmark = pytest.mark.django_db


def test_a_department_writes_the_district_publishes_and_every_step_is_audited(cast: Cast) -> None:
    article = article_create(by=cast.dan, content=SOCIAL)
    assert (article.status, article.owner.code, article.live) == (ArticleStatus.DRAFT, "DEPT1", None)
    assert article.pending is not None and article.pending.state == VersionState.DRAFT
    assert review_queue(cast.sam).count() == 0
    article_submit(article=article, by=cast.dan, expected_version=article.version)
    assert list(review_queue(cast.sam)) == [article]
    with pytest.raises(Invalid) as refused:
        article_review(article=article, by=cast.sam, approve=False)
    assert refused.value.field == "note"
    article_review(article=article, by=cast.sam, approve=False, note="写明补卡费用")
    article.refresh_from_db()
    assert article.pending.state == VersionState.DRAFT and article.pending.review_note == "写明补卡费用"
    article_edit(
        article=article, by=cast.dan, content=Content(**{**SOCIAL.__dict__, "answer": SOCIAL.answer + "补卡免费。"})
    )
    article_submit(article=article, by=cast.dan)
    article_review(article=article, by=cast.sam, approve=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.pending is None
    assert (
        article.live is not None and article.live.answer.endswith("补卡免费。") and article.live.reviewed_by == cast.sam
    )
    steps = list(
        AuditEntry.objects.filter(action__startswith="knowledge.").order_by("seq").values_list("action", flat=True)
    )
    assert steps == [
        "knowledge.create",
        "knowledge.submit",
        "knowledge.send_back",
        "knowledge.edit",
        "knowledge.submit",
        "knowledge.publish",
    ]


def test_a_revision_is_written_while_the_live_text_stays_and_replaces_it_once_published(cast: Cast) -> None:
    article = published(cast, SOCIAL)
    first = article.live
    article_revise(article=article, by=cast.dan)
    article.refresh_from_db()
    assert article.live == first and article.pending is not None and article.pending.number == 2
    assert article.pending.title == SOCIAL.title  # starts from the live text
    article_edit(article=article, by=cast.dan, content=Content(**{**SOCIAL.__dict__, "title": "社保卡丢了怎么办？"}))
    article_submit(article=article, by=cast.dan)
    article.refresh_from_db()
    assert article.live == first and article.live.title == SOCIAL.title  # live until the district says so
    article_review(article=article, by=cast.sam, approve=True)
    article.refresh_from_db()
    first.refresh_from_db()
    assert article.live.title == "社保卡丢了怎么办？" and first.state == VersionState.SUPERSEDED
    assert list(article.versions.values_list("number", "state")) == [
        (2, VersionState.PUBLISHED),
        (1, VersionState.SUPERSEDED),
    ]
    # A revision can be dropped; the live text is untouched.
    article_revise(article=article, by=cast.dan)
    article.refresh_from_db()
    article_discard(article=article, by=cast.dan)
    article.refresh_from_db()
    assert article.pending is None and article.versions.count() == 2


def test_who_may_do_what(cast: Cast) -> None:
    article = article_create(by=cast.dan, content=SOCIAL)
    assert allowed_steps(article, cast.dan) == [Step.EDIT, Step.SUBMIT]
    assert allowed_steps(article, cast.carol) == []  # another unit
    assert allowed_steps(article, cast.dora) == [Step.EDIT, Step.SUBMIT]  # the centre writes for every unit
    with pytest.raises(Forbidden):
        article_edit(article=article, by=cast.carol, content=PARKING)
    with pytest.raises(Forbidden):
        article_create(by=cast.gary, content=PARKING)  # grid workers do not write articles
    with pytest.raises(Forbidden):
        article_create(by=cast.carol, content=PARKING, owner=cast.dan.unit)  # not her unit
    article_submit(article=article, by=cast.dan)
    with pytest.raises(Forbidden):
        article_review(article=article, by=cast.dan, approve=True)  # not a reviewer
    with pytest.raises(Forbidden):
        article_review(article=article, by=cast.alice, approve=True)
    with pytest.raises(Conflict):
        article_submit(article=article, by=cast.dan)  # already under review


def test_nobody_publishes_what_they_wrote_themselves(cast: Cast) -> None:
    article = article_create(by=cast.dora, content=PARKING)  # the dispatch centre writes
    article_submit(article=article, by=cast.dora)
    with pytest.raises(Forbidden):
        article_review(article=article, by=cast.dora, approve=True)
    article_review(article=article, by=cast.sam, approve=True)


def test_a_page_that_saw_an_older_article_is_refused(cast: Cast) -> None:
    article = article_create(by=cast.dan, content=SOCIAL)
    seen = article.version
    article_edit(article=article, by=cast.dan, content=PARKING, expected_version=seen)
    with pytest.raises(Conflict):
        article_edit(article=article, by=cast.dan, content=SOCIAL, expected_version=seen)
    article.refresh_from_db()
    assert article.pending.title == PARKING.title  # nothing lost, nothing overwritten


def test_bad_content_is_refused_by_field_and_nothing_is_written(cast: Cast) -> None:
    cases = [
        (Content(title=" ", answer="x"), "title"),
        (Content(title="问题", answer="  "), "answer"),
        (Content(title="问" * 201, answer="x"), "title"),
        (Content(title="问题", answer="x" * 10001), "answer"),
        (Content(title="问题", answer="x", basis_url="javascript:alert(1)"), "basis_url"),
        (Content(title="问题", answer="x", valid_from=date(2026, 5, 1), valid_to=date(2026, 4, 1)), "valid_to"),
    ]
    for content, field in cases:
        with pytest.raises(Invalid) as refused:
            article_create(by=cast.dan, content=content)
        assert refused.value.field == field
    assert not articles_visible_to(cast.sam).exists()


def test_what_each_person_reads(cast: Cast) -> None:
    public = published(cast, SOCIAL)
    internal = published(cast, HEATING)
    draft = article_create(by=cast.carol, content=PARKING)
    assert set(articles_visible_to(cast.sam)) == {public, internal, draft}  # the district's reviewer
    assert set(articles_visible_to(cast.alice)) == {public, internal, draft}  # carol's street, above her
    assert set(articles_visible_to(cast.dan)) == {public, internal}  # another unit's draft is not his
    assert set(articles_visible_to(cast.cindy)) == {public}  # citizens: public and published only
    assert set(articles_visible_to(None)) == {public}
    with pytest.raises(NotFound):
        article_for(cast.cindy, internal.pk)
    article_retire(article=public, by=cast.dan, note="政策调整")
    assert set(articles_visible_to(cast.cindy)) == set()
    article_restore(article=public, by=cast.sam)
    assert set(articles_visible_to(cast.cindy)) == {public}
