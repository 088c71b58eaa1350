"""Reminders of the knowledge base, once a day: the authors of a unit whose published articles stop being valid
within EXPIRY_NOTICE_DAYS (or have stopped) are told once per expiry date, and the district's reviewers are
told what waits for their review. Messages go by the notify outbox (email, or SMS to staff without email)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from suban.accounts.models import AccountKind, User
from suban.cases.notices import unit_handlers
from suban.knowledge.lifecycle import REVIEWER_ROLES
from suban.knowledge.models import Article, ArticleStatus, VersionState
from suban.knowledge.selectors import EXPIRY_NOTICE_DAYS
from suban.notify.models import TemplateCode
from suban.notify.services import Recipient, outbox_add
from suban.org.models import Unit, UnitKind


@dataclass(frozen=True)
class Sent:
    expiring_units: int
    expiring_articles: int
    reviewers: int
    waiting: int


def _tell(people: list[User], template: str, **context: object) -> int:
    told = 0
    for user in {u.pk: u for u in people}.values():
        row = outbox_add(
            template=template, to=Recipient(phone=user.phone, email=user.email, user=user), context=context
        )
        told += row is not None
    return told


def send_reminders(today: date | None = None) -> Sent:
    today = today or timezone.localdate()
    limit = today + timedelta(days=EXPIRY_NOTICE_DAYS)
    due = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, live__valid_to__lte=limit)
        .filter(Q(reminded_valid_to__isnull=True) | ~Q(reminded_valid_to=F("live__valid_to")))
        .select_related("live", "owner")
    )
    by_unit: dict[Unit, list[Article]] = defaultdict(list)
    for article in due:
        by_unit[article.owner].append(article)
    for unit, articles in by_unit.items():
        with transaction.atomic():
            earliest = min(a.live.valid_to for a in articles if a.live is not None and a.live.valid_to)
            _tell(
                unit_handlers(unit),
                TemplateCode.STAFF_ARTICLES_EXPIRING,
                unit=unit.name,
                reason=str(len(articles)),
                due=earliest,
            )
            for article in articles:
                Article.objects.filter(pk=article.pk).update(
                    reminded_valid_to=article.live.valid_to if article.live else None
                )
    waiting = Article.objects.filter(pending__state=VersionState.REVIEWING).count()
    reviewers: list[User] = []
    if waiting:
        reviewers = list(
            User.objects.filter(
                kind=AccountKind.STAFF,
                is_active=True,
                admin_role="",
                unit__kind=UnitKind.DISTRICT,
                staff_roles__role__in=REVIEWER_ROLES,
            ).distinct()
        )
        with transaction.atomic():
            _tell(reviewers, TemplateCode.STAFF_ARTICLES_TO_REVIEW, reason=str(waiting))
    return Sent(
        expiring_units=len(by_unit),
        expiring_articles=sum(len(a) for a in by_unit.values()),
        reviewers=len(reviewers),
        waiting=waiting,
    )
