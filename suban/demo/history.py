"""A year of the demo district's past: a few thousand backdated cases, with every step of their timelines.

Made from 958 real, labelled citizen messages (suban/demo/data/history.csv, Teddy Cup 2020; see MESSAGES.md),
spread over the last HISTORY_DAYS days with the district's rhythm: fewer on weekends and in the Spring
Festival week, heating and flu in winter, noise and tourists in summer, school places in late summer, unpaid
wages before the New Year. Each case lives its life through the same steps the services take (accept,
dispatch by the responsibility list, claim, returns, extensions, the deadline clock's warnings and overdue
supervision, reply, review, rating, reopening and closing), each step at its own backdated instant, with
the deadline arithmetic of suban.cases.deadlines on the working-day calendar. Lives that have not ended by
now stop where now finds them, so the open piles of the last weeks are what a working platform would show.

The rows are written in bulk (one INSERT per table and batch), not through the services: the services stamp
every step with the present. The events therefore follow the lifecycle table exactly and replay to each
case's status and version (tests/demo/test_history.py checks it), and the assessment roll-ups are rebuilt
from them afterwards. Every unit has a quality of its own, so that rankings have something to rank.

Grid workers get their year too: patrols and work-log entries on working days, each worker with a diligence
of their own, and the cases they reported from their grids.
"""

from __future__ import annotations

import csv
import functools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Model
from django.utils import timezone
from shapely.geometry import Point, shape
from shapely.prepared import prep

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.cases import deadlines
from suban.cases.lifecycle import BY_ACTION, HANDLER_ROLES, SAME
from suban.cases.models import (
    Alert,
    Case,
    CaseEvent,
    CaseNumberCounter,
    Channel,
    Nature,
    Satisfaction,
    Status,
    SupervisionOrder,
    Urgency,
)
from suban.cases.routing import KIND_OF_LEVEL, level_of, responsibility_for, start_level
from suban.cases.services.handling import SUPERVISION_DAYS
from suban.cases.services.intake import DeclineReason
from suban.catalogue.models import CaseType, Level, Matter
from suban.demo.seed_calendar import ensure_demo_calendar
from suban.demo.seed_cases import Message, nature_of
from suban.demo.seed_catalogue import DEMO_PATH
from suban.gridwork.models import GridReport, Patrol, WorkKind, WorkLogEntry
from suban.org.directory import directory
from suban.org.models import GRID_KINDS, Unit, UnitKind
from suban.workdays.calendar import WorkCalendar, work_calendar

HISTORY = Path(__file__).resolve().parent / "data" / "history.csv"
HISTORY_DAYS = 400  # about 13 months back from yesterday
DEFAULT_CASES = 3000
GRID_WORK_DAYS = 180  # the grid workers' patrols and work log reach back half a year
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
DECLINE_SHARE = 0.03
RETURN_SHARE = 0.05
EXTENSION_SHARE = 0.07
REPLIES: dict[str, str] = {
    "城乡建设": "经现场核实，已协调物业及施工单位整改，相关设施已修复，后续将加强巡查。感谢您的监督。",
    "环境保护": "经执法人员现场检查，已责令相关单位整改并依法处理，后续将持续监测。感谢您的反映。",
    "教育文体": "经与区教体局及学校核实，已按政策作出解释并妥善处理，如有疑问可致电学校咨询。",
    "劳动和社会保障": "经劳动监察大队调查，已督促用人单位依法支付工资、补缴社保，请保持联系。",
    "商贸旅游": "经市场监管部门调查，已责令商户整改，相关款项已退还，并加强景区经营秩序检查。",
    "卫生计生": "经卫生健康部门核实，已督促医疗机构规范服务，您反映的问题已作答复处理。",
    "交通运输": "经交通运输部门核实，已调整线路运营并加强站点管理，感谢您的宝贵意见。",
}
NOTES = ("已联系诉求人，正在现场核实。", "已约谈相关单位，督促限期整改。", "已会同社区现场查看，正在协调处理。")
RATING_COMMENTS = ("问题仍未解决。", "答复敷衍，没有实际处理。", "处理太慢。")
WORK_TEXT: dict[str, tuple[str, ...]] = {
    WorkKind.PATROL: ("巡查网格内道路及公共设施，未发现异常。", "巡查沿街商户门前三包落实情况。"),
    WorkKind.VISIT: ("走访独居老人，了解生活需求。", "入户走访新迁入住户，登记基础信息。"),
    WorkKind.PUBLICITY: ("开展防诈骗宣传，发放宣传资料。", "宣传垃圾分类知识。"),
    WorkKind.INSPECTION: ("排查楼道堆物及消防通道占用情况。", "排查邻里纠纷隐患，已调解一起。"),
    WorkKind.OTHER: ("配合社区开展疫苗接种登记。",),
}


