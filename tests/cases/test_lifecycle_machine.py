"""Random action sequences through the service layer, against the transition table and the deadline rules.

A Hypothesis state machine keeps a few cases, has random members of the cast (the right ones and the
wrong ones: the other street, a citizen who does not own the case, the admin roles, a disabled account,
the system) try random actions with valid and invalid arguments, moves a frozen clock forward and runs
the deadline clock. After every step it checks:

(a) every open case has exactly one responsible unit, and its path copy is that unit's path;
(b) replaying the event log gives the current status and version (seq 1..version, first event submit,
    every step allowed by the table);
(c) no deadline is earlier than the rules allow, and the warning is exactly one working day before it;
(d) an action the table does not allow fails with a DomainError and writes nothing; an allowed one fails
    only for a reason the model predicts (and then writes nothing), and otherwise succeeds.

Each example runs inside a savepoint that is rolled back at its end. For a longer hunt than the 50 examples
of the suite: MACHINE_EXAMPLES=1000 pytest tests/cases/test_lifecycle_machine.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from suban import crypto
from suban.accounts.services import staff_create
from suban.cases import deadlines, services
from suban.cases.clock import run_clock
from suban.cases.lifecycle import BY_ACTION, SAME, allowed, relations
from suban.cases.models import (
    TERMINAL,
    Alert,
    Case,
    CaseEvent,
    CoHandler,
    Satisfaction,
    Status,
    SupervisionOrder,
)
from suban.cases.services import DeclineReason
from suban.errors import Conflict, DomainError, Forbidden, Invalid
from suban.org.models import Unit, UnitKind
from suban.workdays.calendar import work_calendar
from tests.cases.timing import FrozenTime, at
from tests.conftest import PASSWORD

DAY = timedelta(days=1)
EPSILON = timedelta(milliseconds=1)

ACTORS: list[str | None] = [
    "dora",
    "sam",
    "leo",
    "alice",
    "bob",
    "carol",
    "gary",
    "dan",
    "sysadmin",
    "secadmin",
    "auditor",
    "cindy",
    "chen",
    "ghost",  # a disabled community handler of S1C1
    None,  # the system
]
UNIT_CODES: list[str | None] = [
    None,
    "D",
    "S1",
    "S2",
    "S1C1",
    "S1C2",
    "S2C1",
    "S1C1G1",
    "S1C1G2",
    "S1C2G1",
    "S2C1G1",
    "S1C1X",
    "DEPT1",
    "DEPT2",
]
TEXTS = st.sampled_from(["", "   ", *(["已核实，需要处理", "请尽快处理", "按规定办理", "已联系当事人"] * 2)])
GOOD_DAYS = [1, 2, "0.5", "1.5", 3, 10]
BAD_DAYS = [11, 0, -1, "1.3", "0.25", "abc", "NaN", "Infinity", "1e300", True, 101]
DAYS = st.one_of(st.sampled_from(GOOD_DAYS), st.sampled_from(BAD_DAYS))
VERSIONS = st.sampled_from(["none", "none", "none", "none", "current", "current", "stale"])
STARTS = [at(2026, 2, 12, 9, 30), at(2025, 9, 29, 16), at(2026, 4, 30, 11), at(2026, 12, 28, 10), at(2026, 6, 1, 8)]
START_LEVEL = {"livelihood": UnitKind.COMMUNITY, "development": UnitKind.STREET}
TALLY: dict[str, int] = {}  # successful actions (and the clock's warnings) over all examples
# Actions that give the case a fresh deadline.
CLOCK_STARTS = {"dispatch", "escalate", "raise_level", "reopen"}

# The services, by the name of their action (review_reply and decide_extension stand for two table actions).
ACTIONS = [
    "accept",
    "decline",
    "merge",
    "dispatch",
    "claim",
    "return",
    "reject_return",
    "escalate",
    "whistle",
    "note",
    "request_extension",
    "decide_extension",
    "hold",
    "resume",
    "reply",
    "review_reply",
    "rate",
    "reopen",
    "close",
    "supervise",
    "raise_level",
    "add_info",
]


TABLE_ACTIONS = {a: (a,) for a in ACTIONS} | {
    "review_reply": ("approve_reply", "send_back"),
    "decide_extension": ("approve_extension", "reject_extension"),
}


# Orders of a hotline batch (intake_many), each with whether it can be taken in.
BATCH: list[tuple[Callable[[dict[str, Unit]], dict[str, Any]], bool]] = [
    (
        lambda u: {
            "title": "路灯不亮",
            "channel": "hotline",
            "longitude": 120.005,
            "latitude": 36.005,
            "dispatch": True,
        },
        True,
    ),
    (
        lambda u: {
            "title": "工地夜间施工",
            "channel": "hotline",
            "case_type": "development",
            "urgency": "urgent",
            "longitude": 119.985,
            "latitude": 36.005,
            "dispatch": True,
        },
        True,
    ),
    (
        lambda u: {
            "title": "热线来电",
            "channel": "hotline",
            "contact_phone": "13800000009",
            "dispatch": True,
            "unit": u["S1C1G1"],
            "co_units": [u["DEPT1"]],
        },
        True,
    ),
    (lambda u: {"title": "噪音扰民", "channel": "hotline"}, True),
    (lambda u: {"title": "无处可派", "channel": "hotline", "dispatch": True}, False),
    (lambda u: {"title": "  ", "channel": "hotline"}, False),
]


def blank(text: str) -> bool:
    return not text.strip()


def valid_days(value: Any) -> bool:
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return days.is_finite() and 0 < days <= 100 and (days * 2) == (days * 2).to_integral_value()


def row(pk: int) -> dict[str, Any]:
    return dict(Case.objects.filter(pk=pk).values().get())


@dataclass
class Footprint:
    """Everything an action may write, to prove a refused action wrote nothing."""

    rows: dict[int, dict[str, Any]]
    events: int
    co_handlers: int
    orders: int

    @classmethod
    def take(cls) -> Footprint:
        return cls(
            rows={c["id"]: dict(c) for c in Case.objects.values()},
            events=CaseEvent.objects.count(),
            co_handlers=CoHandler.objects.count(),
            orders=SupervisionOrder.objects.count(),
        )


class CaseMachine(RuleBasedStateMachine):
    people: dict[str, Any]
    units: dict[str, Unit]
    time: FrozenTime

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.cases: list[int] = []
        self.snapshots: dict[int, Case] = {}

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # --- helpers ---------------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.time()

    def who(self, name: str | None) -> Any:
        return None if name is None else self.people[name]

    def unit(self, code: str | None) -> Unit | None:
        return None if code is None else self.units[code]

    def fresh(self, pk: int) -> Case:
        return Case.objects.select_related("unit", "grid").get(pk=pk)

    def submit(self, by: str | None, **kwargs: Any) -> Case:
        case = services.case_submit(by=self.who(by), **kwargs)
        self.cases.append(case.pk)
        return case

    # --- setup -----------------------------------------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS), progress=st.lists(st.integers(0, 10), min_size=3, max_size=3))
    def start(self, start: datetime, progress: list[int]) -> None:
        """Three cases, each taken some way along the usual path so that every state is soon reached."""
        self.time.set(start)
        # Cindy's street light in S1C1G1 (a livelihood case: it goes to the community S1C1, to carol).
        self.submit("cindy", title="路灯不亮", longitude=120.005, latitude=36.005)
        # Chen, anonymously, about a building site in S2C1G1 (development: it goes to the street S2, to bob).
        self.submit(
            "chen", title="工地夜间施工", case_type="development", longitude=119.985, latitude=36.005, anonymous=True
        )
        # A hotline call with no place and no citizen: the dispatcher sends it to gary's grid by hand.
        self.submit("dora", title="热线来电", channel="hotline", contact_phone="0532-88886666", urgency="urgent")
        for pk, (lead, owner, unit), steps in zip(
            self.cases,
            [("carol", "cindy", None), ("bob", "sam", None), ("gary", "sam", "S1C1G1")],
            progress,
            strict=True,
        ):
            self.walk(pk, steps, lead=lead, owner=owner, unit=unit)

    def walk(self, pk: int, steps: int, *, lead: str, owner: str, unit: str | None) -> None:
        dora, sam, handler, rater = (self.people[n] for n in ("dora", "sam", lead, owner))
        path: list[Callable[[Case], Any]] = [
            lambda c: services.case_accept(case=c, by=dora),
            lambda c: services.case_dispatch(case=c, by=dora, unit=self.unit(unit), co_units=[self.units["DEPT1"]]),
            lambda c: services.case_claim(case=c, by=handler),
            lambda c: services.case_request_extension(case=c, by=handler, days=2, reason="需协调"),
            lambda c: services.case_decide_extension(case=c, by=sam, approve=True),
            lambda c: services.case_hold(case=c, by=sam, reason="等待鉴定"),
            lambda c: services.case_resume(case=c, by=sam),
            lambda c: services.case_reply(case=c, by=handler, reply="已处理"),
            lambda c: services.case_review_reply(case=c, by=dora, approve=True),
            lambda c: services.case_rate(case=c, by=rater, satisfaction="unsatisfied", resolved=False),
        ]
        for step in path[:steps]:
            step(self.fresh(pk))
            self.time.advance(hours=5)

    # --- rules -----------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.cases) < 6)
    @rule(
        by=st.sampled_from(ACTORS),
        title=st.sampled_from(["", "  ", "井盖缺失", "噪音扰民"]),
        place=st.sampled_from([None, (120.015, 36.005), (119.985, 36.005), (120.005, None)]),
        case_type=st.sampled_from(["livelihood", "development"]),
        urgency=st.sampled_from(["normal", "urgent", "critical"]),
        phone=st.sampled_from(["", "13800000009", "+86 138-0000-0009", "12345"]),
    )
    def submit_one(
        self,
        by: str | None,
        title: str,
        place: tuple[float, float | None] | None,
        case_type: str,
        urgency: str,
        phone: str,
    ) -> None:
        actor = self.who(by)
        expected: type[DomainError] | None = None
        if actor is not None and not actor.is_citizen and (actor.admin_role or not actor.roles):
            expected = Forbidden
        elif blank(title) or (place is not None and place[1] is None):
            expected = Invalid
        elif phone:
            try:
                crypto.normalize_phone(phone)
            except Invalid:
                expected = Invalid
        before = Footprint.take()
        lon, lat = place if place is not None else (None, None)
        try:
            case = self.submit(
                by,
                title=title,
                case_type=case_type,
                urgency=urgency,
                longitude=lon,
                latitude=lat,
                contact_phone=phone,
            )
        except DomainError as exc:
            assert expected is not None and isinstance(exc, expected), f"submit refused: {exc!r}"
            assert Footprint.take() == before
            return
        assert expected is None, f"submit should have failed with {expected.__name__}"
        case.refresh_from_db()
        assert case.status == Status.NEW and case.version == 1
        assert case.unit == self.units["D"] and len(case.number) == 13
        assert case.citizen_id == (actor.pk if actor is not None and actor.is_citizen else None)
        if phone:
            assert case.contact_phone == crypto.normalize_phone(phone)
            assert crypto.normalize_phone(phone) not in case.contact_phone_encrypted

    @precondition(lambda self: len(self.cases) < 6)
    @rule(
        by=st.sampled_from(["dora", "dora", "dora", "carol", "cindy", "sysadmin"]),
        picks=st.lists(st.integers(0, len(BATCH) - 1), min_size=1, max_size=3),
    )
    def take_in_batch(self, by: str, picks: list[int]) -> None:
        """A hotline's batch through intake_many: all its orders taken in (and dispatched), or none."""
        actor = self.who(by)
        orders = [BATCH[i][0](self.units) for i in picks]
        expected: type[DomainError] | None = None
        if (
            actor.is_citizen
            or actor.admin_role
            or not actor.roles
            or (any(o.get("dispatch") for o in orders) and "dispatcher" not in actor.roles)
        ):
            expected = Forbidden
        elif not all(BATCH[i][1] for i in picks):
            expected = Invalid  # OrdersInvalid
        before = Footprint.take()
        try:
            taken = services.intake_many(by=actor, orders=orders)
        except DomainError as exc:
            assert expected is not None and isinstance(exc, expected), f"batch refused: {exc!r}"
            assert Footprint.take() == before
            return
        assert expected is None, f"the batch should have failed with {expected.__name__}"
        TALLY["batch"] = TALLY.get("batch", 0) + 1
        for order, t in zip(orders, taken, strict=True):
            assert t.created
            case = self.fresh(t.case.pk)
            assert (case.status, case.version) == ((Status.DISPATCHED, 3) if order.get("dispatch") else (Status.NEW, 1))
            self.cases.append(case.pk)

    @rule(hours=st.sampled_from([1, 3, 8, 20, 30, 49, 75, 0, 0]))
    def wait(self, hours: int) -> None:
        """Let time pass: some hours, or (0) until a minute after the next moment the clock must look."""
        if hours:
            self.time.advance(hours=hours)
            return
        pending = Case.objects.filter(next_check_at__isnull=False).order_by("next_check_at").first()
        if pending is not None and pending.next_check_at is not None and pending.next_check_at > self.now:
            self.time.set(pending.next_check_at + timedelta(minutes=1))

    @rule()
    def tick(self) -> None:
        now = self.now
        run = run_clock(now)
        TALLY["warn"] = TALLY.get("warn", 0) + run.warned
        TALLY["overdue"] = TALLY.get("overdue", 0) + run.overdue
        assert run.skipped == 0, run
        for case in Case.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED]):
            assert case.alert == deadlines.current_alert(case, now), case.number
            assert case.next_check_at is None or case.next_check_at > now, case.number
        before = Footprint.take()
        again = run_clock(now)
        assert (again.warned, again.overdue) == (0, 0), again
        assert Footprint.take() == before

    ACT: dict[str, Any] = {
        "i": st.integers(0, 5),
        "steer": st.sampled_from([True, True, True, True, False]),
        "version": VERSIONS,
        "stale": st.sampled_from(["fresh", "fresh", "fresh", "keep", "use"]),
        "data": st.data(),
    }

    @rule(**ACT)
    def act(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        """One action on one case: mostly one the table allows to someone now, sometimes anything by anyone."""
        self.attempt(i, steer, version, stale, data)

    @rule(**ACT)
    def act_once_more(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        self.attempt(i, steer, version, stale, data)

    @rule(**ACT)
    def act_again(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        """The same rule twice, so that actions outnumber waiting and ticking."""
        self.attempt(i, steer, version, stale, data)

    def attempt(self, i: int, steer: bool, version: str, copy: str, data: st.DataObject) -> None:
        """copy: act on a fresh copy; or keep this fresh copy for later; or act on a copy kept earlier."""
        pk = self.cases[i % len(self.cases)]
        case_before = self.fresh(pk)
        stale = self.snapshots.get(pk) if copy == "use" else None
        if stale is not None and stale.version == case_before.version:
            stale = None
        target = stale if stale is not None else self.fresh(pk)
        if copy == "keep":
            self.snapshots[pk] = self.fresh(pk)
        pairs = self.allowed_pairs(case_before) if steer else []
        if pairs and data.draw(st.sampled_from([True, True, True, False]), label="spare the case"):
            # Declining and merging end a case's life: keep most cases alive for the later actions.
            pairs = [p for p in pairs if p[0] not in ("decline", "merge")] or pairs
        if pairs:
            action = data.draw(st.sampled_from(sorted({a for a, _ in pairs}, key=ACTIONS.index)), label="action")
            by = data.draw(st.sampled_from([b for a, b in pairs if a == action]), label="actor")
        else:
            action = data.draw(st.sampled_from(ACTIONS), label="action")
            by = data.draw(st.sampled_from(ACTORS), label="actor")
        actor = self.who(by)
        kwargs, call, table_action, predicted = self.prepare(action, case_before, actor, data)
        if version == "current":
            kwargs["expected_version"] = target.version
        elif version == "stale":
            kwargs["expected_version"] = case_before.version - 1

        transition = BY_ACTION[table_action]
        if version == "stale":
            expected: type[DomainError] | None = Conflict
        elif not transition.actors & relations(case_before, actor):
            expected = Forbidden
        elif case_before.status not in transition.sources:
            expected = Conflict
        else:
            assert allowed(case_before, table_action, actor)
            expected = predicted

        before = Footprint.take()
        now = self.now
        try:
            result = call(case=target, by=actor, **kwargs)
        except DomainError as exc:
            # (d) a refusal writes nothing at all.
            assert Footprint.take() == before, f"{action} failed with {exc!r} but wrote"
            if stale is None:
                # The caller's copy is left as the database has it (no half-applied change in memory).
                assert {k: v for k, v in target.__dict__.items() if not k.startswith("_")} == {
                    k: v for k, v in self.fresh(pk).__dict__.items() if not k.startswith("_")
                }, f"{action} failed with {exc!r} but changed the caller's copy"
                assert expected is not None, f"{action} by {by} refused: {exc!r}"
                assert isinstance(exc, expected), f"{action} by {by}: {exc!r}, expected {expected.__name__}"
            return
        assert stale is None, f"{action} on a stale copy succeeded"
        assert expected is None, f"{action} by {by} succeeded; expected {expected.__name__}"
        TALLY[table_action] = TALLY.get(table_action, 0) + 1
        self.after_success(table_action, case_before, actor, kwargs, result, before, now)

    # --- the model of each action -----------------------------------------------------------------------

    def prepare(
        self, action: str, case: Case, actor: Any, data: st.DataObject
    ) -> tuple[dict[str, Any], Callable[..., Any], str, type[DomainError] | None]:
        """The arguments, the service, the table's action and the model's prediction for an allowed actor."""
        draw = data.draw
        now = self.now
        if action == "accept":
            return {"note": draw(TEXTS)}, services.case_accept, "accept", None
        if action == "decline":
            reason = draw(st.sampled_from([*DeclineReason.values, "", "bored"]))
            bad = reason not in DeclineReason.values
            return {"reason": reason, "note": draw(TEXTS)}, services.case_decline, "decline", Invalid if bad else None
        if action == "merge":
            into = self.fresh(self.cases[draw(st.integers(0, 5)) % len(self.cases)])
            absorb = BY_ACTION["absorb"]
            expected: type[DomainError] | None = None
            if into.pk == case.pk or into.merged_into_id is not None:
                expected = Invalid
            elif not absorb.actors & relations(into, actor):
                expected = Forbidden
            elif into.status not in absorb.sources:
                expected = Conflict
            return {"into": into, "note": draw(TEXTS)}, services.case_merge, "merge", expected
        if action == "dispatch":
            unit = self.unit(draw(st.sampled_from(UNIT_CODES)))
            co = [
                self.units[c] for c in draw(st.lists(st.sampled_from(["S1C2", "DEPT1", "DEPT2", "S1C1"]), max_size=2))
            ]
            lead = unit if unit is not None else self.route(case)
            bad = lead is None or lead.kind == UnitKind.DISTRICT
            return (
                {"unit": unit, "co_units": co, "note": draw(TEXTS)},
                services.case_dispatch,
                "dispatch",
                Invalid if bad else None,
            )
        if action == "claim":
            return {}, services.case_claim, "claim", None
        if action == "return":
            reason = draw(TEXTS)
            late = case.dispatched_at is not None and work_calendar().between(case.dispatched_at, now) > 2 * DAY
            bad = blank(reason) or case.return_final or late
            return {"reason": reason}, services.case_return, "return", Invalid if bad else None
        if action == "reject_return":
            note = draw(TEXTS)
            return {"note": note}, services.case_reject_return, "reject_return", Invalid if blank(note) else None
        if action == "escalate":
            to_unit = self.unit(draw(st.sampled_from(UNIT_CODES)))
            note = draw(TEXTS)
            assert case.unit is not None
            if to_unit is None:
                up = self.next_up(case.unit)
                bad = up is None
            else:
                bad = (to_unit.kind != UnitKind.DEPARTMENT and not case.unit.path.startswith(to_unit.path)) or (
                    to_unit.pk == case.unit_id
                )
            bad = bad or blank(note)
            return {"to_unit": to_unit, "note": note}, services.case_escalate, "escalate", Invalid if bad else None
        if action == "whistle":
            unit = self.units[draw(st.sampled_from([c for c in UNIT_CODES if c is not None]))]
            person_name = draw(st.sampled_from([None, "dan", "carol", "gary", "alice", "cindy"]))
            person = self.who(person_name)
            bad = unit.pk == case.unit_id or (person is not None and person.unit_id != unit.pk)
            return (
                {"unit": unit, "person": person, "note": draw(TEXTS)},
                services.case_whistle,
                "whistle",
                Invalid if bad else None,
            )
        if action == "note":
            note = draw(TEXTS)
            kwargs = {"note": note, "public": draw(st.booleans())}
            return kwargs, services.case_note, "note", Invalid if blank(note) else None
        if action == "request_extension":
            days, reason = draw(DAYS), draw(TEXTS)
            bad = blank(reason) or case.pending_extension_days is not None or not valid_days(days)
            bad = bad or case.extension_days + Decimal(str(days)) > deadlines.MAX_EXTENSION_DAYS
            return (
                {"days": days, "reason": reason},
                services.case_request_extension,
                "request_extension",
                Invalid if bad else None,
            )
        if action == "decide_extension":
            approve = draw(st.booleans())
            bad = case.pending_extension_days is None
            return (
                {"approve": approve, "note": draw(TEXTS)},
                services.case_decide_extension,
                "approve_extension" if approve else "reject_extension",
                Invalid if bad else None,
            )
        if action == "hold":
            reason = draw(TEXTS)
            return {"reason": reason}, services.case_hold, "hold", Invalid if blank(reason) else None
        if action == "resume":
            return {"note": draw(TEXTS)}, services.case_resume, "resume", None
        if action == "reply":
            reply = draw(TEXTS)
            return {"reply": reply}, services.case_reply, "reply", Invalid if blank(reply) else None
        if action == "review_reply":
            approve, note = draw(st.booleans()), draw(TEXTS)
            bad = not approve and blank(note)
            return (
                {"approve": approve, "note": note},
                services.case_review_reply,
                "approve_reply" if approve else "send_back",
                Invalid if bad else None,
            )
        if action == "rate":
            satisfaction = draw(st.sampled_from([*Satisfaction.values, "meh"]))
            kwargs = {"satisfaction": satisfaction, "resolved": draw(st.booleans()), "comment": draw(TEXTS)}
            return kwargs, services.case_rate, "rate", None if satisfaction in Satisfaction.values else Invalid
        if action == "reopen":
            note = draw(TEXTS)
            return {"note": note}, services.case_reopen, "reopen", Invalid if blank(note) else None
        if action == "close":
            note = draw(TEXTS)
            bad = case.status == Status.UNSATISFIED and blank(note)
            return {"note": note}, services.case_close, "close", Invalid if bad else None
        if action == "supervise":
            note, days = draw(TEXTS), draw(DAYS)
            bad = blank(note) or not valid_days(days)
            return {"note": note, "days": days}, services.case_supervise, "supervise", Invalid if bad else None
        if action == "raise_level":
            unit = self.units[draw(st.sampled_from([c for c in UNIT_CODES if c is not None]))]
            note = draw(TEXTS)
            assert case.unit is not None
            bad = blank(note) or unit.pk == case.unit_id
            bad = bad or (unit.kind != UnitKind.DEPARTMENT and not case.unit.path.startswith(unit.path))
            return (
                {"unit": unit, "note": note},
                services.case_raise_level,
                "raise_level",
                Invalid if bad else None,
            )
        assert action == "add_info"
        text = draw(TEXTS)
        return {"text": text}, services.case_add_info, "add_info", Invalid if blank(text) else None

    def allowed_pairs(self, case: Case) -> list[tuple[str, str | None]]:
        """(service action, actor) pairs the table allows on `case` now."""
        mine = {name: relations(case, self.who(name)) for name in ACTORS}
        return [
            (action, name)
            for action in ACTIONS
            for name in ACTORS
            if any(
                case.status in BY_ACTION[t].sources and BY_ACTION[t].actors & mine[name] for t in TABLE_ACTIONS[action]
            )
        ]

    def route(self, case: Case) -> Unit | None:
        """The responsibility list as the model knows it: no matter, start level by type, from the grid."""
        if case.grid is None:
            return None
        kind = START_LEVEL[case.case_type]
        return next(u for u in self.units.values() if u.kind == kind and case.grid.path.startswith(u.path))

    def next_up(self, unit: Unit) -> Unit | None:
        codes = [c for c in unit.path.split("/") if c][:-1]
        for code in reversed(codes):
            if self.units[code].kind in (UnitKind.COMMUNITY, UnitKind.STREET, UnitKind.DISTRICT):
                return self.units[code]
        return None

    def after_success(
        self,
        action: str,
        before: Case,
        actor: Any,
        kwargs: dict[str, Any],
        result: Any,
        footprint: Footprint,
        now: datetime,
    ) -> None:
        case = self.fresh(before.pk)
        transition = BY_ACTION[action]
        target: str
        if action == "rate":
            satisfied = kwargs["satisfaction"] != Satisfaction.UNSATISFIED
            target = Status.CLOSED if satisfied else Status.UNSATISFIED
        elif SAME in transition.targets:
            target = Status(before.status)
        else:
            (target,) = transition.targets
        assert case.status == target, (action, case.status, target)
        assert case.version == before.version + 1
        new_events = list(CaseEvent.objects.filter(case=case, seq__gt=before.version))
        assert [(e.seq, e.action, e.actor_id) for e in new_events] == [
            (case.version, action, actor.pk if actor is not None else None)
        ]
        others = {pk: r for pk, r in footprint.rows.items() if pk != case.pk}
        into = kwargs.get("into")
        if action == "merge":
            assert into is not None
            absorbed, was = row(into.pk), footprint.rows[into.pk]
            assert absorbed["version"] == was["version"] + 1
            assert absorbed["support_count"] == was["support_count"] + before.support_count
            assert case.merged_into_id == into.pk and case.closed_at == now
            others.pop(into.pk)
            assert CaseEvent.objects.count() == footprint.events + 2
        else:
            assert CaseEvent.objects.count() == footprint.events + 1
        # No other case changed.
        assert {pk: row(pk) for pk in others} == others

        if action in ("dispatch", "escalate", "raise_level"):
            lead = kwargs.get("unit") or kwargs.get("to_unit")
            if lead is None:
                lead = self.route(case) if action == "dispatch" else self.next_up(before.unit)  # type: ignore[arg-type]
            assert case.unit == lead and case.handler_id is None
            # The ruling on a return binds the unit that returned the case, not the next one.
            assert case.return_final == (before.return_final and case.unit_id == before.unit_id)
            assert not CoHandler.objects.filter(case=case, unit=lead).exists()
        if action in CLOCK_STARTS:
            limits = deadlines.limits_for(
                case_type=case.case_type, nature=case.nature, level=case.level, urgency=case.urgency
            )
            assert case.dispatched_at == now and case.limit_days == limits.working_days
            assert case.due_at == work_calendar().add(now, float(limits.working_days))
            assert case.extension_days == 0 and case.pending_extension_days is None
            assert case.alert == Alert.NONE and case.held_at is None
        if action == "claim":
            assert case.handler_id == actor.pk and case.claimed_at == now
        if action == "return":
            assert case.return_count == before.return_count + 1
        if action == "reject_return":
            assert case.return_final and case.unit_id == before.unit_id
        if action == "whistle":
            assert CoHandler.objects.filter(case=case, unit=kwargs["unit"]).exists()
        if action == "request_extension":
            assert case.pending_extension_days == Decimal(str(kwargs["days"]))
        if action == "approve_extension":
            assert before.due_at is not None and before.pending_extension_days is not None
            assert case.extension_days == before.extension_days + before.pending_extension_days
            assert case.due_at == work_calendar().add(before.due_at, float(before.pending_extension_days))
        if action in ("approve_extension", "reject_extension"):
            assert case.pending_extension_days is None
        if action == "hold":
            assert case.held_at == now and case.next_check_at is None
        if action == "resume":
            assert case.held_at is None
        if action == "supervise":
            assert isinstance(result, SupervisionOrder) and result.unit_id == case.unit_id
            assert result.due_at == work_calendar().add(now, float(Decimal(str(kwargs["days"]))))
            assert SupervisionOrder.objects.count() == footprint.orders + 1
            assert case.supervision_count == before.supervision_count + 1
        if action in ("decline", "rate", "close") and case.status in TERMINAL:
            assert case.closed_at == now and case.next_check_at is None

    # --- invariants ------------------------------------------------------------------------------------

    @invariant()
    def every_open_case_has_one_responsible_unit(self) -> None:
        co_units = set(CoHandler.objects.filter(case_id__in=self.cases).values_list("case_id", "unit_id"))
        for case in Case.objects.filter(pk__in=self.cases).select_related("unit", "grid", "handler"):
            if case.is_open:
                assert case.unit is not None, case.number
                assert case.unit_path == case.unit.path, case.number
                # The lead unit is the one responsible: it is not at the same time one of the co-handlers,
                # and the handler who claimed the case belongs to it.
                assert (case.pk, case.unit_id) not in co_units, case.number
                assert case.handler is None or case.handler.unit_id == case.unit_id, case.number
            if case.status == Status.IN_PROGRESS:
                assert case.claimed_at is not None and case.handler_id is not None, case.number
            assert case.area_path == (case.grid.path if case.grid is not None else "")

    @invariant()
    def the_event_log_replays_to_the_case(self) -> None:
        events: dict[int, list[CaseEvent]] = {}
        for event in CaseEvent.objects.filter(case_id__in=self.cases).order_by("case_id", "seq"):
            events.setdefault(event.case_id, []).append(event)
        for case in Case.objects.filter(pk__in=self.cases):
            log = events[case.pk]
            assert [e.seq for e in log] == list(range(1, case.version + 1)), case.number
            first = log[0]
            assert (first.action, first.from_status, first.to_status) == ("submit", "", Status.NEW)
            status = first.to_status
            for event in log[1:]:
                transition = BY_ACTION[event.action]
                assert event.from_status == status, (case.number, event.seq, event.action)
                assert status in transition.sources, (case.number, event.seq, event.action, status)
                if SAME in transition.targets:
                    assert event.to_status == status
                else:
                    assert event.to_status in transition.targets
                status = event.to_status
            assert status == case.status, case.number
            # The clock's overdue always opens an automatic supervision order in the same step.
            for n, event in enumerate(log):
                if event.action == "overdue":
                    follow = log[n + 1] if n + 1 < len(log) else None
                    assert follow is not None and follow.action == "supervise" and follow.data["automatic"]

    @invariant()
    def no_deadline_is_earlier_than_the_rules_allow(self) -> None:
        calendar = work_calendar()
        events: dict[int, list[CaseEvent]] = {}
        for event in CaseEvent.objects.filter(case_id__in=self.cases).order_by("case_id", "seq"):
            events.setdefault(event.case_id, []).append(event)
        for case in Case.objects.filter(pk__in=self.cases):
            assert (case.held_at is not None) == (case.status == Status.ON_HOLD), case.number
            if case.status not in (Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED):
                assert case.next_check_at is None, (case.number, case.status)
            elif case.next_check_at is None:
                assert case.alert == Alert.RED, case.number
            if case.due_at is None:
                assert case.status in (Status.NEW, Status.ACCEPTED, Status.DECLINED, Status.MERGED), case.number
                continue
            assert case.dispatched_at is not None and case.limit_days is not None and case.warn_at is not None
            earliest = calendar.add(case.dispatched_at, float(case.limit_days))
            assert case.due_at >= earliest - EPSILON, case.number
            assert case.warn_at == calendar.subtract(case.due_at, deadlines.WARN_DAYS), case.number
            assert 0 <= case.extension_days <= deadlines.MAX_EXTENSION_DAYS
            # Exactly: the limit, the extensions and the working time spent on hold since the clock started.
            log = events[case.pk]
            start = max(n for n, e in enumerate(log) if e.action in CLOCK_STARTS)
            held, since = timedelta(0), None
            for event in log[start + 1 :]:
                if event.action == "hold":
                    since = event.at
                elif event.action == "resume":
                    assert since is not None
                    held += calendar.between(since, event.at)
                    since = None
            expected = calendar.add(case.dispatched_at, float(case.limit_days + case.extension_days) + held / DAY)
            assert abs(calendar.between(expected, case.due_at)) <= EPSILON, (case.number, expected, case.due_at)
            if held == timedelta(0):
                assert case.due_at >= earliest


@pytest.mark.django_db
def test_random_lives_keep_the_invariants(cast: dict[str, Any], org: dict[str, Unit], frozen, calendar_2027):
    TALLY.clear()
    ghost = staff_create(
        by=None, username="ghost", name="Ghost", unit=org["S1C1"], roles=["community_handler"], password=PASSWORD
    )
    ghost.is_active = False
    ghost.save(update_fields=["is_active"])
    CaseMachine.people = {**cast, "ghost": ghost}
    CaseMachine.units = dict(org)
    CaseMachine.time = frozen
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=int(os.environ.get("MACHINE_EXAMPLES", "50")),
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    # The walk reached far into the table (a guard against a machine that only ever gets refused).
    assert len(TALLY) >= 12, TALLY
