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

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from suban.accounts.services import staff_create
from suban.org.models import Unit
from tests.cases.lifecycle_machine.invariants import Invariants
from tests.cases.lifecycle_machine.rules import Rules
from tests.cases.lifecycle_machine.world import TALLY
from tests.conftest import PASSWORD, Cast


class CaseMachine(Rules, Invariants):
    """The rules, the model of each action and the invariants, put together."""


@pytest.mark.django_db
def test_random_lives_keep_the_invariants(cast: Cast, org: dict[str, Unit], frozen, calendar_2027):
    TALLY.clear()
    ghost = staff_create(
        by=None, username="ghost", name="Ghost", unit=org["S1C1"], roles=["community_handler"], password=PASSWORD
    )
    ghost.is_active = False
    ghost.save(update_fields=["is_active"])
    CaseMachine.people = {**cast.everyone(), "ghost": ghost}
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
