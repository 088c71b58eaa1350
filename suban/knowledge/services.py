"""Writes to the knowledge base. Each checks who acts against the table (suban.knowledge.lifecycle), refuses
a page that saw an older article (409), and records its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.audit.services import audit_record
from suban.cases.models import Status
from suban.cases.services import case_answer
from suban.catalogue.models import Matter
from suban.errors import Conflict, Forbidden, Invalid
from suban.knowledge.lifecycle import (
    BY_STEP,
    LABELS,
    Step,
    Viewer,
    allowed,
    is_author_of_unit,
    is_reviewer,
    pending_state,
    staff_member,
)
from suban.knowledge.models import (
    TEXT_LENGTH,
    TITLE_LENGTH,
    Article,
    ArticleStatus,
    ArticleUse,
    ArticleVersion,
    UseKind,
    VersionState,
)
from suban.org.models import Unit

if TYPE_CHECKING:
    from suban.accounts.models import User
    from suban.cases.models import Case

# A case whose reply the district released: waiting for the return visit, rated unsatisfied, or closed.
RELEASED = frozenset({Status.VISITING, Status.UNSATISFIED, Status.CLOSED})
TAGS_LENGTH = 200
NOTE_LENGTH = 5000


@dataclass(frozen=True)
class Content:
    """What an author writes. `questions`: further wordings, one per line."""

    title: str
    answer: str
    questions: str = ""
    basis: str = ""
    basis_url: str = ""
    matters: Sequence[Matter] = field(default_factory=tuple)
    tags: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    public: bool = True

    def cleaned(self) -> Content:
        title, answer = " ".join(self.title.split()), self.answer.strip()
        if not title:
            raise Invalid(_("Write the question as citizens ask it."), field="title")
        if len(title) > TITLE_LENGTH:
            raise Invalid(
                _("“%(field)s” is at most %(max)d characters, it has %(n)d.")
                % {"field": _("Question"), "max": TITLE_LENGTH, "n": len(title)},
                field="title",
            )
        if not answer:
            raise Invalid(_("Write the answer."), field="answer")
        for name, label, value in (
            ("answer", _("Answer"), answer),
            ("questions", _("Other wordings of the question"), self.questions),
            ("basis", _("Policy basis"), self.basis),
        ):
            if len(value) > TEXT_LENGTH:
                raise Invalid(
                    _("“%(field)s” is at most %(max)d characters, it has %(n)d.")
                    % {"field": label, "max": TEXT_LENGTH, "n": len(value)},
                    field=name,
                )
        tags = ",".join(t for t in self.tags.replace("，", ",").replace(" ", ",").split(",") if t)
        if len(tags) > TAGS_LENGTH:
            raise Invalid(
                _("“%(field)s” is at most %(max)d characters, it has %(n)d.")
                % {"field": _("Tags"), "max": TAGS_LENGTH, "n": len(tags)},
                field="tags",
            )
        url = self.basis_url.strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                message = _("Give the policy's link as a web address (http:// or https://).")
                raise Invalid(message, field="basis_url") from None
            if len(url) > 500:
                raise Invalid(_("The link is too long."), field="basis_url")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise Invalid(_("The article cannot stop being valid before it starts."), field="valid_to")
        questions = "\n".join(q.strip() for q in self.questions.splitlines() if q.strip())
        return Content(
            title=title,
            answer=answer,
            questions=questions,
            basis=self.basis.strip(),
            basis_url=url,
            matters=tuple(dict.fromkeys(self.matters)),
            tags=tags,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            public=self.public,
        )

    @classmethod
    def of(cls, version: ArticleVersion) -> Content:
        return cls(
            title=version.title,
            answer=version.answer,
            questions=version.questions,
            basis=version.basis,
            basis_url=version.basis_url,
            matters=tuple(version.matters.all()),
            tags=version.tags,
            valid_from=version.valid_from,
            valid_to=version.valid_to,
            public=version.public,
        )


def _write(version: ArticleVersion, content: Content, by: User | None) -> ArticleVersion:
    version.title, version.answer, version.questions = content.title, content.answer, content.questions
    version.basis, version.basis_url, version.tags = content.basis, content.basis_url, content.tags
    version.valid_from, version.valid_to, version.public = content.valid_from, content.valid_to, content.public
    version.written_by = by
    version.save()
    version.matters.set(content.matters)
    return version


def _locked(article: Article, step: Step, by: User | None, expected_version: int | None) -> Article:
    """The article as it is now, locked for this transaction; refused unless `by` may take `step` now."""
    fresh = (
        Article.objects.select_for_update(of=("self",)).select_related("owner", "live", "pending").get(pk=article.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(_("The article has changed since you opened it. Reload it to see what changed."))
    if not allowed(fresh, step, by):
        if _could(fresh, step):
            raise Forbidden(_("You may not take the step “%(step)s” on this article.") % {"step": LABELS[step]})
        raise Conflict(_("“%(step)s” is not possible for this article now.") % {"step": LABELS[step]})
    return fresh


def _could(article: Article, step: Step) -> bool:
    """Whether the article's state allows the step for someone (so that a refusal says who, not when)."""
    rule = BY_STEP[step]
    return article.status in rule.statuses and pending_state(article) in rule.pending


