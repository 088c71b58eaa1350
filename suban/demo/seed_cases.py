"""The demo district's cases: 150 real messages (suban/demo/data/messages.csv), taken through the case
services by the demo's own people, so that every pile of the console and every step of the timeline has
something true in it after `make run`. Each case is placed at a point inside one of the demo's grids; the
replies are the official ones that were given to these messages.

Nobody is notified (the history is not news), and every step goes through the lifecycle table like any other.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from suban.accounts.models import User
from suban.accounts.services import citizen_for_phone
from suban.cases.lifecycle import HANDLER_ROLES
from suban.cases.models import Case, Nature, Satisfaction
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
from suban.notify.rules import muted
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
    with muted():
        for i, message in enumerate(messages):
            stage = plan[i % len(plan)]
            lon, lat = home_points[i % len(home_points)] if i % 3 == 0 else points[i % len(points)]
            citizen = citizen_for_phone(f"1390000{i:04d}")
            case = case_submit(
                by=citizen,
                title=message.title,
                text=message.text,
                nature=nature_of(message),
                longitude=lon,
                latitude=lat,
            )
            made += 1
            _advance(case, stage, message, citizen, dispatcher, supervisor, i)
    return made


def _advance(
    case: Case, stage: str, message: Message, citizen: User, dispatcher: User, supervisor: User, i: int
) -> None:
    if stage == "new":
        return
    if stage == "declined":
        reason = (DeclineReason.REPEAT, DeclineReason.OUTSIDE_DUTY)[i % 2]
        case_decline(case=case, by=dispatcher, reason=reason, note="经核实，按规定不予受理。")
        return
    case_accept(case=case, by=dispatcher)
    _dispatch(case, dispatcher, message)
    handler = _handler(case.unit)
    if stage == "dispatched" or handler is None:
        return
    case_claim(case=case, by=handler)
    case_note(case=case, by=handler, note="已联系诉求人，正在现场核实。")
    if stage == "in_progress":
        return
    case_reply(case=case, by=handler, reply=message.reply)
    if stage == "reviewing":
        return
    case_review_reply(case=case, by=dispatcher, approve=True)
    if stage == "visiting":
        return
    if stage == "unsatisfied":
        case_rate(
            case=case, by=citizen, satisfaction=Satisfaction.UNSATISFIED, resolved=False, comment="问题仍未解决。"
        )
        return
    satisfaction = (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY)[i % 3]
    rater: Any = citizen if i % 4 else supervisor  # some citizens rate themselves, others on the return call
    case_rate(case=case, by=rater, satisfaction=satisfaction, resolved=True)
