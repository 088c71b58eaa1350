"""Reads of the knowledge base, within each person's reach.

Published articles are the platform's shared knowledge: every member of staff reads them, and citizens read
the public ones that are valid today. Drafts and revisions are read by their authors (staff of the owning
unit or a unit above it) and by the district's reviewers.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.errors import NotFound
from suban.knowledge.lifecycle import Viewer, is_author_of_unit, is_reviewer, staff_member
from suban.knowledge.models import Article, ArticleStatus, ArticleVersion, VersionState
from suban.knowledge.search import search


def public_articles() -> QuerySet[Article]:
    today = timezone.localdate()
    return Article.objects.filter(
        Q(live__valid_from__isnull=True) | Q(live__valid_from__lte=today),
        Q(live__valid_to__isnull=True) | Q(live__valid_to__gte=today),
        status=ArticleStatus.PUBLISHED,
        live__public=True,
    )


def articles_visible_to(user: Viewer) -> QuerySet[Article]:
    base = Article.objects.select_related("owner", "live", "pending")
    staff = staff_member(user)
    if staff is None:
        return base.filter(pk__in=public_articles().values("pk"))
    if is_reviewer(staff):
        return base
    shared = Q(status__in=[ArticleStatus.PUBLISHED, ArticleStatus.RETIRED])
    if staff.unit is not None and is_author_of_unit(staff, staff.unit.path):
        shared |= Q(owner__path__startswith=staff.unit.path)
    return base.filter(shared)


def article_for(user: Viewer, pk: int) -> Article:
    article = articles_visible_to(user).filter(pk=pk).first()
    if article is None:
        raise NotFound(_("There is no such article, or it is not yours to read."))
    return article


def may_see_drafts(user: Viewer, article: Article) -> bool:
    """Whether `user` reads the article's revision in progress (and its history), not only its live text."""
    return is_reviewer(user) or is_author_of_unit(user, article.owner.path)


def review_queue(user: Viewer) -> QuerySet[Article]:
    if not is_reviewer(user):
        return Article.objects.none()
    return articles_visible_to(user).filter(pending__state=VersionState.REVIEWING).order_by("updated_at")


def history(article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("written_by", "reviewed_by").order_by("-number")


def found(user: Viewer, text: str, *, limit: int = 10) -> list[tuple[Article, float]]:
    """The articles that best answer `text` that `user` may read, best first, with their scores."""
    hits = search(text, limit=limit, public_only=staff_member(user) is None)
    readable = {a.pk: a for a in articles_visible_to(user).filter(pk__in=[h.article_id for h in hits])}
    return [(readable[h.article_id], h.score) for h in hits if h.article_id in readable]


EXPIRY_NOTICE_DAYS = 30  # an article stops being valid within this: its authors are reminded


def expiring(user: Viewer) -> QuerySet[Article]:
    """Published articles that stop being valid within EXPIRY_NOTICE_DAYS, or have stopped (search no longer
    finds them): for their authors to revise or retire, and for the reviewers."""
    staff = staff_member(user)
    if staff is None:
        return Article.objects.none()
    limit = timezone.localdate() + timedelta(days=EXPIRY_NOTICE_DAYS)
    qs = articles_visible_to(staff).filter(status=ArticleStatus.PUBLISHED, live__valid_to__lte=limit)
    if not is_reviewer(staff):
        qs = qs.filter(owner__path__startswith=staff.unit.path if staff.unit else "-")
    return qs.order_by("live__valid_to")
