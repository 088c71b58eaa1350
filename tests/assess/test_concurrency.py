"""Concurrent writers add to the same roll-up rows without losing counts (PostgreSQL, real connections)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from suban.assess.models import UnitDay
from suban.cases.services import case_intake
from tests.assess.conftest import assert_rebuild_agrees
from tests.conftest import Cast
from tests.timing import FrozenTime

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WRITERS = 6


@pytest.fixture(autouse=True)
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def test_simultaneous_intakes_all_count_in_the_same_rows(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> None:
    barrier = threading.Barrier(WRITERS)

    def take_in(i: int) -> str:
        try:
            barrier.wait(timeout=10)
            return case_intake(by=cast.dora, dispatch=True, unit=org["S1C1"], title=f"同时受理 {i}").number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        numbers = list(pool.map(take_in, range(WRITERS)))
    assert len(set(numbers)) == WRITERS
    for code in ("S1C1", "S1", "D"):
        row = UnitDay.objects.get(unit=org[code])
        assert (row.received, row.assessed, row.dispatched) == (WRITERS, WRITERS, WRITERS), code
    assert_rebuild_agrees()