@dataclass(frozen=True)
class Labelled:
    message: Message
    label: str


def read_history(path: Path = HISTORY) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Labelled(Message(r["title"], r["text"], REPLIES.get(r["label"], "")), r["label"]) for r in csv.DictReader(f)
        ]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def matter_picker(matters: list[Matter]) -> Callable[[Labelled], Matter | None]:
    """The second-level matter under the message's label whose names share the most with the message (the
    first-level one when none does): a plain stand-in for the classifier, so the matter mix is the text's."""
    by_name = {m.name: m for m in matters if m.level == 1}
    children: dict[int, list[tuple[Matter, set[str]]]] = defaultdict(list)
    grandchildren: dict[int, list[str]] = defaultdict(list)
    for m in matters:
        if m.level == 3 and m.parent_id is not None:
            grandchildren[m.parent_id].append(m.name)
    for m in matters:
        if m.level == 2 and m.parent_id is not None:
            words = _bigrams(m.name) | {b for name in grandchildren[m.pk] for b in _bigrams(name)}
            children[m.parent_id].append((m, words))

    def pick(item: Labelled) -> Matter | None:
        top = by_name.get(item.label)
        if top is None:
            return None
        words = _bigrams(item.message.title + item.message.text)
        best, score = top, 0
        for child, names in children[top.pk]:
            hits = len(words & names)
            if hits > score:
                best, score = child, hits
        return best

    return pick


class Stop(Exception):
    """The next step lies in the future: the case's life stops where now finds it."""


@dataclass
class Life:
    """One case's life: the in-memory case and the events of its steps, in order."""

    case: Case
    events: list[CaseEvent] = field(default_factory=list)
    orders: list[SupervisionOrder] = field(default_factory=list)


