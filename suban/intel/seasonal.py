"""Seasonal alerts (未诉先办): which matters rise in the coming weeks, per street, judged by earlier years.

For each street and matter (the case's matter up to its second level: 城乡建设/城市建设和市政管理 …) and
for each of the last `years` years that the data covers:

- in the window: the cases of the same `weeks` weeks one, two, … years ago (364 days a year back, so the
  weeks start on the same weekday);
- usual: what that many weeks held on average in that year around the window (26 weeks before and after
  it, counting only weeks the data covers), excluding the window itself.

A matter is flagged when, summed over the years, the window held at least `min_cases` cases and at least
`min_ratio` times the usual, and every year with data rose (ratio ≥ 1 each year), so one odd year does
not raise an alarm. Every figure is kept, so the page can say "the same 4 weeks of 2025: 12 cases; usual
for 4 weeks that year: 3.1".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from suban.accounts.models import User
from suban.accounts.scope import reach_of
from suban.cases.models import Case, Status
from suban.org.models import Unit, UnitKind

WEEKS = 4
YEARS = 3
MIN_CASES = 4
MIN_RATIO = 1.5
HALF_YEAR = timedelta(weeks=26)
CACHE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class YearFigure:
    year: int  # the year the window started in
    window_start: date
    in_window: int
    usual: float  # the cases `weeks` weeks held on average in that year around the window

    @property
    def ratio(self) -> float | None:
        return self.in_window / self.usual if self.usual > 0 else None


@dataclass
class SeasonalAlert:
    street: Unit
    matter: str
    start: date  # the coming window
    end: date
    weeks: int
    years: list[YearFigure] = field(default_factory=list)

    @property
    def in_window(self) -> int:
        return sum(y.in_window for y in self.years)

    @property
    def usual(self) -> float:
        return sum(y.usual for y in self.years)

    @property
    def ratio(self) -> float:
        return self.in_window / self.usual if self.usual > 0 else float("inf")

    @property
    def expected(self) -> float:
        """What the coming weeks may bring, by the years before: the mean of the windows."""
        return self.in_window / len(self.years) if self.years else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "street": {"code": self.street.code, "name": self.street.name},
            "matter": self.matter,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "weeks": self.weeks,
            "in_window": self.in_window,
            "usual": round(self.usual, 2),
            "ratio": round(self.ratio, 2) if self.usual > 0 else None,
            "expected": round(self.expected, 1),
            "years": [
                {
                    "year": y.year,
                    "window_start": y.window_start.isoformat(),
                    "in_window": y.in_window,
                    "usual": round(y.usual, 2),
                    "ratio": round(y.ratio, 2) if y.ratio is not None else None,
                }
                for y in self.years
            ],
        }


def _matter_key(full_name: str) -> str:
    return "/".join(full_name.split("/")[:2])


def _street_code(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) >= 2 else ""


def _week(moment: datetime, origin: date) -> int:
    return (timezone.localdate(moment) - origin).days // 7


def seasonal_alerts(
    district: Unit,
    *,
    today: date | None = None,
    weeks: int = WEEKS,
    years: int = YEARS,
    min_cases: int = MIN_CASES,
    min_ratio: float = MIN_RATIO,
) -> list[SeasonalAlert]:
    """The district's streets' rising matters for the `weeks` weeks from `today`, strongest rise first."""
    today = today or timezone.localdate()
    origin = today - timedelta(days=364 * years) - HALF_YEAR
    rows = (
        Case.objects.filter(
            area_path__startswith=district.path,
            matter__isnull=False,
            created_at__gte=timezone.make_aware(datetime.combine(origin, datetime.min.time())),
            created_at__lt=timezone.make_aware(datetime.combine(today, datetime.min.time())),
        )
        .exclude(status=Status.MERGED)
        .values_list("area_path", "matter__full_name", "created_at")
    )
    # Weekly counts per (street, matter), week 0 starting at `origin`.
    counts: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    first_week: int | None = None
    for path, matter, created in rows.iterator(chunk_size=5000):
        code = _street_code(path)
        if not code:
            continue
        week = _week(created, origin)
        counts[(code, _matter_key(matter))][week] += 1
        first_week = week if first_week is None else min(first_week, week)
    if first_week is None:
        return []
    last_week = (today - origin).days // 7  # weeks from here on are not in the data yet
    streets = {
        u.code: u
        for u in Unit.objects.filter(
            path__startswith=district.path, kind=UnitKind.STREET, code__in={s for s, _ in counts}
        )
    }
    found: list[SeasonalAlert] = []
    for (street_code, matter), weekly in counts.items():
        street = streets.get(street_code)
        if street is None:
            continue
        alert = SeasonalAlert(street, matter, today, today + timedelta(weeks=weeks), weeks)
        for back in range(1, years + 1):
            start = today - timedelta(days=364 * back)
            w0 = (start - origin).days // 7
            window = range(w0, w0 + weeks)
            around = [w for w in range(w0 - 26, w0 + weeks + 26) if first_week <= w < last_week and w not in window]
            if w0 < first_week or len(around) < 2 * weeks:
                continue  # the data does not reach back this far
            in_window = sum(weekly.get(w, 0) for w in window)
            usual = sum(weekly.get(w, 0) for w in around) / len(around) * weeks
            alert.years.append(YearFigure(start.year, start, in_window, usual))
        if not alert.years or alert.in_window < min_cases:
            continue
        rising_each_year = all(y.usual == 0 or y.in_window >= y.usual for y in alert.years)
        if alert.ratio >= min_ratio and rising_each_year:
            found.append(alert)
    found.sort(key=lambda a: (-min(a.ratio, 1e9), -a.in_window, a.street.code, a.matter))
    return found


def cached_alerts(district: Unit, *, today: date | None = None) -> list[SeasonalAlert]:
    """The district's alerts, computed at most once every few hours (they change with the day)."""
    today = today or timezone.localdate()
    key = f"intel:seasonal:{district.pk}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = seasonal_alerts(district, today=today)
        cache.set(key, found, CACHE_SECONDS)
    return found


def alerts_visible_to(user: User, *, today: date | None = None) -> list[SeasonalAlert]:
    """The alerts of the streets in the person's reach (a street sees its own; the district all)."""
    reach = reach_of(user)
    if reach.unit_path is None:
        return []
    parts = [p for p in reach.unit_path.split("/") if p]
    district = Unit.objects.filter(path=f"/{parts[0]}/", kind=UnitKind.DISTRICT).first() if parts else None
    if district is None:
        return []
    return [
        a
        for a in cached_alerts(district, today=today)
        if a.street.path.startswith(reach.unit_path) or reach.unit_path.startswith(a.street.path)
    ]
