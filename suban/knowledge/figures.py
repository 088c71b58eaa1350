"""What the knowledge base does for the platform, over a period: the share of consultations the service
centre answered from it, the citizens it answered on the H5 before they wrote a request (the deflection),
the articles most used, and the gaps (consultations no article answers yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from suban.accounts.models import User
from suban.cases.models import Case, Channel, Nature
from suban.cases.selectors import cases_visible_to
from suban.knowledge.models import Article, ArticleUse, UseKind
from suban.knowledge.search import search

GAP_SCORE = 0.2  # a consultation whose best article scores under this has no answer in the base
GAP_SAMPLE = 300  # the latest consultations looked at for gaps
TOP = 10


@dataclass
class Figures:
    consultations: int = 0
    answered_from_base: int = 0
    answered_directly: int = 0  # by the service centre, with or without an article
    self_served: int = 0  # "this answers me" on the H5
    not_helpful: int = 0
    h5_consultations: int = 0
    top: list[tuple[Article, int]] = field(default_factory=list)
    gaps: list[Case] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return self.answered_from_base / self.consultations if self.consultations else None

    @property
    def deflection(self) -> float | None:
        """Of the citizens who came with a question on the H5, the share the base answered before a request."""
        asked = self.self_served + self.h5_consultations
        return self.self_served / asked if asked else None


def figures(
    user: User, since: datetime, until: datetime, *, unit_path: str | None = None, gaps: bool = True
) -> Figures:
    """`unit_path` narrows to the cases of a place (the dashboard's unit); `gaps=False` leaves out the gap
    search (a search per consultation: the console's figures page asks for it, the refreshing screen not)."""
    cases = cases_visible_to(user).filter(created_at__gte=since, created_at__lt=until)
    if unit_path is not None:
        cases = cases.filter(Q(area_path__startswith=unit_path) | Q(unit_path__startswith=unit_path))
    consultations = cases.filter(nature=Nature.CONSULTATION)
    uses = ArticleUse.objects.filter(at__gte=since, at__lt=until)
    from_base = uses.filter(kind=UseKind.ANSWERED, case__in=consultations).values("case").distinct()
    result = Figures(
        consultations=consultations.count(),
        answered_from_base=from_base.count(),
        answered_directly=consultations.filter(events__action="answer").distinct().count(),
        self_served=uses.filter(kind=UseKind.SELF_SERVED).count(),
        not_helpful=uses.filter(kind=UseKind.NOT_HELPFUL).count(),
        h5_consultations=consultations.filter(channel=Channel.H5).count(),
    )
    counted = (
        uses.filter(kind__in=[UseKind.ANSWERED, UseKind.SELF_SERVED])
        .values("article")
        .annotate(n=Count("pk"))
        .order_by("-n", "article")[:TOP]
    )
    articles = Article.objects.select_related("live").in_bulk([row["article"] for row in counted])
    result.top = [(articles[row["article"]], row["n"]) for row in counted if row["article"] in articles]
    if not gaps:
        return result
    unanswered = consultations.exclude(Q(pk__in=from_base) | Q(events__action="answer")).order_by("-created_at")
    for case in unanswered[:GAP_SAMPLE]:
        hits = search(f"{case.title} {case.text}", limit=1)
        if not hits or hits[0].score < GAP_SCORE:
            result.gaps.append(case)
    return result
