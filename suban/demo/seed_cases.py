"""The demo district's cases: 150 real messages (suban/demo/data/messages.csv), taken through the case
services by the demo's own people, so that every pile of the console and every step of the timeline has
something true in it after `make run`. Each case is placed at a point inside one of the demo's grids; the
replies are the official ones that were given to these messages.

Nobody is notified (the history is not news), and every step goes through the lifecycle table like any other.
Each case came in some days before the seed, the longer ago the further it has gone (a new one this
morning, a closed one up to three weeks back), and each step follows the last by a few working hours: the
services run on a demo clock (`backdated`), so events, deadlines and the intake chart tell a plausible week
rather than 150 requests in the last minute. Deadlines already past make some cases overdue, as in life.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from shapely.geometry import shape

from suban.accounts.models import User
from suban.accounts.roles import HANDLER_ROLES
from suban.accounts.services import citizen_for_phone
from suban.cases.models import Case, Nature, Satisfaction
from suban.cases.notices import muted
from suban.cases.services import (
    DeclineReason,
    case_accept,
    case_claim,
    case_decline,
    case_dispatch,
    case_note,
    case_rate,
    case_reply,
    case_review_reply,
    case_submit,
)
from suban.demo.seed_calendar import ensure_demo_calendar
from suban.demo.seed_catalogue import DEMO_PATH
from suban.errors import DomainError
from suban.org.directory import directory
from suban.org.models import GRID_KINDS, Unit, UnitKind

MESSAGES = Path(__file__).resolve().parent / "data" / "messages.csv"

# Where each message's case stops, by its position in the file: a little of every pile.
STAGES: tuple[tuple[str, int], ...] = (
    ("new", 12),
    ("declined", 4),
    ("dispatched", 16),
    ("in_progress", 26),
    ("reviewing", 14),
    ("visiting", 14),
    ("unsatisfied", 8),
    ("closed", 56),
)


# How many days before the seed a case at each stage came in (from, to): the further along, the older.
AGE_DAYS: dict[str, tuple[float, float]] = {
    "new": (0.0, 0.4),
    "declined": (0.5, 3.0),
    "dispatched": (0.2, 2.0),
    "in_progress": (1.0, 4.0),
    "reviewing": (2.0, 6.0),
    "visiting": (3.0, 8.0),
    "unsatisfied": (4.0, 10.0),
    "closed": (5.0, 21.0),
}


@contextmanager
def backdated(start: datetime, rng: random.Random, until: datetime) -> Iterator[Callable[[], None]]:
    """Run the services as if it were `start`: timezone.now() answers the demo clock, which `tick()` moves on
    by half an hour to six hours (within working hours where it can), never past `until`."""
    clock = [start]
    real_now = timezone.now

    def tick() -> None:
        moment = clock[0] + timedelta(hours=rng.uniform(0.5, 6.0))
        local = timezone.localtime(moment)
        if local.time() > time(18, 0):  # the next morning, not the middle of the night
            moment = moment + timedelta(hours=14.5 - rng.uniform(0, 1))
        clock[0] = min(moment, until)

    timezone.now = lambda: clock[0]
    try:
        yield tick
    finally:
        timezone.now = real_now


def _start(rng: random.Random, stage: str, now: datetime) -> datetime:
    low, high = AGE_DAYS[stage]
    moment = now - timedelta(days=rng.uniform(low, high))
    local = timezone.localtime(moment)
    if not time(8, 30) <= local.time() <= time(17, 30) and moment < now - timedelta(hours=12):
        moment = moment.replace(hour=rng.randint(1, 9), minute=rng.randint(0, 59))  # 09:00-17:59 Beijing time
    return min(moment, now)


# What the dispatcher of the demo sends straight to a department, by words of the message (a stand-in for
# the classifier, so that the departments' inboxes have something in them too).
BY_HAND: tuple[tuple[tuple[str, ...], str], ...] = (
    (("占道", "违建", "违章建筑", "乱搭", "垃圾", "摊贩", "城管"), "区城市管理局"),
    (("工资", "社保", "拖欠", "劳动合同"), "区人力资源和社会保障局"),
    (("学校", "教育", "学生", "幼儿园", "老师"), "区教育和体育局"),
    (("物业", "开发商", "楼盘", "购房", "房产证"), "区住房城乡建设局"),
    (("噪音", "污染", "排放", "异味"), "区生态环境分局"),
    (("医保",), "区医疗保障局"),
    (("公交", "出租车"), "区交通运输局"),
    (("燃气", "天然气"), "华润燃气崂山公司"),
    (("供暖", "暖气"), "崂山热电公司"),
)


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    reply: str


def read_messages(path: Path = MESSAGES) -> list[Message]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Message(r["title"], r["text"], r["reply"]) for r in csv.DictReader(f)]


def nature_of(message: Message) -> str:
    title = message.title
    if "投诉" in title or "举报" in title:
        return Nature.COMPLAINT if "投诉" in title else Nature.REPORT
    if "建议" in title:
        return Nature.SUGGESTION
    if any(mark in title for mark in ("吗", "？", "?", "咨询", "请问", "如何", "怎么")):
        return Nature.CONSULTATION
    return Nature.HELP


def _points(rng: random.Random, under: str = DEMO_PATH) -> list[tuple[float, float]]:
    grids = Unit.objects.filter(kind__in=GRID_KINDS, path__startswith=under, is_active=True).exclude(boundary=None)
    points = [shape(g.boundary).representative_point().coords[0] for g in grids.order_by("path")]
    rng.shuffle(points)
    return [(float(x), float(y)) for x, y in points]


def _handler(unit: Unit | None) -> User | None:
    if unit is None:
        return None
    return (
        User.objects.filter(unit=unit, is_active=True, staff_roles__role__in=HANDLER_ROLES)
        .order_by("pk")
        .distinct()
        .first()
    )


def _department_for(message: Message) -> Unit | None:
    words = message.title + message.text
    for keys, name in BY_HAND:
        if any(k in words for k in keys):
            return Unit.objects.filter(name=name, path__startswith=DEMO_PATH).first()
    return None


def _dispatch(case: Case, dispatcher: User, message: Message) -> Case:
    department = _department_for(message)
    if department is not None:
        return case_dispatch(case=case, by=dispatcher, unit=department)
    try:
        return case_dispatch(case=case, by=dispatcher)
    except DomainError:
        # Nothing in the responsibility list for it: the dispatcher sends it to the street of its place.
        street = directory().ancestor_of_kind(case.grid, UnitKind.STREET) if case.grid is not None else None
        if street is None:
            raise
        return case_dispatch(case=case, by=dispatcher, unit=street)


def seed_cases(limit: int | None = None) -> int:
    """Take the demo's messages through the services; returns how many cases were made."""
    ensure_demo_calendar()  # deadlines of late-December cases reach into a year nobody may have entered yet
    oldest = max(high for _low, high in AGE_DAYS.values())
    ensure_demo_calendar(timezone.localdate() - timedelta(days=oldest))  # and early-January ones back into the last
    messages = read_messages()[:limit]
    rng = random.Random(2026)
    points = _points(rng)
    # Every third request comes from the community of the demo's `community` login, so that its inbox (and
    # its grid worker's grid) has a fair share to show.
    home = User.objects.select_related("unit").get(username="community").unit
    home_points = _points(rng, home.path) if home is not None else points
    dispatcher = User.objects.get(username="dispatcher")
    supervisor = User.objects.get(username="supervisor")
    plan = [stage for stage, count in STAGES for _ in range(count)]
    made = 0
    now = timezone.now()
    # The oldest first, so that the case numbers of each day follow the order the requests came in.
    starts = [_start(rng, plan[i % len(plan)], now) for i in range(len(messages))]
    with muted():
        for i in sorted(range(len(messages)), key=lambda k: starts[k]):
            message, stage = messages[i], plan[i % len(plan)]
            lon, lat = home_points[i % len(home_points)] if i % 3 == 0 else points[i % len(points)]
            citizen = citizen_for_phone(f"1390000{i:04d}")
            with backdated(starts[i], rng, now) as tick:
                case = case_submit(
                    by=citizen,
                    title=message.title,
                    text=message.text,
                    nature=nature_of(message),
                    longitude=lon,
                    latitude=lat,
                )
                _advance(case, stage, message, citizen, dispatcher, supervisor, i, tick)
            made += 1
    return made


