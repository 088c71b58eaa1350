"""Random lives of disputes through the services, against the step table (suban.mediation.lifecycle).

A Hypothesis state machine registers disputes and has random people (the centre, the rooms' heads and
mediators, a desk, the district's dispatcher, a citizen party and one who is not) try random steps with valid
arguments, and runs the clock. After every step it checks that a step the table allows to that person
succeeded and one it does not failed with a DomainError and wrote nothing, and that replaying each dispute's
events gives its status and version.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from suban.errors import DomainError
from suban.mediation import services
from suban.mediation.lifecycle import BY_STEP, Step, allowed
from suban.mediation.models import Dispute, DisputeStatus, Mediator
from suban.org.models import Unit
from tests.conftest import Cast
from tests.mediation.conftest import Centre, walk_in

HUMAN_STEPS = list(services.STEP_SERVICES)  # (a party added: a step of its own, taken in test_lifecycle)
PEOPLE = ["mia", "max", "rhea", "ray", "vic", "dora", "cindy", "chen"]
ANYONE_ALLOWED = "anyone allowed"  # the first of PEOPLE whom the table allows the step, when there is one
TALLY: dict[str, int] = {}


class DisputeMachine(RuleBasedStateMachine):
    centre: Centre
    cast: Cast
    org: dict[str, Unit]
    disputes = Bundle("disputes")

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()  # each example's disputes are rolled back at its end

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def person(self, name: str) -> Any:
        return getattr(self.centre, name, None) or self.cast[name]

    @rule(target=disputes, by=st.sampled_from(["mia", "vic"]))
    def register(self, by: str) -> int:
        return walk_in(self.centre, self.org, by=by).pk

    def arguments(self, dispute: Dispute, step: str, data: st.DataObject) -> dict[str, Any]:
        now = timezone.now()
        if step == Step.DECLINE:
            return {"reason": "不属于人民调解范围", "channel": "litigation"}
        if step == Step.ASSIGN:
            room = dispute.room or self.centre.street
            lead = Mediator.objects.filter(room=room, head=True).get()
            return {"room": room, "lead": lead, "joint": [self.centre.mediator("max")]}
        if step == Step.SESSION:
            return {"held_at": now - timedelta(hours=1), "place": "调解室", "attended": "双方", "said": "陈述"}
        if step == Step.EXTEND:
            return {"days": data.draw(st.sampled_from([5, 30])), "note": "双方同意"}
        if step == Step.AGREE:
            return {"kind": data.draw(st.sampled_from(["written", "oral"])), "terms": "赔偿", "signed_on": now.date()}
        if step == Step.FAIL:
            return {"referral": "arbitration", "reason": "分歧大"}
        if step == Step.VISIT:
            return {"fulfilled": data.draw(st.booleans()), "note": "回访"}
        if step in (Step.CLOSE, Step.SUPERVISE):
            return {"note": "结案" if step == Step.CLOSE else "抓紧调解"}
        return {}

    def predicted_refusal(self, dispute: Dispute, step: str, arguments: dict[str, Any]) -> bool:
        """A step the table allows that the service still refuses, for a reason the rules give."""
        if step == Step.CONFIRM:
            return dispute.agreement != "written" or dispute.judicial_confirmation_on is not None
        if step == Step.EXTEND:
            return dispute.extended_days + arguments["days"] > services.MAX_EXTENDED_DAYS
        return False

    @rule(
        pk=disputes,
        step=st.sampled_from(HUMAN_STEPS),
        who=st.sampled_from([ANYONE_ALLOWED, ANYONE_ALLOWED, *PEOPLE]),
        data=st.data(),
    )
    def take(self, pk: int, step: str, who: str, data: st.DataObject) -> None:
        dispute = Dispute.objects.get(pk=pk)
        if who == ANYONE_ALLOWED:
            who = next((name for name in PEOPLE if allowed(dispute, step, self.person(name))), "chen")
        person = self.person(who)
        arguments = self.arguments(dispute, step, data)
        may = allowed(dispute, step, person) and not self.predicted_refusal(dispute, step, arguments)
        before = (dispute.version, dispute.status, dispute.events.count())
        try:
            services.STEP_SERVICES[Step(step)](
                dispute=dispute, by=person, expected_version=dispute.version, **arguments
            )
        except DomainError as error:
            assert not may, f"{who} was refused {step} on a {before[1]} dispute: {error}"
            fresh = Dispute.objects.get(pk=pk)
            assert (fresh.version, fresh.status, fresh.events.count()) == before
            return
        assert may, f"{who} took {step} on a {before[1]} dispute"
        TALLY[step] = TALLY.get(step, 0) + 1

    @rule(pk=disputes, data=st.data())
    def advance(self, pk: int, data: st.DataObject) -> None:
        """One of the steps somebody may take now, by them: the walk goes deep into the table."""
        dispute = Dispute.objects.get(pk=pk)
        open_steps = [s for s in HUMAN_STEPS if any(allowed(dispute, s, self.person(n)) for n in PEOPLE)]
        # Mostly forward: a step that changes the status without ending the mediation (declining and failing
        # end it early; another assignment, an extension or a confirmation stays where it is).
        forward = [
            s
            for s in open_steps
            if BY_STEP[s].target not in ("same", dispute.status) and s not in (Step.DECLINE, Step.FAIL)
        ]
        if forward and not (data.draw(st.booleans()) and data.draw(st.booleans())):
            open_steps = forward
        if open_steps:
            self.take(pk, data.draw(st.sampled_from(open_steps)), ANYONE_ALLOWED, data)

    @rule(pk=disputes, data=st.data())
    def advance_again(self, pk: int, data: st.DataObject) -> None:
        self.advance(pk, data)

    @rule(days=st.sampled_from([1, 28, 40]))
    def clock(self, days: int) -> None:
        services.dispute_clock(timezone.now() + timedelta(days=days))

    @invariant()
    def replaying_the_events_gives_the_dispute(self) -> None:
        for dispute in Dispute.objects.prefetch_related("assignments"):
            events = list(dispute.events.order_by("seq"))
            assert [e.seq for e in events] == list(range(dispute.version + 1))
            assert events[0].action == Step.REGISTER and events[0].to_status == DisputeStatus.REGISTERED
            status = DisputeStatus.REGISTERED
            for event in events[1:]:
                rule_ = BY_STEP[event.action]
                assert event.from_status == status and status in rule_.sources, (event.action, status)
                status = event.to_status
            assert status == dispute.status
            assert sum(a.lead for a in dispute.assignments.all()) <= 1
            if dispute.status in (DisputeStatus.ACCEPTED, DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING):
                assert dispute.due_at is not None
            if dispute.status in (DisputeStatus.AGREED, DisputeStatus.FAILED, DisputeStatus.DECLINED):
                assert dispute.ended_as == dispute.status and dispute.next_check_at is None


@pytest.mark.django_db
def test_random_lives_of_disputes_keep_the_table(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    TALLY.clear()
    DisputeMachine.centre, DisputeMachine.cast, DisputeMachine.org = centre, cast, org
    run_state_machine_as_test(
        DisputeMachine,
        settings=settings(
            max_examples=int(os.environ.get("MACHINE_EXAMPLES", "30")),
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    # The walk reached the ends of the table, not only refusals.
    assert {"accept", "assign", "session", "agree", "visit", "close"} <= set(TALLY), str(TALLY)
