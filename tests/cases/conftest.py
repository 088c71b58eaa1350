from __future__ import annotations

from typing import Any

import pytest

from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.workdays.models import CalendarYear
from tests.conftest import Cast
from tests.timing import FrozenTime


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture
def calendar_2027(db: Any) -> CalendarYear:
    """chinesecalendar 1.11 stops at 2026: deadlines running into 2027 need the year entered."""
    return CalendarYear.objects.create(year=2027, published=True, note="tests: Monday to Friday")


@pytest.fixture
def submitted(cast: Cast, frozen: FrozenTime) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1), on Monday 9 February 2026."""
    return case_submit(
        by=cast.cindy, title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=120.008, latitude=36.008
    )


@pytest.fixture
def dispatched(cast: Cast, submitted: Case) -> Case:
    case_accept(case=submitted, by=cast.dora)
    return case_dispatch(case=submitted, by=cast.dora)
