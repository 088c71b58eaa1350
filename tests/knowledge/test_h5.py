"""Answers on the H5: searched by anyone, offered while a citizen writes a request; "this answers me" ends
there and is counted once, "not what I need" lets her go on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suban.cases.models import Case
from suban.knowledge.models import ArticleUse, UseKind
from tests.conftest import Cast
from tests.knowledge.conftest import HEATING, SOCIAL, published

pytestmark = pytest.mark.django_db

CITIZEN_BACKEND = "suban.accounts.backends.CitizenSmsBackend"


def citizen(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=CITIZEN_BACKEND)
    return client


def test_anyone_searches_the_public_answers(cast: Cast) -> None:
    social, internal = published(cast, SOCIAL), published(cast, HEATING)
    page = Client().get("/h5/answers/", {"q": "社保卡掉了怎么办"}).content.decode()
    assert f'data-article="{social.pk}"' in page and f'data-article="{internal.pk}"' not in page
    assert Client().get(f"/h5/answers/{social.pk}/").status_code == 200
    assert Client().get(f"/h5/answers/{internal.pk}/").status_code == 404  # not public
    listing = Client().get("/h5/answers/").content.decode()
    assert f'data-article="{social.pk}"' in listing


def test_answers_are_offered_while_a_citizen_writes_and_a_helped_one_sends_nothing(cast: Cast) -> None:
    social = published(cast, SOCIAL)
    cindy = citizen(cast.cindy)
    offered = cindy.get("/h5/answers/suggest/", {"title": "社保卡丢了", "text": "我的社会保险卡丢了，去哪里补办？"})
    assert f'data-article="{social.pk}"' in offered.content.decode()
    assert cindy.get("/h5/answers/suggest/", {"title": "路灯", "text": ""}).content.decode().strip() == ""
    helped = cindy.post(f"/h5/answers/{social.pk}/helped/", headers={"HX-Request": "true"})
    assert helped.status_code == 200 and 'data-testid="answered"' in helped.content.decode()
    cindy.post(f"/h5/answers/{social.pk}/helped/", headers={"HX-Request": "true"})  # a second click counts once
    uses = ArticleUse.objects.filter(article=social)
    assert [(u.kind, u.by) for u in uses] == [(UseKind.SELF_SERVED, cast.cindy)]
    assert not Case.objects.exists()
    social.refresh_from_db()
    assert social.uses == 1


def test_not_what_i_need_is_counted_and_the_request_goes_on(cast: Cast) -> None:
    social = published(cast, SOCIAL)
    cindy = citizen(cast.cindy)
    gone = cindy.post(f"/h5/answers/{social.pk}/not-helpful/", headers={"HX-Request": "true"})
    assert gone.status_code == 200 and gone.content == b""
    plain = cindy.post(f"/h5/answers/{social.pk}/not-helpful/")
    assert plain.status_code == 302 and plain["Location"] == "/h5/new/"
    assert [u.kind for u in ArticleUse.objects.all()] == [UseKind.NOT_HELPFUL]
    social.refresh_from_db()
    assert social.uses == 0
    submit = cindy.get("/h5/new/").content.decode()
    assert 'data-testid="kb-answers"' in submit and "/h5/answers/suggest/" in submit


def test_an_unpublished_or_unknown_article_is_not_found(cast: Cast) -> None:
    assert Client().get("/h5/answers/99999/").status_code == 404
    assert Client().post("/h5/answers/99999/helped/").status_code == 404
    assert not ArticleUse.objects.exists()
