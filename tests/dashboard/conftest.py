"""The big screen's tests: six cases of 东一社区 taken through the services and the deadline clock (`piles`),
and a test client per person."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from suban.cases.clock import run_clock
from suban.cases.models import Alert, Case, Status
from suban.cases.services import case_claim, case_intake, case_rate, case_reply, case_review_reply
from suban.catalogue.models import Matter
from tests.cases.conftest import _fresh_caches
from tests.conftest import Cast
from tests.timing import FrozenTime

__all__ = ["_fresh_caches"]

IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def listed(html: bytes) -> int:
    """The list's total as the inbox or drill-down page shows it."""
    found = re.search(rb'data-testid="total">(\d+)<', html)
    assert found, html[:500]
    return int(found.group(1))


@pytest.fixture
def piles(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> dict[str, Case]:
    """Six cases of 东一社区, each taken through the services and the deadline clock:

    - overdue while the community works on it, overdue under the district's review of its (late) reply,
      overdue and released (waiting for the return visit), overdue, released and rated unsatisfied;
    - due soon while the community works on it, due soon and released.

    All are about street lights (路灯, under 市政设施) in 东一社区第一网格; four came in on Monday 9 February 2026,
    two on Monday 23 February, and the clock stands a minute after those two turned yellow."""
    dora, carol, sam = cast.dora, cast.carol, cast.sam
    roads = Matter.objects.create(code="M1", name="市政设施", full_name="市政设施", level=1)
    lamps = Matter.objects.create(code="M1-1", name="路灯", full_name="市政设施 / 路灯", level=2, parent=roads)

    def taken(title: str) -> Case:
        case = case_intake(by=dora, dispatch=True, unit=org["S1C1"], title=title, text=title, matter=lamps, **IN_S1C1G1)
        return case_claim(case=case, by=carol)

    def released(case: Case) -> Case:
        case = case_reply(case=Case.objects.get(pk=case.pk), by=carol, reply="已处理")
        return case_review_reply(case=case, by=dora, approve=True)

    late = {key: taken(key) for key in ("working", "reviewing", "visiting", "unsatisfied")}
    frozen.advance(days=14)
    run_clock()
    assert set(Case.objects.filter(pk__in=[c.pk for c in late.values()]).values_list("alert", flat=True)) == {Alert.RED}
    case_reply(case=Case.objects.get(pk=late["reviewing"].pk), by=carol, reply="已处理")
    released(late["visiting"])
    case_rate(case=released(late["unsatisfied"]), by=sam, satisfaction="unsatisfied", resolved=False)

    soon = {key: taken(key) for key in ("soon_working", "soon_visiting")}
    assert soon["soon_working"].warn_at is not None
    frozen.set(soon["soon_working"].warn_at)
    frozen.advance(minutes=1)
    run_clock()
    released(soon["soon_visiting"])
    cases = {key: Case.objects.get(pk=c.pk) for key, c in {**late, **soon}.items()}
    assert [cases[k].status for k in ("reviewing", "visiting", "unsatisfied", "soon_visiting")] == [
        Status.REVIEWING,
        Status.VISITING,
        Status.UNSATISFIED,
        Status.VISITING,
    ]
    assert [cases[k].alert for k in ("visiting", "unsatisfied", "soon_visiting")] == [
        Alert.RED,
        Alert.RED,
        Alert.YELLOW,
    ]
    return cases
