"""What the machine checks after every step: (a) one responsible unit, (b) the event log replays to the case,
(c) no deadline earlier than the rules allow, (d) no supervision order stays open on a case that ended."""

from __future__ import annotations

from datetime import timedelta

from hypothesis.stateful import invariant

from suban.cases import deadlines
from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.models import Alert, Case, CaseEvent, CoHandler, Status, SupervisionOrder
from tests.cases.lifecycle_machine.base import MachineBase
from tests.cases.lifecycle_machine.world import CLOCK_STARTS, EPSILON


class Invariants(MachineBase):
    """Checked after every step of the machine."""

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
    def no_supervision_order_outlives_its_case(self) -> None:
        for order in SupervisionOrder.objects.filter(case_id__in=self.cases).select_related("case"):
            if order.case.is_open:
                continue
            assert order.state == SupervisionOrder.State.DONE, (order.case.number, order.pk)
            assert order.outcome and order.done_at is not None and order.done_at <= order.case.closed_at

    @invariant()
    def no_deadline_is_earlier_than_the_rules_allow(self) -> None:
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
            clock = deadlines.office_clock(case)
            earliest = clock.add_days(case.dispatched_at, case.limit_days)
            assert case.due_at >= earliest - EPSILON, case.number
            assert case.warn_at == deadlines.warning_for(clock, case.due_at), case.number
            assert 0 <= case.extension_days <= deadlines.MAX_EXTENSION_DAYS
            # Exactly: the limit, the extensions and the office time spent on hold since the clock started.
            log = events[case.pk]
            start = max(n for n, e in enumerate(log) if e.action in CLOCK_STARTS)
            held, since = timedelta(0), None
            for event in log[start + 1 :]:
                if event.action == "hold":
                    since = event.at
                elif event.action == "resume":
                    assert since is not None
                    held += clock.between(since, event.at)
                    since = None
            expected = clock.add(earliest, clock.days(case.extension_days) + held)
            assert abs(clock.between(expected, case.due_at)) <= EPSILON, (case.number, expected, case.due_at)
            if held == timedelta(0):
                assert case.due_at >= earliest