def _bump(article: Article, **changes: Any) -> Article:
    for name, value in changes.items():
        setattr(article, name, value)
    article.version += 1
    article.save()
    return article


def _audit(action: str, article: Article, by: User | None, **detail: Any) -> None:
    audit_record(action=action, actor=by, target=article, detail=detail or None)


def article_create(*, by: User, content: Content, owner: Unit | None = None, from_case: Case | None = None) -> Article:
    """A new article, as a draft of its owning unit (the author's, unless they name one within their reach)."""
    owner = owner or by.unit
    if owner is None or not is_author_of_unit(by, owner.path):
        raise Forbidden(_("You may write articles only for your own unit and the units under it."))
    content = content.cleaned()
    with transaction.atomic():
        article = Article.objects.create(owner=owner, created_by=by)
        version = _write(ArticleVersion(article=article, number=1, from_case=from_case), content, by)
        article.pending = version
        article.save(update_fields=["pending"])
        _audit("knowledge.create", article, by, title=content.title, owner=owner.code)
    return article


def articles_import(*, by: User, rows: Sequence[tuple[Content, Unit]], publish: bool = False) -> list[Article]:
    """Articles from a spreadsheet (the 12345 hotline keeps its knowledge in one), all or none: each row's
    content and owning unit checked by the caller. As drafts for their units to submit; or, by the district's
    reviewers only, published at once (knowledge the hotline has used and approved already), the importer
    recorded as its reviewer."""
    if publish and not is_reviewer(by):
        raise Forbidden(_("Only the district's reviewers import articles as published."))
    for _content, owner in rows:
        if not is_author_of_unit(by, owner.path) and not is_reviewer(by):
            raise Forbidden(_("You may write articles only for your own unit and the units under it."))
    made: list[Article] = []
    now = timezone.now()
    with transaction.atomic():
        for content, owner in rows:
            article = Article.objects.create(owner=owner, created_by=by)
            version = _write(ArticleVersion(article=article, number=1), content.cleaned(), by)
            if publish:
                version.state, version.reviewed_by, version.reviewed_at = VersionState.PUBLISHED, by, now
                version.save(update_fields=["state", "reviewed_by", "reviewed_at"])
                article.live, article.status = version, ArticleStatus.PUBLISHED
            else:
                article.pending = version
            article.save(update_fields=["live", "pending", "status"])
            made.append(article)
        audit_record(
            action="knowledge.import",
            actor=by,
            detail={"articles": len(made), "published": publish, "ids": [a.pk for a in made][:1000]},
        )
    return made


def article_edit(*, article: Article, by: User, content: Content, expected_version: int | None = None) -> Article:
    content = content.cleaned()
    with transaction.atomic():
        article = _locked(article, Step.EDIT, by, expected_version)
        assert article.pending is not None
        _write(article.pending, content, by)
        _bump(article)
        _audit("knowledge.edit", article, by, version=article.pending.number)
    return article


def article_submit(*, article: Article, by: User, expected_version: int | None = None) -> Article:
    with transaction.atomic():
        article = _locked(article, Step.SUBMIT, by, expected_version)
        assert article.pending is not None
        article.pending.state = VersionState.REVIEWING
        article.pending.save(update_fields=["state"])
        _bump(article)
        _audit("knowledge.submit", article, by, version=article.pending.number)
    return article


def article_review(
    *, article: Article, by: User, approve: bool, note: str = "", expected_version: int | None = None
) -> Article:
    """Publish the revision under review (it becomes the live text), or send it back to its author with what
    it lacks."""
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise Invalid(
            _("“%(field)s” is at most %(max)d characters, it has %(n)d.")
            % {"field": _("Note"), "max": NOTE_LENGTH, "n": len(note)},
            field="note",
        )
    if not approve and not note:
        raise Invalid(_("Say what the article lacks."), field="note")
    with transaction.atomic():
        article = _locked(article, Step.PUBLISH if approve else Step.SEND_BACK, by, expected_version)
        version = article.pending
        assert version is not None
        if approve and version.written_by_id == by.pk:
            raise Forbidden(_("Someone else reviews what you wrote."))
        version.reviewed_by, version.reviewed_at, version.review_note = by, timezone.now(), note
        if approve:
            version.state = VersionState.PUBLISHED
            version.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
            if article.live is not None:
                article.live.state = VersionState.SUPERSEDED
                article.live.save(update_fields=["state"])
            _bump(article, live=version, pending=None, status=ArticleStatus.PUBLISHED)
        else:
            version.state = VersionState.DRAFT
            version.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
            _bump(article)
        _audit(
            "knowledge.publish" if approve else "knowledge.send_back", article, by, version=version.number, note=note
        )
    return article


