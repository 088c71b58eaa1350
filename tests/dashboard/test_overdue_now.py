"""Overdue now and due soon now: one definition (suban.cases.selectors) for the console's tabs, the big screen,
the assessment's live figures and the API. A case a unit holds whose deadline has passed is overdue now; once
replied and released (waiting for the return visit, or rated unsatisfied) it keeps its red alert but waits for
no unit, and counts in none of them."""

from __future__ import annotations

from suban.assess.selectors import live_counts
from tests.dashboard.conftest import client_of, listed


def test_the_screen_the_tabs_the_assessment_and_the_api_count_the_same_cases(piles, cast, org):
    dora, leo = cast.dora, cast.leo
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
