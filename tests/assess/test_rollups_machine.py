"""Random event sequences leave the incremental roll-ups equal to a full recomputation.

A Hypothesis state machine submits cases (by citizens, and through the one-step intake), then has the right
people take random actions on them through the case services (refusals are fine: they write nothing), moves a
frozen clock and runs the deadline clock, and rules cases out of the assessment and back. After every step the
assessment rows and the (unit, day) and (day, street, matter) roll-ups, kept by deltas, must equal what
rebuild_assessment computes from scratch (and a rebuild then changes nothing).

MACHINE_EXAMPLES=500 pytest tests/assess/test_rollups_machine.py for a longer hunt.
"""

from __future__ import annotations

import os
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

from suban.assess.models import RulingReason, UnitDay
from suban.assess.services import assessment_rule_out, assessment_withdraw_ruling
from suban.cases import services
from suban.cases.clock import run_clock
from suban.cases.models import Case
from suban.errors import DomainError
from suban.org.models import Unit
from tests.assess.conftest import assert_rebuild_agrees
from tests.conftest import Cast
from tests.timing import FrozenTime, at

POINTS = [(120.008, 36.008), (120.015, 36.005), (120.025, 36.005), (119.985, 36.005), None]
TARGETS = ["S1C1", "S1C2", "S2C1", "S1C1G1", "S2C1G1", "S1", "S2", "DEPT1", "DEPT2"]


class RollupMachine(RuleBasedStateMachine):
    people: dict[str, Any]
    handlers: dict[str, Any]
    units: dict[str, Unit]
    matters: list[Any]
    time: FrozenTime

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.cases: list[int] = []
        self.time.set(at(2026, 2, 9, 9))

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def case(self, index: int) -> Case:
        return Case.objects.select_related("unit").get(pk=self.cases[index % len(self.cases)])

    def attempt(self, fn: Any, **kwargs: Any) -> None:
        try:
            with transaction.atomic():
                fn(**kwargs)
        except DomainError:
            pass

    def lead(self, case: Case) -> Any:
        return self.handlers.get(case.unit.code) if case.unit else None

    @initialize()
    def start(self) -> None:
        self.submit(0, 0, False)

    @rule(point=st.integers(0, len(POINTS) - 1), matter=st.integers(0, 3), intake=st.booleans())
    def submit(self, point: int, matter: int, intake: bool) -> None:
        where = POINTS[point]
        location = {"longitude": where[0], "latitude": where[1]} if where else {}
        chosen = self.matters[matter] if matter < len(self.matters) else None
        if intake:
            unit = self.units[TARGETS[point % len(TARGETS)]]
            case = services.case_intake(
                by=self.people["dora"], dispatch=True, unit=unit, title="占道经营", matter=chosen, **location
            )
        else:
            case = services.case_submit(by=self.people["cindy"], title="路灯不亮", matter=chosen, **location)
        self.cases.append(case.pk)

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), to=st.sampled_from([None, *TARGETS]))
    def take_in(self, i: int, to: str | None) -> None:
        case = self.case(i)
        dora = self.people["dora"]
        self.attempt(services.case_accept, case=case, by=dora)
        case = self.case(i)
        unit = self.units[to] if to else self.units["S1C1"]
        self.attempt(services.case_dispatch, case=case, by=dora, unit=unit)

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), reason=st.sampled_from(["legal_channel", "repeat", "emergency"]))
    def decline(self, i: int, reason: str) -> None:
        self.attempt(services.case_decline, case=self.case(i), by=self.people["dora"], reason=reason)

    @precondition(lambda self: len(self.cases) > 1)
    @rule(i=st.integers(0, 50), j=st.integers(0, 50))
    def merge(self, i: int, j: int) -> None:
        self.attempt(services.case_merge, case=self.case(i), by=self.people["dora"], into=self.case(j))

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), hours=st.sampled_from([0.5, 3, 6, 30]))
    def claim_later(self, i: int, hours: float) -> None:
        self.time.advance(hours=hours)
        case = self.case(i)
        self.attempt(services.case_claim, case=case, by=self.lead(case))

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50))
    def give_back(self, i: int) -> None:
        case = self.case(i)
        self.attempt(services.case_return, case=case, by=self.lead(case), reason="不属于本单位")
        self.attempt(services.case_reject_return, case=self.case(i), by=self.people["dora"], note="请继续办理")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50))
    def escalate(self, i: int) -> None:
        case = self.case(i)
        self.attempt(services.case_escalate, case=case, by=self.lead(case), note="需要上级协调")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), to=st.sampled_from(["S1", "S2", "DEPT1"]))
    def raise_level(self, i: int, to: str) -> None:
        case = self.case(i)
        self.attempt(services.case_raise_level, case=case, by=self.people["sam"], unit=self.units[to], note="提级")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), approve=st.booleans())
    def reply(self, i: int, approve: bool) -> None:
        case = self.case(i)
        self.attempt(services.case_reply, case=case, by=self.lead(case), reply="已处理")
        self.attempt(
            services.case_review_reply, case=self.case(i), by=self.people["dora"], approve=approve, note="补充"
        )

    @precondition(lambda self: self.cases)
    @rule(
        i=st.integers(0, 50),
        satisfaction=st.sampled_from(["satisfied", "basically", "unsatisfied"]),
        resolved=st.booleans(),
    )
    def rate(self, i: int, satisfaction: str, resolved: bool) -> None:
        self.attempt(
            services.case_rate, case=self.case(i), by=self.people["sam"], satisfaction=satisfaction, resolved=resolved
        )

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), reopen=st.booleans())
    def after_unsatisfied(self, i: int, reopen: bool) -> None:
        if reopen:
            self.attempt(services.case_reopen, case=self.case(i), by=self.people["sam"], note="重办")
        else:
            self.attempt(services.case_close, case=self.case(i), by=self.people["sam"], note="已解释")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50))
    def supervise(self, i: int) -> None:
        self.attempt(services.case_supervise, case=self.case(i), by=self.people["sam"], note="请加快")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 50), withdraw=st.booleans())
    def rule_out(self, i: int, withdraw: bool) -> None:
        if withdraw:
            self.attempt(assessment_withdraw_ruling, case=self.case(i), by=self.people["sam"])
        else:
            self.attempt(assessment_rule_out, case=self.case(i), by=self.people["sam"], reason=RulingReason.UNTRUE)

    @rule(days=st.sampled_from([0.2, 1, 3]))
    def time_passes(self, days: float) -> None:
        self.time.advance(days=days)
        run_clock()

    @invariant()
    def rollups_equal_a_recomputation(self) -> None:
        assert_rebuild_agrees()

    @invariant()
    def the_district_counts_every_case_once(self) -> None:
        district = UnitDay.objects.filter(unit=self.units["D"])
        assert sum(r.received for r in district) == len(self.cases)


@pytest.mark.django_db
def test_incremental_rollups_equal_a_full_recomputation(
    cast: Cast, handlers: dict[str, Any], org: dict[str, Unit], matters: dict[str, Any], frozen: FrozenTime
) -> None:
    RollupMachine.people = cast
    RollupMachine.handlers = handlers
    RollupMachine.units = org
    RollupMachine.matters = [matters["light"], matters["noise"], matters["top"]]
    RollupMachine.time = frozen
    examples = int(os.environ.get("MACHINE_EXAMPLES", "5"))
    run_state_machine_as_test(
        RollupMachine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
