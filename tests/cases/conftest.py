from __future__ import annotations

from typing import Any

import pytest

from suban.workdays.models import CalendarYear


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture
def calendar_2027(db: Any) -> CalendarYear:
    """chinesecalendar 1.11 stops at 2026: deadlines running into 2027 need the year entered."""
    return CalendarYear.objects.create(year=2027, published=True, note="tests: Monday to Friday")