class Simulator:
    """Takes a case through the steps the services take, each at an instant given by the caller, with the
    same field changes and event data; the deadline clock fires in between at the instants it would."""

    def __init__(self, now: datetime, calendar: WorkCalendar, system_unit: Unit | None) -> None:
        self.now = now
        self.calendar = calendar
        self.system_unit = system_unit

    # The clock, as suban.cases.clock._tick does it, at the instant each check falls due.
    def run_clock(self, life: Life, until: datetime) -> None:
        case = life.case
        clocked = BY_ACTION["warn"].sources & BY_ACTION["overdue"].sources & BY_ACTION["supervise"].sources
        while case.next_check_at is not None and case.next_check_at <= until:
            at = case.next_check_at
            if case.status not in clocked or case.held_at is not None:
                case.next_check_at = None
                return
            alert = deadlines.current_alert(case, at)
            previous = case.alert
            case.alert = alert
            deadlines.schedule(case, at)
            if alert == Alert.RED and previous != Alert.RED:
                self._event(life, "overdue", at, None, public=False, data={"due_at": _iso(case.due_at)})
                due = self.calendar.add(at, float(SUPERVISION_DAYS))
                case.supervision_count += 1
                note = "超期：已过办理时限。"
                self._event(
                    life, "supervise", at, None, public=False, note=note, data={"due_at": _iso(due), "automatic": True}
                )
                life.orders.append(
                    SupervisionOrder(unit=case.unit, by=None, note=note, due_at=due, automatic=True, created_at=at)
                )
            elif alert == Alert.YELLOW and previous == Alert.NONE:
                self._event(life, "warn", at, None, public=False, data={"due_at": _iso(case.due_at)})
            if case.next_check_at is not None and case.next_check_at <= at:
                case.next_check_at = None  # cannot happen with schedule(); guards the loop

    def step(self, life: Life, action: str, at: datetime, by: User | None, **kw: Any) -> None:
        self.run_clock(life, min(at, self.now))
        if at > self.now:
            raise Stop
        getattr(self, "_" + action)(life, at, by, **kw)

    def _event(
        self,
        life: Life,
        action: str,
        at: datetime,
        by: User | None,
        *,
        to: str | None = None,
        note: str = "",
        data: dict[str, Any] | None = None,
        public: bool = True,
    ) -> None:
        case = life.case
        transition = BY_ACTION[action]
        before = case.status
        assert before in transition.sources, (action, before)
        target = before if SAME in transition.targets else (to or next(iter(transition.targets)))
        assert target == before or target in transition.targets
        case.version += 1
        case.status = target
        case.updated_at = at
        life.events.append(
            CaseEvent(
                seq=case.version,
                action=action,
                actor=by,
                actor_unit=by.unit if by is not None else None,
                from_status=before,
                to_status=target,
                note=note,
                data=data or {},
                public=public,
                at=at,
            )
        )

    def submit(self, life: Life, at: datetime, by: User | None) -> None:
        case = life.case
        case.version, case.status, case.created_at, case.updated_at = 1, Status.NEW, at, at
        life.events.append(
            CaseEvent(
                seq=1,
                action="submit",
                actor=by,
                actor_unit=by.unit if by is not None and not by.is_citizen else None,
                from_status="",
                to_status=Status.NEW,
                at=at,
                data={"channel": case.channel},
            )
        )

    def _accept(self, life: Life, at: datetime, by: User) -> None:
        self._event(life, "accept", at, by)

    def _decline(self, life: Life, at: datetime, by: User, reason: str) -> None:
        life.case.decline_reason, life.case.closed_at = reason, at
        self._event(life, "decline", at, by, note="经核实，按规定不予受理。", data={"reason": reason})

    def _dispatch(self, life: Life, at: datetime, by: User, unit: Unit, by_list: bool) -> None:
        case = life.case
        previous = case.unit
        case.unit, case.unit_path, case.level = unit, unit.path, level_of(unit)
        case.handler = None
        if previous is None or previous.pk != unit.pk:
            case.return_final = False
        deadlines.start_clock(case, at)
        data: dict[str, Any] = {
            "unit": unit.code,
            "from_unit": previous.code if previous else None,
            "co_units": [],
            "due_at": _iso(case.due_at),
            "by_list": by_list,
        }
        self._event(life, "dispatch", at, by, data=data)

    def _claim(self, life: Life, at: datetime, by: User) -> None:
        case = life.case
        case.claimed_at, case.handler = at, by
        self._event(life, "claim", at, by, data={"in_time": bool(case.response_due_at and at <= case.response_due_at)})

    def _return(self, life: Life, at: datetime, by: User) -> None:
        life.case.return_count += 1
        self._event(life, "return", at, by, note="该事项不属于本单位职责范围，请重新派单。", public=False)

    def _reject_return(self, life: Life, at: datetime, by: User) -> None:
        life.case.return_final = True
        self._event(life, "reject_return", at, by, note="经研判属于该单位职责，请认真办理。", public=False)

    def _note(self, life: Life, at: datetime, by: User, note: str) -> None:
        self._event(life, "note", at, by, note=note, public=False)

    def _request_extension(self, life: Life, at: datetime, by: User, days: Decimal) -> None:
        life.case.pending_extension_days = days
        self._event(
            life, "request_extension", at, by, note="需协调多个部门，申请延期。", data={"days": str(days)}, public=False
        )

    def _approve_extension(self, life: Life, at: datetime, by: User) -> None:
        case = life.case
        days = case.pending_extension_days
        assert days is not None
        case.pending_extension_days = None
        deadlines.extend(case, days)
        deadlines.schedule(case, at)
        if deadlines.current_alert(case, at) != case.alert and case.alert:
            case.alert = deadlines.current_alert(case, at)
        self._event(life, "approve_extension", at, by, data={"days": str(days), "due_at": _iso(case.due_at)})

    def _reply(self, life: Life, at: datetime, by: User, reply: str) -> None:
        case = life.case
        case.reply, case.replied_at, case.next_check_at = reply, at, None
        self._event(life, "reply", at, by, public=False, data={"in_time": bool(case.due_at and at <= case.due_at)})

    def _approve_reply(self, life: Life, at: datetime, by: User) -> None:
        self._event(life, "approve_reply", at, by, data={"reply": life.case.reply})

    def _rate(self, life: Life, at: datetime, by: User, satisfaction: str, resolved: bool, comment: str = "") -> None:
        case = life.case
        case.satisfaction, case.resolved, case.rating_comment = satisfaction, resolved, comment
        to = Status.UNSATISFIED if satisfaction == Satisfaction.UNSATISFIED else Status.CLOSED
        if to == Status.CLOSED:
            case.closed_at = at
        self._event(
            life, "rate", at, by, to=to, note=comment, data={"satisfaction": satisfaction, "resolved": resolved}
        )

    def _reopen(self, life: Life, at: datetime, by: User) -> None:
        case = life.case
        deadlines.start_clock(case, at)
        case.claimed_at = at
        case.reopen_count += 1
        case.satisfaction, case.resolved = "", None
        self._event(life, "reopen", at, by, note="群众不满意，请重新办理并再次答复。")

    def _close(self, life: Life, at: datetime, by: User) -> None:
        case = life.case
        case.closed_at, case.next_check_at = at, None
        self._event(life, "close", at, by, note="经回访核实，已按政策答复，予以办结。")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass
