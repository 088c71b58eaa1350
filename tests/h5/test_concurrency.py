"""The same form sent twice at the same moment (a retry racing the original) on PostgreSQL with real
connections: exactly one case, and both answers name it."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from suban.cases.models import Attachment, Case
from suban.h5.models import SubmitKey
from suban.h5.services import h5_submit
from tests.conftest import Cast
from tests.h5.conftest import jpeg

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def test_a_retry_racing_the_original_creates_one_case(cast: Cast) -> None:
    key = uuid.uuid4()
    barrier = threading.Barrier(2)

    def send() -> Any:
        try:
            barrier.wait(timeout=10)
            return h5_submit(
                by=cast.cindy, key=key, title="路灯不亮", text="东门口", case_type="livelihood", files=[jpeg()]
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _i: send(), range(2)))
    cases = {case.pk for case, _created in results}
    assert len(cases) == 1 and sorted(created for _case, created in results) == [False, True]
    assert Case.objects.count() == 1 and SubmitKey.objects.count() == 1 and Attachment.objects.count() == 1
