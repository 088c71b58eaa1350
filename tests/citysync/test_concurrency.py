"""Two at once, with real commits (PostgreSQL: SQLite serialises writers anyway): two workers on one case's
queue send each step once and in order; the same update sent twice at once is applied once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from suban.cases.models import SupervisionOrder
from suban.cases.services import case_claim
from suban.citysync import signing
from suban.citysync.models import Delivery, DeliveryStatus
from suban.citysync.sending import deliver_queue
from tests.citysync.conftest import SECRET

# serialized_rollback brings back the rows the migrations load (deadline policies), which the flush after a
# transactional test removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


def together(work: Callable[[], Any], n: int = 2) -> list[Any]:
    """Run `work` in `n` threads started at once; their results (or exceptions)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_workers_on_one_queue_send_each_step_once_in_order(transport, city, dispatched, monkeypatch):
    Delivery.objects.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )  # as if the worker had not run yet
    transport.clear()
    slow = transport.__call__

    def slow_post(*args: Any) -> None:
        time.sleep(0.05)  # a send takes a while: the other worker tries meanwhile
        slow(*args)

    from suban.citysync import sending

    monkeypatch.setattr(sending, "post", slow_post)
    results = together(lambda: deliver_queue(city.pk, dispatched.pk), n=3)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.sent for r in results) == 3
    assert [c.step[1] for c in transport] == [1, 2, 3]


def test_the_same_update_sent_twice_at_once_is_applied_once(transport, city, dispatched, cast):
    case = case_claim(case=dispatched, by=cast.carol)
    raw = json.dumps({"update_id": "dup-1", "case": case.number, "action": "supervise", "note": "督办"}).encode()

    def post() -> tuple[int, dict[str, Any]]:
        headers = {signing.SOURCE_HEADER: "city", **signing.signed_headers(SECRET, raw)}
        response = Client().post("/api/citysync/updates", raw, content_type="application/json", headers=headers)
        return response.status_code, response.json()

    results = together(post)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [status for status, _body in results] == [200, 200]
    assert results[0][1] == results[1][1]
    assert SupervisionOrder.objects.filter(case=case).count() == 1
