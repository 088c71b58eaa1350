"""Cases that may report the same thing: open, near in time and place, with words in common.

A plain measure for now: the Jaccard index of the character bigrams of the title (and of title and text).
Chinese has no spaces, and two reports of one broken street light share pairs like 路灯 and 不亮 however
they are worded. A later model may replace `similarity`; the candidates stay the same.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from suban.cases.models import TERMINAL, Case

WINDOW = timedelta(days=7)
RADIUS_METRES = 300.0
MIN_SCORE = 0.12
MAX_CANDIDATES = 300  # the most recent ones; a busy grid has no more than this in a week
EARTH_RADIUS_METRES = 6_371_000.0
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Duplicate:
    case: Case
    score: float  # 0..1
    distance_m: float | None  # None when one of the two has no point
    same_grid: bool


def bigrams(text: str) -> set[str]:
    compact = _NOT_WORD.sub("", text.lower())
    if len(compact) == 1:
        return {compact}
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(one: Case, other: Case) -> float:
    """The better of the titles' likeness and the whole texts' likeness."""
    titles = jaccard(bigrams(one.title), bigrams(other.title))
    whole = jaccard(bigrams(f"{one.title} {one.text}"), bigrams(f"{other.title} {other.text}"))
    return max(titles, whole)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(h)))


def _near(case: Case) -> Q:
    """Same grid, or a point in a box around the case's point (refined to the radius afterwards)."""
    near = Q(grid_id=case.grid_id) if case.grid_id is not None else Q(pk__in=[])
    if case.longitude is not None and case.latitude is not None:
        dlat = RADIUS_METRES / 111_320.0
        dlon = dlat / max(math.cos(math.radians(case.latitude)), 0.01)
        near |= Q(
            longitude__range=(case.longitude - dlon, case.longitude + dlon),
            latitude__range=(case.latitude - dlat, case.latitude + dlat),
        )
    return near


def possible_duplicates(case: Case, limit: int = 5, among: QuerySet[Case] | None = None) -> list[Duplicate]:
    """Open cases created within a week of `case`, in its grid or within ~300 m, most alike first.

    `among`: the cases to look in (a view passes the cases the person may see); all cases by default.
    """
    if case.grid_id is None and (case.longitude is None or case.latitude is None):
        return []
    pool = Case.objects.all() if among is None else among
    when = case.created_at
    candidates = (
        pool.exclude(pk=case.pk)
        .exclude(status__in=list(TERMINAL))
        .filter(created_at__range=(when - WINDOW, when + WINDOW))
        .filter(_near(case))
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    found: list[Duplicate] = []
    for other in candidates:
        metres = None
        if None not in (case.longitude, case.latitude, other.longitude, other.latitude):
            metres = distance_m(case.longitude, case.latitude, other.longitude, other.latitude)  # type: ignore[arg-type]
        same_grid = case.grid_id is not None and other.grid_id == case.grid_id
        if not same_grid and (metres is None or metres > RADIUS_METRES):
            continue
        score = similarity(case, other)
        if score >= MIN_SCORE:
            found.append(Duplicate(case=other, score=score, distance_m=metres, same_grid=same_grid))
    found.sort(key=lambda d: (-d.score, d.distance_m if d.distance_m is not None else math.inf))
    return found[:limit]
