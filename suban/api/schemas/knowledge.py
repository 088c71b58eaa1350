"""The knowledge base's bodies and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from suban.api.schemas.common import Input
from suban.knowledge.models import TEXT_LENGTH, TITLE_LENGTH, Article, ArticleStatus, VersionState
from suban.knowledge.selectors import may_see_drafts


class ArticleContentIn(Input):
    title: str = Field(max_length=TITLE_LENGTH, description="the question, as citizens ask it")
    answer: str = Field(max_length=TEXT_LENGTH)
    questions: list[str] = Field(default_factory=list, max_length=50, description="other wordings of the question")
    basis: str = Field("", max_length=TEXT_LENGTH, description="the policy basis")
    basis_url: str = Field("", max_length=500, description="a link to the policy (http or https)")
    matters: list[str] = Field(default_factory=list, max_length=20, description="matter codes of the catalogue")
    tags: list[str] = Field(default_factory=list, max_length=20)
    valid_from: date | None = None
    valid_to: date | None = None
    public: bool = Field(True, description="shown to citizens")


class ArticleIn(ArticleContentIn):
    owner: str | None = Field(None, description="the owning unit's code; null: your own unit")


class ArticleDraftIn(ArticleContentIn):
    version: int | None = Field(None, ge=0, description="the article's version as last seen; 409 when it has changed")


class ArticleStepIn(Input):
    version: int | None = Field(None, ge=0, description="the article's version as last seen; 409 when it has changed")


class ArticleReviewIn(ArticleStepIn):
    approve: bool
    note: str = Field("", max_length=5000, description="required when sending back: what the article lacks")


class ArticleRetireIn(ArticleStepIn):
    note: str = Field("", max_length=5000)


class ArticleVersionOut(Schema):
    number: int
    state: VersionState
    title: str
    questions: list[str]
    answer: str
    basis: str
    basis_url: str
    matters: list[str]
    tags: list[str]
    valid_from: date | None
    valid_to: date | None
    public: bool
    written_by: str | None
    written_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str
    from_case: str | None


class ArticleOut(Schema):
    id: int
    status: ArticleStatus
    owner: str = Field(description="the owning unit's code")
    owner_name: str
    version: int
    uses: int
    live: ArticleVersionOut | None = Field(description="the published text")
    pending: ArticleVersionOut | None = Field(description="the revision in progress (its authors and reviewers only)")
    steps: list[str] = Field(description="what you may do to it now")
    updated_at: datetime


class ArticleRow(Schema):
    id: int
    status: ArticleStatus
    title: str = Field(description="the live question; its authors and reviewers see the revision's")
    owner: str
    owner_name: str
    pending: VersionState | None = Field(description="the revision in progress (its authors and reviewers)")
    uses: int
    updated_at: datetime
    score: float | None = Field(None, description="how well it answers the query (with `q`)")

    @staticmethod
    def resolve_title(obj: Article, context: dict[str, Any]) -> str:
        drafts = may_see_drafts(context["request"].auth, obj)
        shown = obj.pending if drafts and obj.pending is not None else obj.live
        return shown.title if shown is not None else ""

    @staticmethod
    def resolve_owner(obj: Article) -> str:
        return obj.owner.code

    @staticmethod
    def resolve_owner_name(obj: Article) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_pending(obj: Article, context: dict[str, Any]) -> str | None:
        if obj.pending is None or not may_see_drafts(context["request"].auth, obj):
            return None
        return obj.pending.state

    @staticmethod
    def resolve_score(obj: Article) -> float | None:
        return getattr(obj, "score", None)


class ArticleFilters(Schema):
    q: str | None = Field(None, max_length=500, description="a question: the articles that best answer it, best first")
    status: ArticleStatus | None = None
    awaiting_review: bool = Field(False, description="only revisions waiting for the district's review")


class ImportOut(Schema):
    created: int
    ids: list[int]
