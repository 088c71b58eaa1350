"""Overdue now and due soon now: one definition (suban.cases.selectors) for the console's tabs, the big screen,
the assessment's live figures and the API. A case a unit holds whose deadline has passed is overdue now; once
replied and released (waiting for the return visit, or rated unsatisfied) it keeps its red alert but waits for
no unit, and counts in none of them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from suban.assess.selectors import live_counts
from suban.cases.clock import run_clock
from suban.cases.models import Alert, Case, Status
from suban.cases.services import case_claim, case_intake, case_rate, case_reply, case_review_reply
from tests.cases.conftest import fresh_caches, frozen
from tests.cases.timing import FrozenTime

__all__ = ["fresh_caches", "frozen"]

IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def listed(html: bytes) -> int:
    """The list's total as the inbox page shows it."""
    found = re.search(rb'data-testid="total">(\d+)<', html)
    assert found, html[:500]
    return int(found.group(1))


@pytest.fixture
def piles(cast: dict[str, Any], org: dict[str, Any], frozen: FrozenTime) -> dict[str, Case]:
    """Six cases of 东一社区, each taken through the services and the deadline clock:

    - overdue while the community works on it, overdue under the district's review of its (late) reply,
      overdue and released (waiting for the return visit), overdue, released and rated unsatisfied;
    - due soon while the community works on it, due soon and released."""
    dora, carol, sam = cast["dora"], cast["carol"], cast["sam"]

    def taken(title: str) -> Case:
        case = case_intake(by=dora, dispatch=True, unit=org["S1C1"], title=title, text=title, **IN_S1C1G1)
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


def test_the_screen_the_tabs_the_assessment_and_the_api_count_the_same_cases(piles, cast, org):
    dora, leo = cast["dora"], cast["leo"]
    overdue = {piles["working"].number, piles["reviewing"].number}
    due_soon = {piles["soon_working"].number}

    # The dispatcher's tabs: the cases a unit holds.
    inbox = client_of(dora).get("/console/inbox/", {"tab": "overdue"}).content
    assert b'data-testid="count-overdue">2<' in inbox and b'data-testid="count-due_soon">1<' in inbox
    # The big screen, the leader's and the dispatcher's.
    for person in (leo, dora):
        live = client_of(person).get("/api/dashboard/live", HTTP_ACCEPT="application/json").json()
        assert (live["red"], live["yellow"]) == (2, 1), person.username
    # The grid map's red dots.
    grid = client_of(leo).get("/api/dashboard/map?days=30", HTTP_ACCEPT="application/json").json()["grids"]
    assert [(g["code"], g["red"]) for g in grid] == [("S1C1G1", 2)]
    # The assessment's unit page and daily report ("now: … overdue").
    assert live_counts(leo, org["D"]) | {"open": 0} == {"open": 0, "yellow": 1, "red": 2}
    # The API: the inbox counts and the case list's filters.
    api = client_of(dora)
    counts = api.get("/api/inbox/counts", HTTP_ACCEPT="application/json").json()
    assert (counts["red"], counts["yellow"]) == (2, 1)

    def numbers(params: dict[str, str]) -> set[str]:
        return {c["number"] for c in api.get("/api/cases", params, HTTP_ACCEPT="application/json").json()["items"]}

    assert numbers({"overdue": "true"}) == overdue
    assert numbers({"alert": "red"}) == overdue
    assert numbers({"alert": "yellow"}) == due_soon
    assert numbers({"overdue": "false"}) == {c.number for c in piles.values()} - overdue
    # The console's "overdue only" filter on every case, and the badges of the list.
    everything = client_of(dora).get("/console/inbox/", {"tab": "all", "overdue": "yes"}).content
    assert listed(everything) == 2
    every_row = client_of(dora).get("/console/inbox/", {"tab": "all"}).content
    assert every_row.count(b'data-testid="alert-red"') == 2 and every_row.count(b'data-testid="alert-yellow"') == 1