class Cast:
    dispatcher: User
    supervisor: User
    handlers: dict[int, User]  # unit pk → a handler of it
    grid_workers: dict[int, list[User]]  # grid pk → its grid workers
    citizens: list[User]


class Planner:
    """Decides when each case arrives and how its life goes; the Simulator carries it out."""

    def __init__(self, rng: random.Random, now: datetime, calendar: WorkCalendar, cast: Cast) -> None:
        self.rng = rng
        self.now = now
        self.calendar = calendar
        self.cast = cast
        self.quality: dict[int, float] = {}
        self.speed: dict[int, float] = {}
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def unit_quality(self, unit: Unit) -> float:
        """How well a unit works (0.6–0.98), fixed for the year: rankings then rank something."""
        if unit.pk not in self.quality:
            self.quality[unit.pk] = min(0.98, max(0.6, self.rng.gauss(0.86, 0.08)))
            self.speed[unit.pk] = min(1.6, max(0.5, self.rng.gauss(1.0, 0.22)))
        return self.quality[unit.pk]

    def office(self, moment: datetime, minutes: tuple[int, int]) -> datetime:
        """`moment` plus a delay in minutes; what falls outside 8:30–18:00 waits for the next working morning."""
        later = moment + timedelta(minutes=self.rng.randint(*minutes))
        local = later.astimezone(self.tz)
        if time(8, 30) <= local.time() <= time(18, 0) and self.calendar.is_workday(local.date()):
            return later
        day = local.date() + timedelta(days=1 if local.time() > time(18, 0) else 0)
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        start = datetime.combine(day, time(8, 30), self.tz)
        return start + timedelta(minutes=self.rng.randint(0, 90))

    def working(self, moment: datetime, days: float) -> datetime:
        return self.office(self.calendar.add(moment, days), (0, 30))

    def live(self, sim: Simulator, life: Life, lead: Unit, by_list: bool, fallback: Unit, message: Message) -> None:
        rng, cast = self.rng, self.cast
        case = life.case
        at = case.created_at
        assert at is not None
        at = self.office(at, (3, 60))
        if rng.random() < DECLINE_SHARE:
            reason = rng.choice((DeclineReason.REPEAT, DeclineReason.OUTSIDE_DUTY, DeclineReason.LEGAL_CHANNEL))
            sim.step(life, "decline", at, cast.dispatcher, reason=reason)
            return
        sim.step(life, "accept", at, cast.dispatcher)
        at += timedelta(minutes=rng.randint(1, 25))
        if lead.pk not in cast.handlers:
            lead, by_list = fallback, False  # a unit nobody works in: the dispatch centre sends it to the street
        sim.step(life, "dispatch", at, cast.dispatcher, unit=lead, by_list=by_list)
        quality = self.unit_quality(lead)
        handler = cast.handlers.get(lead.pk)
        if handler is not None and lead.pk != fallback.pk and rng.random() < RETURN_SHARE:
            # Not this unit's: returned within the day; the dispatch centre sends it to the street, or rules
            # that the unit must handle it after all.
            at = self.office(at, (30, 300))
            sim.step(life, "return", at, handler)
            at = self.office(at, (20, 180))
            if rng.random() < 0.3:
                sim.step(life, "reject_return", at, cast.dispatcher)
            else:
                sim.step(life, "dispatch", at, cast.dispatcher, unit=fallback, by_list=False)
                lead, handler = fallback, cast.handlers.get(fallback.pk)
                quality = self.unit_quality(lead)
        if handler is None:
            return  # nobody to claim it: it waits in the unit's pile
        speed = self.speed.get(lead.pk, 1.0)
        # Response: most within the limit (4 hours), slow units later.
        response = rng.lognormvariate(math.log(50 * speed), 0.8)
        at = self.office(at, (int(response), int(response) + 5))
        sim.step(life, "claim", at, handler)
        assert case.limit_days is not None
        limit = float(case.limit_days)
        at = self.working(at, min(limit * 0.3, 0.5) * rng.random() + 0.05)
        sim.step(life, "note", at, handler, note=rng.choice(NOTES))
        late = rng.random() > quality + 0.04
        if rng.random() < EXTENSION_SHARE:
            at = self.working(at, limit * 0.3)
            days = Decimal(rng.choice((2, 3, 5)))
            sim.step(life, "request_extension", at, handler, days=days)
            at = self.office(at, (30, 400))
            sim.step(life, "approve_extension", at, cast.supervisor)
        self._work_and_reply(sim, life, handler, message, late, speed)
        # Rated on the return visit, by the citizen on the H5 or by the supervisor's call.
        for round_ in range(2):
            at = self.working(life.case.updated_at, rng.uniform(0.2, 2.0))
            rater = case.citizen if case.citizen is not None and rng.random() < 0.6 else cast.supervisor
            good = quality + (0.08 if round_ else 0.0) - (0.15 if late else 0.0)
            roll = rng.random()
            if roll < good * 0.8:
                sim.step(life, "rate", at, rater, satisfaction=Satisfaction.SATISFIED, resolved=True)
                return
            if roll < good + 0.05:
                sim.step(life, "rate", at, rater, satisfaction=Satisfaction.BASICALLY, resolved=rng.random() < 0.8)
                return
            sim.step(
                life,
                "rate",
                at,
                rater,
                satisfaction=Satisfaction.UNSATISFIED,
                resolved=False,
                comment=rng.choice(RATING_COMMENTS),
            )
            at = self.office(at, (60, 900))
            if round_ or rng.random() < 0.4:
                sim.step(life, "close", at, cast.supervisor)
                return
            sim.step(life, "reopen", at, cast.supervisor)
            self._work_and_reply(sim, life, handler, message, rng.random() > quality, speed)

    def _work_and_reply(
        self, sim: Simulator, life: Life, handler: User, message: Message, late: bool, speed: float
    ) -> None:
        rng, case = self.rng, life.case
        assert case.due_at is not None and case.dispatched_at is not None
        span = self.calendar.working_days_between(case.updated_at, case.due_at)
        share = rng.uniform(1.05, 1.9) if late else min(0.97, rng.betavariate(2.2, 2.6) * speed)
        at = self.calendar.add(case.updated_at, max(0.05, span * share))
        if not late and at > case.due_at:
            at = case.due_at - timedelta(minutes=rng.randint(5, 240))
        at = max(at, case.updated_at + timedelta(minutes=10))
        sim.step(life, "reply", at, handler, reply=message.reply)
        at = self.office(at, (20, 300))
        sim.step(life, "approve_reply", at, self.cast.dispatcher)


