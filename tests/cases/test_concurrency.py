"""Two people at the same moment, on PostgreSQL with real connections: the compare-and-swap lets exactly one
win, the other gets Conflict, and exactly one event is written. Concurrent submissions get distinct numbers.

Each thread has its own connection; both load the case before they meet at a barrier, then act at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from suban.cases.clock import run_clock
from suban.cases.models import Case, CaseEvent, CaseNumberCounter, Status, SupervisionOrder
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_escalate,
    case_hold,
    case_note,
    case_return,
    case_submit,
)
from suban.errors import Conflict, DomainError
from tests.conftest import Cast

# Real commits, so that the threads see each other's rows; serialized_rollback brings back the rows the
# migrations load (deadline policies, start levels), which the flush after a transactional test removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def race(*moves: Callable[[], Any]) -> list[Any]:
    """Run the moves in threads that start together; each returns its result or the DomainError it raised."""
    barrier = threading.Barrier(len(moves))

    def run(move: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=10)
            return move()
        except DomainError as exc:
            return exc
        finally:
            connections.close_all()  # this thread's connections

    with ThreadPoolExecutor(max_workers=len(moves)) as pool:
        return list(pool.map(run, moves))


def loaded(case: Case) -> Case:
    return Case.objects.select_related("unit").get(pk=case.pk)


def outcome(results: list[Any]) -> tuple[list[Any], list[Any]]:
    wins = [r for r in results if not isinstance(r, DomainError)]
    lost = [r for r in results if isinstance(r, DomainError)]
    return wins, lost


@pytest.fixture
def dispatched_case(cast: Cast, frozen: Any) -> Case:
    """Dispatched on Monday 9 February 2026 (frozen time: the threads see it too)."""
    case = case_submit(by=cast.cindy, title="路灯不亮", longitude=120.005, latitude=36.005)
    case_accept(case=case, by=cast.dora)
    return case_dispatch(case=case, by=cast.dora)


def test_two_claims_at_once_one_wins(dispatched_case, cast):
    first, second = loaded(dispatched_case), loaded(dispatched_case)
    carol = cast.carol
    results = race(lambda: case_claim(case=first, by=carol), lambda: case_claim(case=second, by=carol))
    wins, lost = outcome(results)
    assert len(wins) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict)
    case = loaded(dispatched_case)
    assert case.status == Status.IN_PROGRESS and case.version == dispatched_case.version + 1
    assert CaseEvent.objects.filter(case=case, action="claim").count() == 1
    assert CaseEvent.objects.filter(case=case).count() == case.version


def test_a_claim_and_a_return_at_once_one_wins(dispatched_case, cast):
    first, second = loaded(dispatched_case), loaded(dispatched_case)
    carol = cast.carol
    results = race(
        lambda: case_claim(case=first, by=carol),
        lambda: case_return(case=second, by=carol, reason="不属于本社区"),
    )
    wins, lost = outcome(results)
    assert len(wins) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict)
    case = loaded(dispatched_case)
    steps = list(CaseEvent.objects.filter(case=case, seq__gt=dispatched_case.version).values_list("action", flat=True))
    assert len(steps) == 1
    assert case.status == {"claim": Status.IN_PROGRESS, "return": Status.RETURNED}[steps[0]]


def test_an_escalation_and_a_hold_at_once_one_wins(dispatched_case, cast):
    case_claim(case=dispatched_case, by=cast.carol)
    first, second = loaded(dispatched_case), loaded(dispatched_case)
    results = race(
        lambda: case_escalate(case=first, by=cast.carol, note="需街道协调"),
        lambda: case_hold(case=second, by=cast.sam, reason="等待鉴定"),
    )
    wins, lost = outcome(results)
    assert len(wins) == 1 and isinstance(lost[0], Conflict)
    case = loaded(dispatched_case)
    assert case.version == dispatched_case.version + 1
    assert CaseEvent.objects.filter(case=case).count() == case.version
    # Whoever won, the case is in one consistent state: escalated to the street, or on hold at the community.
    assert case.unit is not None
    assert (case.status, case.unit.code) in {("dispatched", "S1"), ("on_hold", "S1C1")}
    assert (case.held_at is not None) == (case.status == Status.ON_HOLD)


def test_many_notes_at_once_one_per_version(dispatched_case, cast):
    copies = [loaded(dispatched_case) for _ in range(6)]
    carol = cast.carol
    results = race(*(lambda c=c, n=n: case_note(case=c, by=carol, note=f"进展{n}") for n, c in enumerate(copies)))
    wins, lost = outcome(results)
    assert len(wins) == 1 and len(lost) == 5 and all(isinstance(e, Conflict) for e in lost)
    case = loaded(dispatched_case)
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True)) == list(range(1, case.version + 1))


def test_the_clock_and_a_person_at_once(dispatched_case, cast):
    """Two clock workers and the handler: one write wins, nothing is written twice."""
    assert dispatched_case.due_at is not None
    later = dispatched_case.due_at
    copy = loaded(dispatched_case)
    results = race(
        lambda: run_clock(later),
        lambda: run_clock(later),
        lambda: case_claim(case=copy, by=cast.carol),
    )
    case = loaded(dispatched_case)
    assert CaseEvent.objects.filter(case=case, action="overdue").count() <= 1
    assert SupervisionOrder.objects.filter(case=case).count() == case.supervision_count <= 1
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True)) == list(range(1, case.version + 1))
    runs = [r for r in results[:2] if not isinstance(r, DomainError)]
    assert sum(r.overdue for r in runs) == CaseEvent.objects.filter(case=case, action="overdue").count()


def test_submissions_at_once_get_distinct_numbers(cast, frozen):
    assert not CaseNumberCounter.objects.exists()  # the first case of the day: the counter row is created
    people = [cast.cindy, cast.chen, cast.dora, cast.gary, cast.cindy, cast.chen, cast.dan]
    results = race(*(lambda p=p, n=n: case_submit(by=p, title=f"同时提交{n}") for n, p in enumerate(people)))
    assert not [r for r in results if isinstance(r, DomainError)]
    numbers = sorted(case.number for case in results)
    assert len(set(numbers)) == len(people) == Case.objects.count()
    day = numbers[0][:8]
    assert numbers == [f"{day}{n:05d}" for n in range(1, len(people) + 1)]
    assert CaseNumberCounter.objects.get().last == len(people)
