"""Entering a year's notice and its audit entry go in one transaction: the days and their entry, or neither."""

from __future__ import annotations

from typing import Any

import pytest

from suban.accounts.roles import AdminRole
from suban.accounts.services import staff_create
from suban.audit.models import AuditEntry
from suban.errors import Forbidden
from suban.workdays import services
from suban.workdays.models import CalendarDay, CalendarYear
from suban.workdays.notice import read_notice
from tests.conftest import PASSWORD
from tests.workdays.test_notice import NOTICE_2027_MADE_UP

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin() -> Any:
    return staff_create(
        by=None, username="sys", name="系统管理员", unit=None, admin_role=AdminRole.SYSTEM, password=PASSWORD
    )


def test_the_days_are_entered_with_their_entry(sysadmin):
    removed, written = services.calendar_enter_notice(
        by=sysadmin, notice=read_notice(NOTICE_2027_MADE_UP, 2027), source="国办发明电"
    )
    assert written == CalendarDay.objects.filter(date__year=2027).count() > 0 and removed == 0
    assert AuditEntry.objects.get(action="calendar.notice").detail["source"] == "国办发明电"


def test_no_days_without_their_entry(sysadmin, monkeypatch):
    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "audit_record", refuse)
    with pytest.raises(RuntimeError):
        services.calendar_enter_notice(by=sysadmin, notice=read_notice(NOTICE_2027_MADE_UP, 2027), source="")
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_only_those_who_keep_the_calendar_enter_it(cast):
    with pytest.raises(Forbidden):
        services.calendar_enter_notice(by=cast.auditor, notice=read_notice(NOTICE_2027_MADE_UP, 2027), source="")
    assert not CalendarDay.objects.exists()