@contextmanager
def _own_timestamps(*models_fields: tuple[type[Model], str]) -> Iterator[None]:
    """bulk_create stamps auto_now(_add) fields with the present; the history brings its own instants."""
    saved: list[tuple[DateTimeField[Any, Any], bool, bool]] = []
    for model, name in models_fields:
        f = model._meta.get_field(name)
        assert isinstance(f, DateTimeField)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now_, add in saved:
            f.auto_now, f.auto_now_add = now_, add


def _points_by_grid(rng: random.Random, grids: list[Unit], per_grid: int = 24) -> dict[int, list[tuple[float, float]]]:
    """A few points inside each grid's polygon, for the cases placed there."""
    found: dict[int, list[tuple[float, float]]] = {}
    for grid in grids:
        polygon = shape(grid.boundary)
        inside = prep(polygon)
        minx, miny, maxx, maxy = polygon.bounds
        points: list[tuple[float, float]] = []
        for _try in range(per_grid * 20):
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if inside.contains(p):
                points.append((round(p.x, 6), round(p.y, 6)))
                if len(points) == per_grid:
                    break
        if not points:
            p = polygon.representative_point()
            points.append((p.x, p.y))
        found[grid.pk] = points
    return found


def _cast(rng: random.Random) -> Cast:
    from suban.accounts.services import citizen_for_phone

    handlers: dict[int, User] = {}
    staff = (
        User.objects.filter(is_active=True, unit__path__startswith=DEMO_PATH, staff_roles__role__in=HANDLER_ROLES)
        .exclude(staff_roles__role__in=[Role.GRID_WORKER, Role.SPECIALIST])
        .select_related("unit")
        .order_by("pk")
        .distinct()
    )
    for user in staff:
        if user.unit_id is not None:
            handlers.setdefault(user.unit_id, user)
    workers: dict[int, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(is_active=True, unit__path__startswith=DEMO_PATH, staff_roles__role=Role.GRID_WORKER)
        .select_related("unit")
        .order_by("pk")
        .distinct()
    ):
        if user.unit_id is not None:
            workers[user.unit_id].append(user)
    citizens = [citizen_for_phone(f"1390001{i:04d}") for i in range(40)]
    return Cast(
        dispatcher=User.objects.select_related("unit").get(username="dispatcher"),
        supervisor=User.objects.select_related("unit").get(username="supervisor"),
        handlers=handlers,
        grid_workers=dict(workers),
        citizens=citizens,
    )


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


