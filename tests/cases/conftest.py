from __future__ import annotations

from typing import Any

import pytest

from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.org.grid_index import invalidate_grid_index


@pytest.fixture(autouse=True)
def fresh_caches(settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_grid_index()


@pytest.fixture
def submitted(cast: dict[str, Any]) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1)."""
    return case_submit(
        by=cast["cindy"], title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=120.008, latitude=36.008
    )


@pytest.fixture
def dispatched(cast: dict[str, Any], submitted: Case) -> Case:
    case_accept(case=submitted, by=cast["dora"])
    return case_dispatch(case=submitted, by=cast["dora"])
