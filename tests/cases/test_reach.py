"""Who reaches a case (suban.cases.reach): a unit once the case is dispatched to it or, dispatched, placed in
its area; never the unit a complaint is about, nor a unit under it."""

from __future__ import annotations

import pytest

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.cases.lifecycle import BY_ACTION, TABLE, relations
from suban.cases.models import Nature, Status
from suban.cases.reach import UNSENT, upper_paths
from suban.cases.selectors import cases_visible_to, inbox_cases, inbox_counts
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_escalate,
    case_submit,
    case_whistle,
)
from suban.errors import Invalid

IN_S1C1G1 = {"longitude": 120.008, "latitude": 36.008}


def complaint(cast, about, **fields):
    return case_submit(
        by=cast.cindy,
        title="社区工作人员态度恶劣",
        text="去社区办事，工作人员推诿扯皮",
        nature=Nature.COMPLAINT,
        confidential=True,
        complained_unit=about,
        **{**IN_S1C1G1, **fields},
    )


def numbers(user):
    return set(cases_visible_to(user).values_list("number", flat=True))


def test_unsent_are_exactly_the_statuses_of_a_case_that_never_left_the_dispatch_centre():
    # The area rule reads "dispatched" off the status: decline and merge must start before any dispatch.
    assert BY_ACTION["decline"].sources <= {Status.NEW, Status.ACCEPTED}
    assert BY_ACTION["merge"].sources <= {Status.NEW, Status.ACCEPTED}
    leads_there = {t.action for t in TABLE if t.targets & {Status.NEW, Status.ACCEPTED, Status.DECLINED, Status.MERGED}}
    assert leads_there == {"accept", "decline", "merge"}
    assert {Status.NEW, Status.ACCEPTED, Status.DECLINED, Status.MERGED} == UNSENT


def test_upper_paths_leave_out_the_root():
    assert upper_paths("/D/S1/S1C1/") == ["/D/S1/", "/D/S1/S1C1/"]
    assert upper_paths("/D/") == []


def test_a_new_request_is_the_districts_until_it_is_dispatched(cast, org, frozen):
    case = case_submit(by=cast.cindy, title="路灯不亮", text="东一社区门口", **IN_S1C1G1)
    for name in ("carol", "alice", "gary"):
        assert case.number not in numbers(cast[name]) and relations(case, cast[name]) == frozenset()
    assert case.number in numbers(cast.dora)
    case_accept(case=case, by=cast.dora)
    assert case.number not in numbers(cast.carol)
    case_dispatch(case=case, by=cast.dora, unit=org["DEPT1"])
    # Dispatched to a department: the street and the community follow it in their area.
    for name in ("carol", "alice", "gary", "dan"):
        assert case.number in numbers(cast[name])


def test_a_declined_request_never_reaches_the_units_of_its_area(cast, frozen):
    from suban.cases.services import case_decline

    case = case_submit(by=cast.cindy, title="请帮我起诉邻居", **IN_S1C1G1)
    case_decline(case=case, by=cast.dora, reason="legal_channel")
    assert case.number not in numbers(cast.carol) | numbers(cast.alice)


def test_a_grid_worker_sees_what_they_reported_before_it_is_dispatched(cast, frozen):
    case = case_submit(by=cast.gary, title="井盖缺失", channel="grid", **IN_S1C1G1)
    assert case.number in numbers(cast.gary) and case.number not in numbers(cast.carol)


def test_a_complaint_about_a_community_goes_to_its_street_and_never_to_the_community(cast, org, frozen):
    case = complaint(cast, org["S1C1"])
    assert (case.complained_unit, case.complained_path) == (org["S1C1"], org["S1C1"].path)
    case_accept(case=case, by=cast.dora)
    for target in ("S1C1", "S1C1G1", "S1C1X"):
        with pytest.raises(Invalid) as refused:
            case_dispatch(case=case, by=cast.dora, unit=org[target])
        assert refused.value.field == "unit" and "东一社区" in refused.value.message
    with pytest.raises(Invalid) as refused:
        case_dispatch(case=case, by=cast.dora, unit=org["S1"], co_units=[org["S1C1"]])
    assert refused.value.field == "co_units"
    # By the list: a livelihood case starts at the community; the complaint goes to the street above it.
    case_dispatch(case=case, by=cast.dora)
    assert case.unit == org["S1"] and case.status == Status.DISPATCHED
    case_claim(case=case, by=cast.alice)
    with pytest.raises(Invalid):
        case_whistle(case=case, by=cast.alice, unit=org["S1C1G1"])
    assert case.number in numbers(cast.alice)
    for name in ("carol", "gary"):
        assert case.number not in numbers(cast[name]) and relations(case, cast[name]) == frozenset()


