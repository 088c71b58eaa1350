from __future__ import annotations

import pytest

from suban.knowledge.models import Article
from suban.knowledge.services import Content, article_create, article_review, article_submit
from tests.conftest import Cast


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh caches, the search index among them (tests/conftest.py)."""


def published(cast: Cast, content: Content, *, by: str = "dan") -> Article:
    """An article written by `by` and published by sam, the district's supervisor."""
    article = article_create(by=cast[by], content=content)
    article_submit(article=article, by=cast[by])
    return article_review(article=article, by=cast.sam, approve=True)


SOCIAL = Content(
    title="社会保险卡丢了怎么补办？",
    questions="社保卡丢失补办\n医保卡掉了去哪里补",
    answer="携带身份证到就近的社会保险经办网点或合作银行网点办理挂失和补办，也可在“爱山东”App上申请补卡，"
    "新卡一般在15个工作日内寄到。",
    basis="《社会保障卡管理办法》",
    basis_url="https://hrss.shandong.gov.cn/",
    tags="社保,补办",
)
PARKING = Content(
    title="小区门口乱停车谁来管？",
    questions="占用消防通道停车\n车辆停在人行道上",
    answer="小区内的车辆由物业管理，占用消防通道可拨打119或向街道反映；道路上的违法停车由交警部门查处。",
)
HEATING = Content(
    title="暖气不热向谁反映？",
    answer="供暖期内室温低于18度，先联系供热公司报修；供热公司不处理的，向区供热办反映。",
    public=False,
)
