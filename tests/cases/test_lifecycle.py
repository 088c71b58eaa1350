"""A request's whole life through the service layer, and the table's refusals."""

from __future__ import annotations

import pytest

from suban.cases.lifecycle import allowed_actions
from suban.cases.models import CaseEvent, Satisfaction, Status
from suban.cases.services import (
    case_claim,
    case_rate,
    case_reopen,
    case_reply,
    case_return,
    case_review_reply,
)
from suban.errors import Conflict, Forbidden


def test_a_citizens_request_lands_in_its_grid_and_with_the_district(submitted, org):
    assert submitted.status == Status.NEW
    assert submitted.grid == org["S1C1G1"]
    assert submitted.unit == org["D"]
    assert len(submitted.number) == 13
    assert submitted.contact_phone == "13800000001"
    assert submitted.masked_contact_phone == "138****0001"


def test_livelihood_cases_start_at_the_community(dispatched, org):
    assert dispatched.status == Status.DISPATCHED
    assert dispatched.unit == org["S1C1"]
    assert dispatched.level == "community"
    assert dispatched.due_at is not None and dispatched.warn_at < dispatched.due_at


def test_the_whole_life_ends_closed_with_a_satisfied_citizen(dispatched, cast):
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply="已更换灯泡")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction=Satisfaction.SATISFIED, resolved=True)
    assert dispatched.status == Status.CLOSED
    actions = list(CaseEvent.objects.filter(case=dispatched).values_list("action", flat=True))
    assert actions == ["submit", "accept", "dispatch", "claim", "reply", "approve_reply", "rate"]


def test_unsatisfied_citizens_get_the_case_reopened(dispatched, cast):
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply="已处理")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    assert dispatched.status == Status.UNSATISFIED
    case_reopen(case=dispatched, by=cast.sam, note="灯仍不亮")
    assert dispatched.status == Status.IN_PROGRESS and dispatched.reopen_count == 1


def test_it_rejects_other_streets_handlers(dispatched, cast):
    with pytest.raises(Forbidden):
        case_claim(case=dispatched, by=cast.bob)
    assert allowed_actions(dispatched, cast.bob) == []


def test_the_lead_unit_sees_exactly_its_buttons(dispatched, cast):
    assert allowed_actions(dispatched, cast.carol) == ["claim", "return", "escalate", "note"]
    assert "dispatch" not in allowed_actions(dispatched, cast.dora)


def test_two_handlers_at_once_exactly_one_wins(dispatched, cast):
    from suban.cases.models import Case

    stale = Case.objects.get(pk=dispatched.pk)
    case_claim(case=dispatched, by=cast.carol)
    with pytest.raises(Conflict):
        case_return(case=stale, by=cast.carol, reason="不属于本社区")
    assert Case.objects.get(pk=dispatched.pk).status == Status.IN_PROGRESS