def test_a_complaint_about_a_street_is_hidden_from_it_and_its_communities_wherever_it_goes(cast, org, frozen):
    case = complaint(cast, org["S1"])
    case_accept(case=case, by=cast.dora)
    with pytest.raises(Invalid):  # the list names the community, under the street: a person chooses
        case_dispatch(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora, unit=org["DEPT1"])
    leader = staff_create(by=None, username="lin", name="Lin", unit=org["S1"], roles=[Role.LEADER])
    assert case.number in numbers(cast.dan) and case.number in numbers(cast.dora)
    for person in (cast.alice, cast.carol, cast.gary, leader):
        assert case.number not in numbers(person) and relations(case, person) == frozenset()
    case_claim(case=case, by=cast.dan)
    with pytest.raises(Invalid):  # nor up the ladder into it
        case_escalate(case=case, by=cast.dan, to_unit=org["S1"], note="请街道处理")


def test_the_dispatch_centre_names_the_unit_complained_about_as_it_dispatches(cast, org, frozen):
    case = case_submit(by=cast.cindy, title="网格员态度差", nature=Nature.COMPLAINT, **IN_S1C1G1)
    case_accept(case=case, by=cast.dora)
    with pytest.raises(Invalid) as refused:
        case_dispatch(case=case, by=cast.dora, unit=org["S1C1G1"], complained_unit=org["S1C1G1"])
    assert refused.value.field == "unit"
    # The community above the grid takes a complaint about the grid's staff.
    case_dispatch(case=case, by=cast.dora, unit=org["S1C1"], complained_unit=org["S1C1G1"])
    assert case.complained_unit == org["S1C1G1"]
    assert case.events.get(action="dispatch").data["complained_unit"] == "S1C1G1"
    assert case.number in numbers(cast.carol) and case.number not in numbers(cast.gary)


def test_only_a_complaint_or_a_report_names_a_unit_and_never_the_district(cast, org, frozen):
    with pytest.raises(Invalid) as refused:
        case_submit(by=cast.cindy, title="咨询", nature=Nature.CONSULTATION, complained_unit=org["S1C1"])
    assert refused.value.field == "complained_unit"
    with pytest.raises(Invalid):
        complaint(cast, org["D"])


def test_the_inbox_counts_agree_with_the_lists(cast, org, frozen):
    leader = staff_create(by=None, username="lin", name="Lin", unit=org["S1"], roles=[Role.LEADER])
    case_submit(by=cast.cindy, title="新诉求", **IN_S1C1G1)
    about_street = complaint(cast, org["S1"])
    case_accept(case=about_street, by=cast.dora)
    case_dispatch(case=about_street, by=cast.dora, unit=org["DEPT1"])
    about_community = complaint(cast, org["S1C1"])
    case_accept(case=about_community, by=cast.dora)
    case_dispatch(case=about_community, by=cast.dora)
    plain = case_submit(by=cast.cindy, title="路灯不亮", **IN_S1C1G1)
    case_accept(case=plain, by=cast.dora)
    case_dispatch(case=plain, by=cast.dora, unit=org["DEPT2"])
    for person in (cast.carol, cast.alice, cast.gary, cast.dan, cast.dora, leader):
        counts = inbox_counts(person)
        listed = inbox_cases(person)
        assert counts["to_claim"] == listed.filter(status=Status.DISPATCHED).count(), person.username
        assert counts["new"] == listed.filter(status=Status.NEW).count(), person.username
    # In the street: DEPT2's case and the complaint about the community (the street handles it), not the one
    # about the street itself.
    assert inbox_counts(leader)["to_claim"] == 2
    assert about_street.number not in {c.number for c in inbox_cases(leader)}


def test_moving_the_unit_complained_about_keeps_the_complaint_hidden_from_it(cast, org, frozen):
    from suban.accounts.models import User
    from suban.org.services import unit_move

    case = complaint(cast, org["S1C1G1"])  # about the grid's own staff
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)  # by the list, to the community above the grid
    unit_move(by=cast.sysadmin, unit=org["S1C1G1"], parent=org["S1C2"])
    case.refresh_from_db()
    assert case.complained_path == case.complained_unit.path == "/D/S1/S1C2/S1C1G1/"
    gary = User.objects.select_related("unit").get(pk=cast.gary.pk)
    assert case.area_path.startswith(gary.unit.path) and case.number not in numbers(gary)