def article_revise(*, article: Article, by: User, expected_version: int | None = None) -> Article:
    """Start the next version of a published article, from its live text; the live text stays until the
    district publishes the new one."""
    with transaction.atomic():
        article = _locked(article, Step.REVISE, by, expected_version)
        assert article.live is not None
        number = (article.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = _write(ArticleVersion(article=article, number=number), Content.of(article.live), by)
        _bump(article, pending=version)
        _audit("knowledge.revise", article, by, version=number)
    return article


def article_discard(*, article: Article, by: User, expected_version: int | None = None) -> Article:
    """Drop a revision in progress of a published article (its live text is unchanged)."""
    with transaction.atomic():
        article = _locked(article, Step.DISCARD, by, expected_version)
        version = article.pending
        assert version is not None
        _bump(article, pending=None)
        number = version.number
        version.delete()
        _audit("knowledge.discard", article, by, version=number)
    return article


def article_retire(*, article: Article, by: User, note: str = "", expected_version: int | None = None) -> Article:
    """Take an article out of search and the citizens' pages (no longer true, replaced by another …)."""
    with transaction.atomic():
        article = _locked(article, Step.RETIRE, by, expected_version)
        _bump(article, status=ArticleStatus.RETIRED)
        _audit("knowledge.retire", article, by, note=note.strip()[:NOTE_LENGTH])
    return article


def article_restore(*, article: Article, by: User, expected_version: int | None = None) -> Article:
    with transaction.atomic():
        article = _locked(article, Step.RESTORE, by, expected_version)
        _bump(article, status=ArticleStatus.PUBLISHED)
        _audit("knowledge.restore", article, by)
    return article


def article_from_reply(*, case: Case, by: User) -> Article:
    """A draft made from the reply a unit gave to a case, in one step: the case's title as the question, its
    text as another wording, the released reply as the answer; owned by the unit that replied."""
    if not reply_released(case):
        raise Invalid(_("The case has no released reply yet."))
    owner = case.unit if case.unit is not None and is_author_of_unit(by, case.unit.path) else by.unit
    wording = " ".join(case.text.split())[:TITLE_LENGTH]
    content = Content(
        title=case.title,
        answer=case.reply,
        questions=wording if wording != case.title else "",
        matters=(case.matter,) if case.matter is not None else (),
    )
    return article_create(by=by, content=content, owner=owner, from_case=case)


def answer_case(
    *, case: Case, by: User, reply: str, article: Article | None = None, expected_version: int | None = None
) -> Case:
    """直接答复: the dispatch centre answers a request on the spot, in the words of a published article (or its
    own); the step names the article, and the article counts one more use."""
    if article is not None and article.status != ArticleStatus.PUBLISHED:
        raise Invalid(_("Only a published article answers a citizen."), field="article")
    with transaction.atomic():
        case_answer(
            case=case,
            by=by,
            reply=reply,
            expected_version=expected_version,
            data={"article": article.pk} if article is not None else None,
        )
        if article is not None:
            record_use(article=article, kind=UseKind.ANSWERED, by=by, case=case)
    return case


def reply_released(case: Case) -> bool:
    """Whether the case's reply went out to the citizen (the district released it)."""
    return bool(case.reply.strip()) and case.status in RELEASED


def record_use(*, article: Article, kind: UseKind, by: User | None = None, case: Case | None = None) -> ArticleUse:
    """Count an article put to use (no audit entry: a figure, not a change of anyone's rights or data)."""
    with transaction.atomic():
        actor = by if by is not None and by.pk else None
        use = ArticleUse.objects.create(article=article, kind=kind, by=actor, case=case)
        if kind != UseKind.NOT_HELPFUL:
            Article.objects.filter(pk=article.pk).update(uses=F("uses") + 1)
    return use


def may_write_article(user: Viewer) -> bool:
    """Whether `user` writes articles at all (for their own unit)."""
    staff = staff_member(user)
    return staff is not None and staff.unit is not None and is_author_of_unit(staff, staff.unit.path)


__all__ = [
    "Content",
    "answer_case",
    "article_create",
    "article_discard",
    "article_edit",
    "article_from_reply",
    "article_restore",
    "article_retire",
    "article_review",
    "article_revise",
    "article_submit",
    "articles_import",
    "is_reviewer",
    "may_write_article",
    "record_use",
    "reply_released",
]
