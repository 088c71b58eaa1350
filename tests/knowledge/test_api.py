"""The knowledge base through the API: write, review, search; bad input is a 400 naming the field; reach is
kept (404 for what one may not read)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suban.api.services import token_create
from suban.cases.services import case_claim, case_reply, case_review_reply
from suban.knowledge.models import Article, ArticleStatus
from tests.conftest import Cast
from tests.knowledge.conftest import HEATING, SOCIAL, published

pytestmark = pytest.mark.django_db


class Api:
    """Staff call with the console's session; a citizen's app with the token it holds once they logged in."""

    def __init__(self, user: Any) -> None:
        self.client, self.headers = Client(), {}
        if user.is_citizen:
            _token, key = token_create(by=None, user=user, name="app")
            self.headers = {"Authorization": f"Bearer {key}"}
        else:
            self.client.force_login(user, backend="suban.accounts.backends.RoleBackend")

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api/knowledge{path}", params or {}, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
        call = getattr(self.client, method)
        return call(f"/api/knowledge{path}", body or {}, content_type="application/json", headers=self.headers)


BODY = {
    "title": "居住证怎么办理？",
    "answer": "持身份证、租房合同到居住地派出所申请，<b>15个工作日</b>内领取。",
    "questions": ["外地人办居住证", "<script>alert(1)</script>"],
    "tags": ["居住证"],
    "basis_url": "https://gaj.qingdao.gov.cn/",
}


def test_an_article_is_written_reviewed_and_found_through_the_api(cast: Cast) -> None:
    dan, sam = Api(cast.dan), Api(cast.sam)
    created = dan.post("/articles", BODY)
    assert created.status_code == 201, created.content
    article = created.json()
    assert (article["status"], article["owner"], article["live"]) == ("draft", "DEPT1", None)
    assert article["pending"]["questions"] == BODY["questions"]  # stored as written; pages escape it
    assert article["steps"] == ["edit", "submit"]
    number = article["id"]
    submitted = dan.post(f"/articles/{number}/submit", {"version": article["version"]})
    assert submitted.status_code == 200, submitted.content
    back = sam.post(f"/articles/{number}/review", {"approve": False, "version": submitted.json()["version"]})
    assert back.status_code == 400 and back.json()["error"]["field"] == "note"
    published_ = sam.post(f"/articles/{number}/review", {"approve": True, "version": submitted.json()["version"]})
    assert published_.status_code == 200, published_.content
    assert published_.json()["status"] == "published" and published_.json()["live"]["reviewed_by"] == "sam"
    hits = Api(cast.carol).get("/articles", {"q": "外地人怎么办居住证"}).json()
    assert hits["items"][0]["id"] == number and hits["items"][0]["score"] > 0
    assert hits["items"][0]["title"] == BODY["title"]


def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(cast: Cast) -> None:
    dan = Api(cast.dan)
    for body, field in [
        ({**BODY, "title": " "}, "title"),
        ({**BODY, "basis_url": "ftp://x"}, "basis_url"),
        ({**BODY, "matters": ["NOPE"]}, "matters"),
        ({**BODY, "valid_from": "2026-05-01", "valid_to": "2026-04-01"}, "valid_to"),
        ({**BODY, "owner": "S1C1"}, None),  # not his unit: 403
        ({**BODY, "surprise": 1}, None),
    ]:
        response = dan.post("/articles", body)
        assert response.status_code in (400, 403), (body, response.content)
        if field:
            assert response.json()["error"]["field"] == field, response.content
    assert not Article.objects.exists()


def test_reach_drafts_are_their_authors_and_reviewers_and_a_stale_version_is_refused(cast: Cast) -> None:
    internal = published(cast, HEATING)
    draft = Api(cast.dan).post("/articles", BODY).json()
    assert Api(cast.carol).get(f"/articles/{draft['id']}").status_code == 404  # another unit's draft
    assert Api(cast.cindy).get(f"/articles/{internal.pk}").status_code == 404  # not public
    assert Api(cast.carol).get(f"/articles/{internal.pk}").json()["pending"] is None
    stale = Api(cast.dan).post(f"/articles/{draft['id']}/draft", {**BODY, "version": draft["version"] - 1}, "put")
    assert stale.status_code == 409
    ok = Api(cast.dan).post(f"/articles/{draft['id']}/draft", {**BODY, "title": "居住证"}, "put")
    assert ok.status_code == 200 and ok.json()["pending"]["title"] == "居住证"


def test_a_units_reply_becomes_a_draft_in_one_step(cast: Cast, dispatched: Any) -> None:
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply="路灯已由城管维修班更换灯泡，今晚恢复照明。")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    made = Api(cast.carol).post(f"/from-case/{dispatched.number}")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["owner"] == "S1C1" and body["pending"]["from_case"] == dispatched.number
    assert body["pending"]["answer"].startswith("路灯已由城管维修班更换灯泡")
    assert Api(cast.bob).post(f"/from-case/{dispatched.number}").status_code == 404  # not his case
    assert Article.objects.filter(status=ArticleStatus.DRAFT).count() == 1


def test_citizens_search_only_public_articles(cast: Cast) -> None:
    published(cast, SOCIAL)
    published(cast, HEATING)
    found = Api(cast.cindy).get("/articles", {"q": "暖气不热 社保卡"}).json()["items"]
    assert [a["title"] for a in found] == [SOCIAL.title]
