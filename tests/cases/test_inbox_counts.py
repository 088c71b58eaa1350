"""An inbox's counts equal its lists, pile by pile, for handlers and overseers, co-handled cases included."""

from __future__ import annotations

from typing import Any

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.cases.models import Alert, Case, CoHandler
from suban.cases.selectors import INBOX_PILES, OPEN_STATUSES, inbox_cases, inbox_counts
from suban.cases.services import case_intake
from tests.conftest import PASSWORD, Cast
from tests.timing import FrozenTime


def listed(user: Any) -> dict[str, int]:
    open_cases = inbox_cases(user).filter(status__in=OPEN_STATUSES)
    return {name: open_cases.filter(condition).count() for name, condition in INBOX_PILES.items()}


def test_counts_equal_lists_for_every_inbox(cast: Cast, org: dict[str, Any], frozen: FrozenTime) -> None:
    east = case_intake(
        by=cast.dora, dispatch=True, unit=org["S1C1"], title="东边路灯", longitude=120.008, latitude=36.008
    )
    west = case_intake(by=cast.dora, dispatch=True, unit=org["S2C1"], title="西边井盖")
    case_intake(by=cast.dora, title="还没受理")
    Case.objects.filter(pk=west.pk).update(alert=Alert.RED)
    # The east street's case, co-handled by a community of the west street: in the west's reach by that alone.
    CoHandler.objects.create(case=east, unit=org["S2C1"], unit_path=org["S2C1"].path)
    west_leader = staff_create(
        by=None, username="w-leader", name="西街道领导", unit=org["S2"], roles=[Role.LEADER], password=PASSWORD
    )
    people = [west_leader, *(p for p in cast.everyone().values() if not p.is_citizen and p.roles)]
    for person in people:
        assert inbox_counts(person) == listed(person), person.username
    west_counts = inbox_counts(west_leader)
    assert (west_counts["to_claim"], west_counts["red"]) == (2, 1)  # its own case and the co-handled one
    assert sum(inbox_counts(cast.dora).values()) == 4  # new, 2 to claim, 1 red
