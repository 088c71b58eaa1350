"""Search in Chinese: by words, by meaning (synonyms), through misspellings; only what is published and valid,
and only public articles for citizens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suban.knowledge.models import Synonym
from suban.knowledge.search import search
from suban.knowledge.selectors import found
from suban.knowledge.services import Content, article_create, article_edit, article_retire, article_revise
from tests.conftest import Cast
from tests.knowledge.conftest import HEATING, PARKING, SOCIAL, published

pytestmark = pytest.mark.django_db


def titles(user, text: str) -> list[str]:
    return [a.live.title for a, _score in found(user, text)]


def test_a_question_finds_its_article_first_however_it_is_worded(cast: Cast) -> None:
    social, parking, heating = published(cast, SOCIAL), published(cast, PARKING), published(cast, HEATING)
    assert titles(cast.dora, "社会保险卡丢了")[0] == SOCIAL.title
    assert titles(cast.dora, "有人把车停在消防通道上")[0] == PARKING.title
    assert titles(cast.dora, "家里暖气不热")[0] == HEATING.title
    assert titles(cast.dora, "社保卡补办要带什么")[0] == SOCIAL.title  # words of its other wordings and tags
    assert titles(cast.dora, "社会保险卡丢了怎么补版")[0] == SOCIAL.title  # a misspelling (补版)
    assert found(cast.dora, "") == [] and found(cast.dora, "   ") == []
    assert {social, parking, heating} >= {a for a, _s in found(cast.dora, "反映")}


def test_synonyms_fold_words_that_mean_the_same(cast: Cast) -> None:
    published(cast, PARKING)
    target = published(cast, Content(title="社会保障卡如何启用", answer="持卡到银行网点启用金融账户。"))

    def score(text: str) -> float:
        return dict(found(cast.dora, text)).get(target, 0.0)

    before = score("社保怎么用")
    Synonym.objects.create(words="社会保障，社保，社会保险")
    after = score("社保怎么用")
    assert after > 1.5 * before and titles(cast.dora, "社保怎么用")[0] == "社会保障卡如何启用"
    assert titles(cast.dora, "社会保险卡怎么启用")[0] == "社会保障卡如何启用"


def test_only_published_valid_articles_are_found_and_only_public_ones_by_citizens(cast: Cast) -> None:
    article_create(by=cast.dan, content=Content(title="公积金怎么提取", answer="到公积金中心办理。"))  # a draft
    published(cast, HEATING)  # not public
    soon = timezone.localdate() + timedelta(days=3)
    published(cast, Content(title="供暖费补贴怎么申请", answer="到社区申请。", valid_from=soon))
    assert "公积金怎么提取" not in titles(cast.dora, "公积金怎么提取")  # a draft
    assert "供暖费补贴怎么申请" not in titles(cast.dora, "供暖费补贴怎么申请")  # not valid yet
    assert titles(cast.dora, "暖气不热")[0] == HEATING.title
    assert titles(cast.cindy, "暖气不热") == [] and titles(None, "暖气不热") == []


def test_the_index_follows_publishing_revising_and_retiring(cast: Cast) -> None:
    article = published(cast, SOCIAL)
    assert titles(cast.dora, "社会保险卡丢了")[0] == SOCIAL.title
    article_revise(article=article, by=cast.dan)
    article.refresh_from_db()
    article_edit(article=article, by=cast.dan, content=PARKING)
    assert titles(cast.dora, "社会保险卡丢了")[0] == SOCIAL.title  # the revision is not live yet
    article_retire(article=article, by=cast.dan)
    assert titles(cast.dora, "社会保险卡丢了") == []
    assert search("社会保险卡丢了") == []
