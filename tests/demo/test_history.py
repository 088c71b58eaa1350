"""seed_demo's year of history: backdated cases whose event logs replay to their state, on the real clock."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from suban.cases import deadlines
from suban.cases.clock import OVERDUE_NOTE, run_clock
from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.models import TERMINAL, Alert, Case, CaseEvent, Status, SupervisionOrder
from suban.demo.history import HISTORY_DAYS, read_history
from suban.demo.seed import reset
from suban.gridwork.models import GridReport, Patrol, WorkLogEntry
from suban.workdays.calendar import work_calendar

HISTORY = 400


@pytest.fixture
def seeded(db: Any, settings: Any) -> str:
    settings.CACHE_CHECK_SECONDS = 0
    out = StringIO()
    call_command("seed_demo", "--cases", "0", "--history", str(HISTORY), stdout=out)
    return out.getvalue()


def _logs() -> dict[int, list[CaseEvent]]:
    logs: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("case_id", "seq"):
        logs[event.case_id].append(event)
    return logs


def a_year_of_cases_with_the_rhythm_of_a_working_platform(seeded: str) -> None:
    made = Case.objects.count()
    assert f"{made} cases of the past year" in seeded
    assert HISTORY * 0.85 <= made <= HISTORY * 1.15
    now = timezone.now()
    oldest = Case.objects.order_by("created_at").first()
    assert oldest is not None and oldest.created_at < now - timedelta(days=HISTORY_DAYS - 30)
    assert not Case.objects.filter(created_at__gte=now).exists()
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert by_status[Status.CLOSED] > made * 0.8
    # Old cases are finished; what is still open arrived in the last weeks.
    assert not Case.objects.exclude(status__in=TERMINAL).filter(created_at__lt=now - timedelta(days=60)).exists()
    assert Case.objects.exclude(status__in=TERMINAL).exists()
    # Every kind of step the assessment counts happened somewhere.
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    for action in ("claim", "reply", "approve_reply", "rate", "overdue", "supervise", "return", "reopen"):
        assert action in actions, action
    assert Case.objects.filter(satisfaction="satisfied").exists()
    assert Case.objects.filter(satisfaction="unsatisfied").exists()
    assert Case.objects.values("unit").distinct().count() > 10
    assert Case.objects.values("matter").distinct().count() > 10
    titles = {item.message.title for item in read_history()}
    assert set(Case.objects.values_list("title", flat=True)) <= titles
    # The grid workers' year: patrols, work log and the reports they filed from their grids.
    assert Patrol.objects.count() > 1000 and WorkLogEntry.objects.count() > Patrol.objects.count()
    for report in GridReport.objects.select_related("case"):
        assert report.case.reporter_id == report.worker_id and report.case.grid_id == report.grid_id


def every_event_log_replays_to_its_case() -> None:
    logs = _logs()
    for case in Case.objects.all():
        log = logs[case.pk]
        assert [e.seq for e in log] == list(range(1, case.version + 1)), case.number
        assert (log[0].action, log[0].from_status, log[0].to_status) == ("submit", "", Status.NEW)
        status, last = Status.NEW, log[0].at
        for n, event in enumerate(log[1:], start=1):
            transition = BY_ACTION[event.action]
            assert event.from_status == status and status in transition.sources, (case.number, event.action)
            assert event.to_status == status if SAME in transition.targets else event.to_status in transition.targets
            assert event.at >= last, (case.number, event.seq)
            if event.action == "overdue":
                follow = log[n + 1]
                assert follow.action == "supervise" and follow.data["automatic"], case.number
            status, last = event.to_status, event.at
        assert status == case.status, case.number
        assert case.created_at == log[0].at and case.updated_at == log[-1].at
        if case.status in (Status.CLOSED, Status.DECLINED):
            assert case.closed_at == log[-1].at
    assert SupervisionOrder.objects.count() == CaseEvent.objects.filter(action="supervise").count()


def the_deadlines_follow_the_rules_and_the_clock_has_nothing_to_catch_up() -> None:
    calendar = work_calendar()
    now = timezone.now()
    for case in Case.objects.exclude(due_at=None):
        assert case.dispatched_at is not None and case.limit_days is not None
        clock = calendar.office(case.unit_path)
        expected = clock.add(clock.add_days(case.dispatched_at, case.limit_days), clock.days(case.extension_days))
        assert abs(clock.between(expected, case.due_at)) <= timedelta(seconds=1), case.number
        assert case.warn_at == deadlines.warning_for(clock, case.due_at)
        if case.status in (Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED):
            assert case.alert == deadlines.current_alert(case, now), case.number
            assert (case.next_check_at is None) == (case.alert == Alert.RED), case.number
    # The real clock, run now, finds every warning and overdue step already written.
    assert run_clock(now).checked == 0


def the_clocks_orders_read_as_the_real_clocks() -> None:
    notes = set(SupervisionOrder.objects.filter(automatic=True).values_list("note", flat=True))
    notes |= set(CaseEvent.objects.filter(action="supervise", data__automatic=True).values_list("note", flat=True))
    assert notes == {str(OVERDUE_NOTE)}


def reset_takes_the_year_with_it() -> None:
    removed = reset()  # (the grid workers' patrols and work log held on to their accounts)
    assert removed.cases > 0 and not Case.objects.exists()
    assert not Patrol.objects.exists() and not WorkLogEntry.objects.exists() and not GridReport.objects.exists()


def test_the_year_of_history(seeded):
    """One seed (it costs seconds), five looks at it."""
    a_year_of_cases_with_the_rhythm_of_a_working_platform(seeded)
    every_event_log_replays_to_its_case()
    the_deadlines_follow_the_rules_and_the_clock_has_nothing_to_catch_up()
    the_clocks_orders_read_as_the_real_clocks()
    reset_takes_the_year_with_it()
