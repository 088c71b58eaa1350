"""A year ahead that nobody has entered is announced on the console and in the admin before it stops deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from suban.accounts.roles import AdminRole
from suban.accounts.services import staff_create
from suban.workdays.calendar import CalendarGap, calendar_gap, forget_calendar
from suban.workdays.models import CalendarYear
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar(settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    forget_calendar()


def test_the_gap_is_the_first_unknown_year_within_the_warning_days(settings: Any) -> None:
    settings.CALENDAR_WARN_DAYS = 60
    assert calendar_gap(date(2026, 6, 1)) is None  # 2026 is in chinesecalendar, 2027 is months away
    assert calendar_gap(date(2026, 10, 31)) is None  # 62 days before 2027
    assert calendar_gap(date(2026, 11, 30)) == CalendarGap(2027, date(2026, 12, 11))  # 21 days before it
    assert calendar_gap(date(2026, 12, 28)) == CalendarGap(2027, date(2026, 12, 28))  # refusals have begun
    assert calendar_gap(date(2026, 11, 30), days_ahead=10) is None
    CalendarYear.objects.create(year=2027, published=False)  # begun, not complete: still unknown
    assert calendar_gap(date(2026, 11, 30)) == CalendarGap(2027, date(2026, 12, 11))
    CalendarYear.objects.filter(year=2027).update(published=True)
    CalendarYear.objects.filter(year=2027).first().save()  # moves the fingerprint as the admin's save would
    assert calendar_gap(date(2026, 11, 30)) is None
    assert calendar_gap(date(2027, 11, 30)) == CalendarGap(2028, date(2027, 12, 11))


def test_the_console_and_the_admin_say_it_and_the_citizen_never_sees_it(
    login: Any, cast: Cast, settings: Any, monkeypatch: Any
) -> None:
    from suban.workdays.templatetags import workdays

    monkeypatch.setattr(workdays, "calendar_gap", lambda: calendar_gap(date(2026, 12, 20)))
    page = login(cast.dora).get("/console/", follow=True).content.decode()
    assert 'data-testid="calendar-warning"' in page and "2027" in page and "2026-12-20" in page
    assert "系统管理员" in page  # who can mend it
    admin = staff_create(
        by=None, username="sys", name="系统管理员", unit=None, admin_role=AdminRole.SYSTEM, password=PASSWORD
    )
    index = Client()
    index.force_login(admin, backend="suban.accounts.backends.RoleBackend")
    body = index.get("/admin/").content.decode()
    assert 'data-testid="calendar-warning"' in body and "/admin/workdays/calendaryear/notice/" in body
    auditor = staff_create(
        by=None, username="aud", name="审计管理员", unit=None, admin_role=AdminRole.AUDIT, password=PASSWORD
    )
    index.force_login(auditor, backend="suban.accounts.backends.RoleBackend")
    body = index.get("/admin/").content.decode()
    assert 'data-testid="calendar-warning"' in body and "/admin/workdays/calendaryear/notice/" not in body
    assert "系统管理员" in body  # told who can
    h5 = login(cast.cindy).get("/h5/")
    assert 'data-testid="calendar-warning"' not in h5.content.decode()

    monkeypatch.setattr(workdays, "calendar_gap", lambda: None)
    assert 'data-testid="calendar-warning"' not in login(cast.dora).get("/console/", follow=True).content.decode()
