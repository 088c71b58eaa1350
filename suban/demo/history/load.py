"""The entry point: seed_history spreads the messages over the past year's days and lives each case's life."""

from __future__ import annotations

import random
from collections import defaultdict
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from suban.accounts.models import User
from suban.cases.models import Case, CaseNumberCounter, Channel, Nature, Urgency
from suban.cases.routing import level_of
from suban.catalogue.models import CaseType, Matter
from suban.demo.history.district import Router, find_cast, points_by_grid
from suban.demo.history.gridwork import grid_work
from suban.demo.history.lives import Life, Simulator, Stop
from suban.demo.history.messages import Labelled, matter_picker, read_history
from suban.demo.history.planner import Planner
from suban.demo.history.write import write_lives
from suban.demo.seed_calendar import ensure_demo_calendar
from suban.demo.seed_cases import nature_of
from suban.demo.seed_catalogue import DEMO_PATH
from suban.org.directory import directory
from suban.org.models import GRID_KINDS, Unit, UnitKind
from suban.workdays.calendar import WorkCalendar, work_calendar

HISTORY_DAYS = 400  # about 13 months back from yesterday
DEFAULT_CASES = 3000
SEED = 2025

# How a month leans for each first-level label of the messages (January first); 1.0 is an ordinary month.
SEASON: dict[str, tuple[float, ...]] = {
    "城乡建设": (1.3, 1.2, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 0.9, 1.0, 1.3, 1.5),  # heating, repairs
    "环境保护": (0.7, 0.7, 0.9, 1.0, 1.2, 1.4, 1.6, 1.5, 1.1, 0.9, 0.8, 0.7),  # noise, smells, open windows
    "教育文体": (0.8, 0.6, 1.2, 1.0, 1.0, 1.2, 1.1, 1.7, 1.8, 1.0, 0.9, 0.8),  # school places
    "劳动和社会保障": (1.7, 1.2, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.3, 1.6),  # wages before the New Year
    "商贸旅游": (0.6, 0.8, 0.8, 1.0, 1.3, 1.3, 1.8, 1.9, 1.2, 1.5, 0.7, 0.6),  # Laoshan's tourists
    "卫生计生": (1.5, 1.2, 1.0, 0.9, 0.8, 0.8, 0.9, 0.9, 0.9, 1.0, 1.2, 1.4),  # flu season
    "交通运输": (1.1, 1.3, 0.9, 1.0, 1.1, 1.0, 1.2, 1.2, 1.0, 1.3, 0.9, 1.0),  # holiday traffic
}
HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 8, 9, 12, 13, 12, 10, 8, 7, 6, 5, 3, 2)  # when calls come in
CALLERS = ("王先生", "李女士", "张先生", "刘女士", "陈先生", "赵女士")
WEEKDAY = (1.0, 1.0, 0.95, 0.95, 0.9, 0.55, 0.45)
CHANNELS: tuple[tuple[str, int], ...] = (
    (Channel.HOTLINE, 52),
    (Channel.H5, 24),
    (Channel.APP, 8),
    (Channel.GRID, 10),
    (Channel.CITY, 6),
)
URGENCIES: tuple[tuple[str, int], ...] = ((Urgency.NORMAL, 94), (Urgency.URGENT, 5), (Urgency.CRITICAL, 1))


def _days(rng: random.Random, count: int, today: date, calendar: WorkCalendar) -> list[tuple[date, int]]:
    """How many cases arrive on each past day: weekdays, the Spring Festival lull, a slow growth, a storm."""
    weights = []
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        w = WEEKDAY[day.weekday()] * (1.0 + 0.18 * (HISTORY_DAYS - back) / HISTORY_DAYS)
        if not calendar.is_workday(day) and day.weekday() < 5:
            w *= 0.45  # a public holiday
        w *= rng.uniform(0.8, 1.2)
        if day.month == 8 and day.day in (3, 4):
            w *= 2.6  # a typhoon's aftermath
        weights.append((day, w))
    total = sum(w for _d, w in weights)
    out, given = [], 0
    for day, w in weights:
        n = int(count * w / total + rng.random())
        out.append((day, n))
        given += n
    return out


def seed_history(count: int = DEFAULT_CASES, *, now: datetime | None = None, seed: int = SEED) -> int:
    """Write about `count` backdated cases of the last HISTORY_DAYS days with their events, and the grid
    workers' patrols and work log. Returns how many cases were made. Runs inside the caller's transaction."""
    if count <= 0:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    ensure_demo_calendar(today)
    for year in {(today - timedelta(days=HISTORY_DAYS)).year, today.year}:
        ensure_demo_calendar(date(year, 6, 1))
    return _make(count, now, today, work_calendar(), random.Random(seed))