def _advance(
    case: Case,
    stage: str,
    message: Message,
    citizen: User,
    dispatcher: User,
    supervisor: User,
    i: int,
    tick: Callable[[], None],
) -> None:
    if stage == "new":
        return
    tick()
    if stage == "declined":
        reason = (DeclineReason.REPEAT, DeclineReason.OUTSIDE_DUTY)[i % 2]
        case_decline(case=case, by=dispatcher, reason=reason, note="经核实，按规定不予受理。")
        return
    case_accept(case=case, by=dispatcher)
    _dispatch(case, dispatcher, message)
    handler = _handler(case.unit)
    if stage == "dispatched" or handler is None:
        return
    tick()
    case_claim(case=case, by=handler)
    tick()
    case_note(case=case, by=handler, note="已联系诉求人，正在现场核实。")
    if stage == "in_progress":
        return
    tick()
    case_reply(case=case, by=handler, reply=message.reply)
    if stage == "reviewing":
        return
    tick()
    case_review_reply(case=case, by=dispatcher, approve=True)
    if stage == "visiting":
        return
    tick()
    if stage == "unsatisfied":
        case_rate(
            case=case, by=citizen, satisfaction=Satisfaction.UNSATISFIED, resolved=False, comment="问题仍未解决。"
        )
        return
    satisfaction = (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY)[i % 3]
    rater: Any = citizen if i % 4 else supervisor  # some citizens rate themselves, others on the return call
    case_rate(case=case, by=rater, satisfaction=satisfaction, resolved=True)
