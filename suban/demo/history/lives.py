"""A case's life (its case and the events of its steps) and the Simulator that takes it through the steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from suban.accounts.models import User
from suban.cases import deadlines
from suban.cases.clock import OVERDUE_NOTE
from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.models import Alert, Case, CaseEvent, Satisfaction, Status, SupervisionOrder
from suban.cases.routing import level_of
from suban.cases.services.handling import SUPERVISION_DAYS
from suban.org.models import Unit
from suban.workdays.calendar import WorkCalendar


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
                due = self.calendar.office(case.unit_path).add_days(at, SUPERVISION_DAYS)
                case.supervision_count += 1
                note = str(OVERDUE_NOTE)  # the real clock's words
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
        in_time = bool(case.due_at and at <= case.due_at)
        self._event(life, "reply", at, by, public=False, data={"reply": reply, "in_time": in_time})

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
        case.satisfaction, case.resolved, case.rating_comment = "", None, ""
        self._event(life, "reopen", at, by, note="群众不满意，请重新办理并再次答复。")

    def _close(self, life: Life, at: datetime, by: User) -> None:
        case = life.case
        case.closed_at, case.next_check_at = at, None
        self._event(life, "close", at, by, note="经回访核实，已按政策答复，予以办结。")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
