"""seed_demo's cases: real messages taken through the services by the demo's own people."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from suban.accounts.models import User
from suban.cases.models import Case, CaseEvent, Status
from suban.cases.selectors import inbox_counts
from suban.demo.seed_cases import STAGES, read_messages
from suban.notify.models import Outbox


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: Any, settings: Any) -> str:
    settings.CACHE_CHECK_SECONDS = 0
    return seed_demo("--cases", "60")


def test_the_messages_become_cases_at_every_stage_with_honest_timelines(seeded):
    assert "60 cases from real messages" in seeded
    plan = [stage for stage, count in STAGES for _ in range(count)][:60]
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert by_status[Status.NEW] == plan.count("new") and by_status[Status.DECLINED] == plan.count("declined")
    assert sum(by_status.values()) == 60
    titles = {m.title for m in read_messages()}
    assert set(Case.objects.values_list("title", flat=True)) <= titles
    # Every step went through the services: the event log is complete, one event per version.
    last = dict(CaseEvent.objects.values_list("case_id").annotate(m=Max("seq")))
    assert all(last[pk] == version for pk, version in Case.objects.values_list("pk", "version"))
    assert not Case.objects.filter(status__in=[Status.REVIEWING, Status.VISITING], reply="").exists()


def test_the_demo_logins_find_work_and_nobody_was_notified(seeded):
    community = User.objects.get(username="community")
    assert sum(inbox_counts(community).values()) > 0
    assert sum(inbox_counts(User.objects.get(username="dispatcher")).values()) > 0
    assert not Outbox.objects.exists()


def test_running_again_adds_nothing_and_reset_loads_them_afresh(seeded):
    assert "Added" not in seed_demo()
    assert Case.objects.count() == 60
    output = seed_demo("--reset", "--cases", "10")
    assert "and 60 cases" in output and Case.objects.count() == 10


def test_the_demo_enters_a_provisional_next_year_only_when_nobody_knows_it(db):
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from suban.demo.seed_calendar import ensure_demo_calendar
    from suban.workdays.calendar import CalendarUnknown, work_calendar
    from suban.workdays.models import CalendarDay, CalendarYear

    late_december = timezone.make_aware(datetime(2026, 12, 30, 10, 0))
    with pytest.raises(CalendarUnknown):
        work_calendar().office().add_days(late_december, 3)
    assert ensure_demo_calendar(date(2026, 12, 28)) == [2027]  # 2026 is the package's
    entered = CalendarYear.objects.get(year=2027)
    assert entered.published and "临时" in entered.note
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday is False
    # Wed 30 Dec + 3 working days: Thu 31, (Fri 1 Jan holiday), Mon 4, Tue 5, to its close of office.
    assert work_calendar().office().add_days(late_december, 3) == late_december + timedelta(days=6, hours=7, minutes=30)
    assert ensure_demo_calendar(date(2026, 12, 28)) == []  # entered once; an admin's entry is never touched