def _make(count: int, now: datetime, today: date, calendar: WorkCalendar, rng: random.Random) -> int:
    tz = ZoneInfo(settings.TIME_ZONE)
    items = read_history()
    by_label: dict[str, list[Labelled]] = defaultdict(list)
    for item in items:
        by_label[item.label].append(item)
    labels = sorted(by_label)
    pick_matter = matter_picker(list(Matter.objects.filter(is_active=True)))
    matter_of = {id(item): pick_matter(item) for item in items}
    grids = list(
        Unit.objects.filter(kind__in=GRID_KINDS, path__startswith=DEMO_PATH, is_active=True)
        .exclude(boundary=None)
        .order_by("path")
    )
    if not grids:
        return 0
    points = points_by_grid(rng, grids)
    # Some grids are busier than others (old estates, the scenic coast): a skewed weight each.
    grid_weight = [rng.lognormvariate(0, 0.7) for _g in grids]
    cast = find_cast(rng)
    units = directory()
    district = units.districts[0] if units.districts else None
    sim = Simulator(now, calendar, district)
    planner = Planner(rng, now, calendar, cast)
    router = Router()
    channels = [c for c, _w in CHANNELS]
    channel_w = [w for _c, w in CHANNELS]
    urgencies = [u for u, _w in URGENCIES]
    urgency_w = [w for _u, w in URGENCIES]
    lives: list[Life] = []
    numbers: dict[date, int] = {
        c.day: c.last
        for c in CaseNumberCounter.objects.filter(day__gte=today - timedelta(days=HISTORY_DAYS + 1), day__lt=today)
    }
    reports: list[tuple[Life, User]] = []
    for day, n in _days(rng, count, today, calendar):
        label_w = [len(by_label[lb]) * SEASON.get(lb, (1.0,) * 12)[day.month - 1] for lb in labels]
        for _i in range(n):
            label = rng.choices(labels, label_w)[0]
            item = rng.choice(by_label[label])
            gi = rng.choices(range(len(grids)), grid_weight)[0]
            grid = grids[gi]
            lon, lat = rng.choice(points[grid.pk])
            hour = rng.choices(
                range(24), [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 8, 9, 12, 13, 12, 10, 8, 7, 6, 5, 3, 2]
            )[0]
            created = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), tz)
            channel = rng.choices(channels, channel_w)[0]
            workers = cast.grid_workers.get(grid.pk, [])
            if channel == Channel.GRID and not workers:
                channel = Channel.HOTLINE
            reporter = rng.choice(workers) if channel == Channel.GRID else None
            citizen = rng.choice(cast.citizens) if channel in (Channel.H5, Channel.APP) else None
            numbers[day] = numbers.get(day, 0) + 1
            message = item.message
            nature = nature_of(message)
            case_type = (
                CaseType.ENFORCEMENT
                if nature == Nature.REPORT
                else CaseType.DEVELOPMENT
                if label == "商贸旅游" and rng.random() < 0.5
                else CaseType.LIVELIHOOD
            )
            case = Case(
                number=f"{day:%Y%m%d}{numbers[day]:05d}",
                case_type=case_type,
                nature=nature,
                matter=matter_of[id(item)],
                channel=channel,
                title=message.title[:200],
                text=message.text,
                urgency=rng.choices(urgencies, urgency_w)[0],
                longitude=lon,
                latitude=lat,
                grid=grid,
                area_path=grid.path,
                citizen=citizen,
                reporter=reporter,
                contact_name=""
                if citizen
                else rng.choice(("王先生", "李女士", "张先生", "刘女士", "陈先生", "赵女士")),
                support_count=1,
            )
            if district is not None:
                case.unit, case.unit_path, case.level = district, district.path, level_of(district)
            life = Life(case)
            sim.submit(life, created, reporter or citizen)
            lead, by_list = router(case)
            fallback = units.ancestor_of_kind(grid, UnitKind.STREET) or lead
            with suppress(Stop):
                planner.live(sim, life, lead, by_list, fallback, message)
            _settle(life, now)
            lives.append(life)
            if reporter is not None:
                reports.append((life, reporter))
    write_lives(lives, numbers, reports, today)
    grid_work(rng, cast, today, calendar, tz, reports)
    return len(lives)


def _settle(life: Life, now: datetime) -> None:
    """The clock's state at `now` for a life that stopped on its way: its warnings so far and the next check."""
    Simulator(now, work_calendar(), None).run_clock(life, now)