class Router:
    """suban.cases.routing.route with the responsibility list read once per matter (route() reads it for
    every case): the lead unit by the list, or the street of the place when the list has nothing."""

    def __init__(self) -> None:
        self.units = directory()
        self.memo: dict[tuple[int | None, str], tuple[Unit | None, str]] = {}

    def __call__(self, case: Case) -> tuple[Unit, bool]:
        assert case.grid is not None
        key = (case.matter_id, case.case_type)
        if key not in self.memo:
            responsibility = responsibility_for(case.matter)
            if (
                responsibility is not None
                and responsibility.department is not None
                and responsibility.start_level in ("", Level.DEPARTMENT)
            ):
                self.memo[key] = (responsibility.department, "")
            else:
                self.memo[key] = (None, start_level(case, responsibility))
        department, level = self.memo[key]
        if department is not None:
            return department, True
        if level == Level.GRID:
            return case.grid, True
        ladder: list[str] = [Level.COMMUNITY, Level.STREET, Level.DISTRICT]
        if level in ladder:
            for rung in ladder[ladder.index(level) :]:
                found = self.units.ancestor_of_kind(case.grid, KIND_OF_LEVEL[rung])
                if found is not None and found.kind != UnitKind.DISTRICT:
                    return found, True
        street = self.units.ancestor_of_kind(case.grid, UnitKind.STREET)
        return (street or case.grid), False


