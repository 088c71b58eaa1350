"""The Planner: when each step of a case's life comes and how the life goes; the Simulator carries it out."""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from suban.accounts.models import User
from suban.cases.models import Satisfaction
from suban.cases.services.intake import DeclineReason
from suban.demo.history.district import Cast
from suban.demo.history.lives import Life, Simulator
from suban.demo.seed_cases import Message
from suban.demo.seed_catalogue import DEMO_PATH
from suban.org.models import Unit
from suban.workdays.calendar import WorkCalendar

DECLINE_SHARE = 0.03
RETURN_SHARE = 0.05
EXTENSION_SHARE = 0.07
NOTES = ("已联系诉求人，正在现场核实。", "已约谈相关单位，督促限期整改。", "已会同社区现场查看，正在协调处理。")
RATING_COMMENTS = ("问题仍未解决。", "答复敷衍，没有实际处理。", "处理太慢。")


class Planner:
    """Decides when each case arrives and how its life goes; the Simulator carries it out."""

    def __init__(self, rng: random.Random, now: datetime, calendar: WorkCalendar, cast: Cast) -> None:
        self.rng = rng
        self.now = now
        self.calendar = calendar
        self.clock = calendar.office(DEMO_PATH)  # every case of the history is the demo district's
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
        return self.office(self.clock.add(moment, self.clock.days(days)), (0, 30))

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
        span = self.clock.working_days_between(case.updated_at, case.due_at)
        share = rng.uniform(1.05, 1.9) if late else min(0.97, rng.betavariate(2.2, 2.6) * speed)
        at = self.clock.add(case.updated_at, self.clock.days(max(0.05, span * share)))
        if not late and at > case.due_at:
            at = case.due_at - timedelta(minutes=rng.randint(5, 240))
        at = max(at, case.updated_at + timedelta(minutes=10))
        sim.step(life, "reply", at, handler, reply=message.reply)
        at = self.office(at, (20, 300))
        sim.step(life, "approve_reply", at, self.cast.dispatcher)
