"""GET Service Requests and the updates feed: the spec's filters and the common extensions, read from the
query string, checked (every problem reported at once) and applied to the cases of the jurisdiction."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Power, Radians, Sqrt
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.cases.models import TERMINAL, Case, CaseEvent
from suban.open311.attributes import parse_datetime_w3
from suban.open311.catalogue import OTHER
from suban.open311.intake import Problems

MAX_SPAN = timedelta(days=90)  # the spec's default window, and the widest start_date..end_date
PAGE_SIZE = 1000  # the spec's default limit, and the largest page
MAX_IDS = 1000
MAX_RADIUS = 50_000  # metres; the distance is a flat-earth approximation, good to well within this
DEFAULT_RADIUS = 1000
EARTH_RADIUS = 6_371_000.0


@dataclass
class Filters:
    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: set[str] = field(default_factory=set)
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    near: tuple[float, float, float] | None = None  # lat, long, radius in metres
    page: int = 1
    page_size: int = PAGE_SIZE
    extensions: bool = False


def _list(params: QueryDict, name: str) -> list[str]:
    """A comma-delimited argument, which may also be declared several times."""
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


def _moment(params: QueryDict, name: str, problems: list[str]) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    found = parse_datetime_w3(raw)
    if found is None:
        problems.append(
            _("%(name)s must be a W3C date-time with its offset, e.g. 2026-11-01T00:00:00Z.") % {"name": name}
        )
    return found


def _positive(params: QueryDict, name: str, default: int, top: int, problems: list[str]) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        problems.append(_("%(name)s must be a whole number from 1 to %(top)d.") % {"name": name, "top": top})
        return default
    return int(raw)


def _floats(raw: str, count: int) -> list[float] | None:
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        return None
    return values if len(values) == count and all(math.isfinite(v) for v in values) else None


def parse_dates(
    params: QueryDict, problems: list[str], first: str, last: str
) -> tuple[datetime | None, datetime | None]:
    start, end = _moment(params, first, problems), _moment(params, last, problems)
    if start and end:
        if start > end:
            problems.append(_("%(first)s is after %(last)s.") % {"first": first, "last": last})
        elif end - start > MAX_SPAN:
            problems.append(_("%(first)s to %(last)s may not span more than 90 days.") % {"first": first, "last": last})
    return start, end


def parse(params: QueryDict) -> Filters:
    problems: list[str] = []
    f = Filters()
    f.ids = _list(params, "service_request_id")
    if len(f.ids) > MAX_IDS:
        problems.append(_("Ask for at most %(n)d service_request_id at once.") % {"n": MAX_IDS})
    f.service_codes = _list(params, "service_code")
    f.start, f.end = parse_dates(params, problems, "start_date", "end_date")
    f.statuses = set(_list(params, "status"))
    if f.statuses - {"open", "closed"}:
        problems.append(_("status must be open or closed."))
    f.updated_after = _moment(params, "updated_after", problems)
    f.updated_before = _moment(params, "updated_before", problems)
    if f.updated_after and f.updated_before and f.updated_after > f.updated_before:
        problems.append(_("%(first)s is after %(last)s.") % {"first": "updated_after", "last": "updated_before"})
    if params.get("bbox", "").strip():
        box = _floats(params.get("bbox", ""), 4)
        if box is None or not (box[0] <= box[2] and box[1] <= box[3]):
            problems.append(_("bbox must be four numbers: west,south,east,north (longitude, latitude)."))
        else:
            f.bbox = (box[0], box[1], box[2], box[3])
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    if lat or lon:
        point = _floats(f"{lat},{lon}", 2)
        radius = _floats(params.get("radius", "").strip() or str(DEFAULT_RADIUS), 1)
        if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            problems.append(_("lat and long must both be given, as decimal degrees (WGS84)."))
        elif radius is None or not 0 < radius[0] <= MAX_RADIUS:
            problems.append(_("radius must be a distance in metres, up to %(n)d.") % {"n": MAX_RADIUS})
        else:
            f.near = (point[0], point[1], radius[0])
    elif params.get("radius", "").strip():
        problems.append(_("radius needs lat and long."))
    f.page = _positive(params, "page", 1, 1_000_000, problems)
    f.page_size = _positive(params, "page_size", PAGE_SIZE, PAGE_SIZE, problems)
    f.extensions = params.get("extensions", "").strip().lower() == "true"
    if problems:
        raise Problems(problems)
    return f


def in_jurisdiction(qs: QuerySet[Case], district_path: str | None) -> QuerySet[Case]:
    return qs.filter(unit_path__startswith=district_path) if district_path else qs


def apply(qs: QuerySet[Case], f: Filters, *, now: datetime | None = None) -> QuerySet[Case]:
    """The cases the filters select, newest first. service_request_id overrides every other filter."""
    if f.ids:
        return qs.filter(number__in=f.ids).order_by("-created_at", "-id")
    if f.service_codes:
        codes = [c for c in f.service_codes if c != OTHER]
        wanted = qs.filter(matter__code__in=codes)
        if OTHER in f.service_codes:
            wanted = wanted | qs.filter(matter__isnull=True)
        qs = wanted
    start, end = f.start, f.end
    if start is None and end is None and f.updated_after is None and f.updated_before is None:
        end = now or timezone.now()  # the spec's default: the most recent 90 days
        start = end - MAX_SPAN
    elif start is not None and end is None and f.updated_after is None and f.updated_before is None:
        end = start + MAX_SPAN
    elif end is not None and start is None and f.updated_after is None and f.updated_before is None:
        start = end - MAX_SPAN
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    if f.statuses == {"open"}:
        qs = qs.exclude(status__in=TERMINAL)
    elif f.statuses == {"closed"}:
        qs = qs.filter(status__in=TERMINAL)
    if f.updated_after is not None:
        qs = qs.filter(updated_at__gt=f.updated_after)
    if f.updated_before is not None:
        qs = qs.filter(updated_at__lt=f.updated_before)
    if f.bbox is not None:
        west, south, east, north = f.bbox
        qs = qs.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    if f.near is not None:
        lat, lon, radius = f.near
        # A box first (cheap, and it drops cases without a point), then the distance on a local flat projection.
        dlat = math.degrees(radius / EARTH_RADIUS)
        dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
        qs = qs.filter(
            latitude__gte=lat - dlat, latitude__lte=lat + dlat, longitude__gte=lon - dlon, longitude__lte=lon + dlon
        )
        qs = (
            qs.annotate(
                _dx=Radians(F("longitude") - lon, output_field=FloatField()) * math.cos(math.radians(lat)),
                _dy=Radians(F("latitude") - lat, output_field=FloatField()),
            )
            .annotate(_d=Sqrt(Power(F("_dx"), 2) + Power(F("_dy"), 2)) * EARTH_RADIUS)
            .filter(_d__lte=radius)
        )
    return qs.order_by("-created_at", "-id")


def page(qs: QuerySet[Case], f: Filters) -> QuerySet[Case]:
    first = (f.page - 1) * f.page_size
    return qs[first : first + f.page_size]


def updates(
    qs: QuerySet[CaseEvent], params: QueryDict, *, now: datetime | None = None
) -> tuple[QuerySet[CaseEvent], int, int]:
    """The public steps after the first of the cases in reach, oldest first, between updated_after and
    updated_before (FixMyStreet's start_date and end_date are read too); the most recent 90 days without
    either. Returns the steps and the page and page size asked for."""
    problems: list[str] = []
    after, before = parse_dates(params, problems, "updated_after", "updated_before")
    start, end = parse_dates(params, problems, "start_date", "end_date")
    after, before = after or start, before or end
    number = _positive(params, "page", 1, 1_000_000, problems)
    size = _positive(params, "page_size", PAGE_SIZE, PAGE_SIZE, problems)
    if problems:
        raise Problems(problems)
    if after is None and before is None:
        after = (now or timezone.now()) - MAX_SPAN
    qs = qs.filter(public=True, seq__gt=1)
    if after is not None:
        qs = qs.filter(at__gt=after)
    if before is not None:
        qs = qs.filter(at__lt=before)
    return qs.order_by("at", "id"), number, size