@contextmanager
def _remembered_workdays(calendar: WorkCalendar) -> Iterator[None]:
    """The calendar answers the same few hundred days tens of thousands of times here: remember them."""
    calendar.is_workday = functools.lru_cache(maxsize=None)(calendar.is_workday)  # type: ignore[method-assign]
    try:
        yield
    finally:
        del calendar.is_workday


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
    calendar = work_calendar()
    with _remembered_workdays(calendar):
        return _make(count, now, today, calendar, random.Random(seed))


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
    points = _points_by_grid(rng, grids)
    # Some grids are busier than others (old estates, the scenic coast): a skewed weight each.
    grid_weight = [rng.lognormvariate(0, 0.7) for _g in grids]
    cast = _cast(rng)
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
    _write(lives, numbers, reports, today)
    _grid_work(rng, cast, today, calendar, tz, reports)
    return len(lives)


def _settle(life: Life, now: datetime) -> None:
    """The clock's state at `now` for a life that stopped on its way: its warnings so far and the next check."""
    Simulator(now, work_calendar(), None).run_clock(life, now)


def _write(lives: list[Life], numbers: dict[date, int], reports: list[tuple[Life, User]], today: date) -> None:
    with (
        transaction.atomic(),
        _own_timestamps(
            (Case, "created_at"), (Case, "updated_at"), (SupervisionOrder, "created_at"), (GridReport, "created_at")
        ),
    ):
        cases = [life.case for life in lives]
        Case.objects.bulk_create(cases, batch_size=500)
        events, orders = [], []
        for life in lives:
            for event in life.events:
                event.case = life.case
                events.append(event)
            for order in life.orders:
                order.case = life.case
                if life.case.replied_at is not None and life.case.replied_at > order.created_at:
                    order.state, order.done_at = SupervisionOrder.State.DONE, life.case.replied_at
                orders.append(order)
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        SupervisionOrder.objects.bulk_create(orders, batch_size=1000)
        GridReport.objects.bulk_create(
            [
                GridReport(
                    case=life.case,
                    worker=worker,
                    grid=life.case.grid,
                    located_by=GridReport.Located.GPS,
                    created_at=life.case.created_at,
                )
                for life, worker in reports
            ],
            batch_size=1000,
        )
        existing = set(CaseNumberCounter.objects.filter(day__in=list(numbers)).values_list("day", flat=True))
        for day in existing:
            CaseNumberCounter.objects.filter(day=day, last__lt=numbers[day]).update(last=numbers[day])
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(day=d, last=n) for d, n in numbers.items() if d not in existing and d < today]
        )


def _grid_work(
    rng: random.Random,
    cast: Cast,
    today: date,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    reports: list[tuple[Life, User]],
) -> None:
    """Patrols and work-log entries of every grid worker on the working days of the year."""
    reported: Counter[tuple[int, date]] = Counter()
    for life, worker in reports:
        assert life.case.created_at is not None
        reported[(worker.pk, timezone.localdate(life.case.created_at))] += 1
    kinds = list(WORK_TEXT)
    kind_w = [5, 3, 1, 2, 1]
    patrols: list[Patrol] = []
    entries: list[WorkLogEntry] = []
    for grid_id, workers in cast.grid_workers.items():
        for worker in workers:
            diligence = min(0.97, max(0.25, rng.gauss(0.72, 0.18)))
            for back in range(GRID_WORK_DAYS, 0, -1):
                day = today - timedelta(days=back)
                if not calendar.is_workday(day) or rng.random() > diligence:
                    continue
                start = datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), tz)
                minutes = rng.randint(40, 150)
                patrols.append(
                    Patrol(
                        worker=worker,
                        grid_id=grid_id,
                        started_at=start,
                        ended_at=start + timedelta(minutes=minutes),
                        distance_m=int(minutes * rng.uniform(40, 70)),
                        note="",
                    )
                )
                for _n in range(1 + (rng.random() < diligence * 0.6) + reported[(worker.pk, day)]):
                    kind = rng.choices(kinds, kind_w)[0]
                    entries.append(
                        WorkLogEntry(
                            worker=worker, grid_id=grid_id, date=day, kind=kind, text=rng.choice(WORK_TEXT[kind])
                        )
                    )
    with _own_timestamps((WorkLogEntry, "created_at")):
        for entry in entries:
            entry.created_at = datetime.combine(entry.date, time(17, 30), tz)
        Patrol.objects.bulk_create(patrols, batch_size=2000)
        WorkLogEntry.objects.bulk_create(entries, batch_size=2000)
