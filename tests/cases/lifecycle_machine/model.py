"""The model of each action: its arguments and predicted outcome, who may take it, and what a success wrote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from suban.cases import deadlines, services
from suban.cases.lifecycle import BY_ACTION, SAME, relations
from suban.cases.models import TERMINAL, Alert, Case, CaseEvent, CoHandler, Satisfaction, Status, SupervisionOrder
from suban.cases.services import DeclineReason
from suban.errors import Conflict, DomainError, Forbidden, Invalid
from suban.org.models import Unit, UnitKind
from tests.cases.lifecycle_machine.base import MachineBase
from tests.cases.lifecycle_machine.world import (
    ACTIONS,
    ACTORS,
    CLOCK_STARTS,
    DAYS,
    START_LEVEL,
    TABLE_ACTIONS,
    TEXTS,
    UNIT_CODES,
    Footprint,
    blank,
    row,
    valid_days,
)


class ActionModel(MachineBase):
    """What the machine expects of each service action."""

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
                # A new case to merge into: the number typed is refused, next to it (accept it first).
                expected = Invalid if into.status == Status.NEW else Conflict
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
            late = case.dispatched_at is not None and now > deadlines.office_clock(case).add_days(case.dispatched_at, 2)
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
            assert case.due_at == deadlines.office_clock(case).add_days(now, limits.working_days)
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
            clock = deadlines.office_clock(case)
            assert case.due_at == clock.add(before.due_at, clock.days(before.pending_extension_days))
        if action in ("approve_extension", "reject_extension", "reply"):
            assert case.pending_extension_days is None  # a reply withdraws a request nobody decided
        if action == "hold":
            assert case.held_at == now and case.next_check_at is None
        if action == "resume":
            assert case.held_at is None
        if action == "supervise":
            assert isinstance(result, SupervisionOrder) and result.unit_id == case.unit_id
            assert result.due_at == deadlines.office_clock(case).add_days(now, Decimal(str(kwargs["days"])))
            assert SupervisionOrder.objects.count() == footprint.orders + 1
            assert case.supervision_count == before.supervision_count + 1
        if action in ("decline", "rate", "close") and case.status in TERMINAL:
            assert case.closed_at == now and case.next_check_at is None
