"""The daily hotspot list: find_hotspots over each district's cases of the last days, stored for the pages.

A case becomes a report: its title and text, its time, its support (support_count − 1: the reporters merged
into it, me-too included), its area (its community, else its grid) and its reporter (the citizen, else the
staff member who entered it, else the case itself). Merged cases are left out: the case they were merged
into carries them. Each run replaces the district's list in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.scope import reach_of
from suban.cases.models import Case, Status
from suban.cases.selectors import cases_visible_to
from suban.intel.hotspots import Report, find_hotspots
from suban.intel.models import Hotspot
from suban.org.models import Unit, UnitKind

TOP = 20  # hotspots kept per district
MAX_CASES = 100_000  # the most recent ones, when a district has more in the period
# Who reads the hotspots and the seasonal alerts: leaders, dispatchers, supervisors and street handlers.
READERS = frozenset({Role.LEADER, Role.DISPATCHER, Role.SUPERVISOR, Role.STREET_HANDLER})


def may_read(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.is_citizen and READERS & set(user.roles))


def _area(path: str, depth: int = 4) -> str:
    """The case's community path (its first `depth` levels: district, street, community), else the grid's."""
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[: depth - 1]) + "/" if len(parts) >= depth - 1 else path


def _reporter(case: Case) -> str:
    if case.citizen_id is not None:
        return f"citizen:{case.citizen_id}"
    if case.reporter_id is not None:
        return f"staff:{case.reporter_id}"
    return f"case:{case.pk}"


def _common_path(paths: list[str]) -> str:
    split = [[p for p in path.split("/") if p] for path in paths if path]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/" + "/".join(common) + "/" if common else ""


@dataclass(frozen=True)
class Run:
    district: Unit
    cases: int
    hotspots: int


def compute_hotspots(district: Unit, *, days: int | None = None, now: datetime | None = None) -> Run:
    """Find and store the hotspots of the district's cases of the last `days` days (INTEL_HOTSPOT_DAYS)."""
    days = days or settings.INTEL_HOTSPOT_DAYS
    now = now or timezone.now()
    start = now - timedelta(days=days)
    cases = list(
        Case.objects.filter(area_path__startswith=district.path, created_at__gte=start, created_at__lte=now)
        .exclude(status=Status.MERGED)
        .filter(complained_path="")  # a complaint about a unit's staff is no topic for the units to see
        .only("pk", "title", "text", "created_at", "support_count", "area_path", "citizen_id", "reporter_id")
        .order_by("-created_at")[:MAX_CASES]
    )
    by_id = {str(c.pk): c for c in cases}
    reports = [
        Report(
            id=str(c.pk),
            title=c.title,
            text=f"{c.title} {c.text}",
            time=c.created_at,
            support=float(max(c.support_count - 1, 0)),
            area=_area(c.area_path),
            reporter=_reporter(c),
        )
        for c in cases
    ]
    found = find_hotspots(reports, top=TOP, now=now) if reports else []
    with transaction.atomic():
        Hotspot.objects.filter(district=district).delete()
        for rank, spot in enumerate(found, start=1):
            members = [by_id[i] for i in spot.ids]
            area_path = _common_path([m.area_path for m in members])
            area = _place_unit(area_path)
            row = Hotspot.objects.create(
                district=district,
                area=area,
                area_path=area.path if area is not None else district.path,
                place=_place_label(area, district),
                title=spot.title[:200],
                keywords=spot.keywords,
                first_at=spot.start,
                last_at=spot.end,
                period_start=start,
                period_end=now,
                score=spot.score,
                reporters=spot.reporters,
                support=spot.support,
                recency=spot.recency,
                spread=spot.spread,
                size=len(members),
                rank=rank,
                computed_at=now,
            )
            row.cases.set(members)
    return Run(district=district, cases=len(cases), hotspots=len(found))


def _place_unit(path: str) -> Unit | None:
    """The deepest street, community or grid holding all the members (None: they span the district)."""
    parts = [p for p in path.split("/") if p]
    while parts:
        unit = Unit.objects.filter(path="/" + "/".join(parts) + "/").first()
        if unit is not None and unit.kind != UnitKind.DISTRICT:
            return unit
        parts.pop()
    return None


def _place_label(area: Unit | None, district: Unit) -> str:
    if area is None:
        return district.name
    names = []
    unit: Unit | None = area
    while unit is not None and unit.kind != UnitKind.DISTRICT:
        names.append(unit.name)
        unit = unit.parent
    return " · ".join(reversed(names))


def compute_all(*, days: int | None = None, now: datetime | None = None) -> list[Run]:
    return [
        compute_hotspots(d, days=days, now=now)
        for d in Unit.objects.filter(kind=UnitKind.DISTRICT, is_active=True).order_by("path")
    ]


def hotspots_visible_to(user: User) -> QuerySet[Hotspot]:
    """The hotspots whose place, or one of whose requests, lies in the person's reach."""
    reach = reach_of(user)
    if reach.unit_path is None or not may_read(user):
        return Hotspot.objects.none()
    member_inside = Hotspot.cases.through.objects.filter(
        hotspot_id=OuterRef("pk"), case__area_path__startswith=reach.unit_path
    )
    return Hotspot.objects.filter(Q(area_path__startswith=reach.unit_path) | Exists(member_inside)).select_related(
        "district", "area"
    )


def hotspot_list(user: User, limit: int, *, only: int | None = None) -> list[tuple[Hotspot, list[Case]]]:
    """The hottest `limit` hotspots in the person's reach (or the one of id `only`, if in reach), each with its
    requests that the person may see, oldest first (those of all the hotspots in one query)."""
    members = Prefetch("cases", queryset=cases_visible_to(user).order_by("created_at"), to_attr="visible_cases")
    visible = hotspots_visible_to(user) if only is None else hotspots_visible_to(user).filter(pk=only)
    spots = visible.order_by("-score", "rank").prefetch_related(members)[:limit]
    return [(spot, spot.visible_cases) for spot in spots]
