"""The rules each service enforces beyond the transition table: reasons, limits, ladders, who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from suban.cases.lifecycle import allowed_actions
from suban.cases.models import Case, CaseEvent, CoHandler, Satisfaction, Status
from suban.cases.routing import next_up
from suban.cases.selectors import cases_visible_to
from suban.cases.services import (
    DeclineReason,
    case_accept,
    case_add_info,
    case_claim,
    case_decline,
    case_dispatch,
    case_escalate,
    case_merge,
    case_note,
    case_raise_level,
    case_rate,
    case_reject_return,
    case_reply,
    case_request_extension,
    case_return,
    case_review_reply,
    case_submit,
    case_supervise,
    case_whistle,
)
from suban.errors import Conflict, Forbidden, Invalid
from suban.org.services import unit_move
from tests.conftest import Cast
from tests.timing import FrozenTime, at


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def unchanged(case: Case) -> None:
    """The action was refused and nothing was written."""
    row = fresh(case)
    assert row.version == case.version and row.status == case.status
    assert CaseEvent.objects.filter(case=case).count() == case.version


def light(cast: Cast, **extra: Any) -> Case:
    fields = {"title": "路灯不亮", "longitude": 120.005, "latitude": 36.005, **extra}
    return case_submit(by=cast.cindy, **fields)


@pytest.fixture
def accepted(cast: Cast, submitted: Case) -> Case:
    return case_accept(case=submitted, by=cast.dora)


@pytest.fixture
def working(cast: Cast, dispatched: Case) -> Case:
    """Claimed by carol of 东一社区."""
    return case_claim(case=dispatched, by=cast.carol)


# --- decline (Art. 11) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "  ", "bored", "Emergency"])
def test_declining_needs_an_article_11_reason(accepted, cast, reason):
    with pytest.raises(Invalid) as refused:
        case_decline(case=accepted, by=cast.dora, reason=reason, note="")
    assert refused.value.field == "reason"
    unchanged(accepted)


@pytest.mark.parametrize("reason", DeclineReason.values)
def test_a_declined_case_is_terminal_and_says_why(submitted, cast, reason):
    case_decline(case=submitted, by=cast.dora, reason=reason, note="请拨打110")
    case = fresh(submitted)
    assert case.status == Status.DECLINED and case.decline_reason == reason and case.closed_at is not None
    assert CaseEvent.objects.get(case=case, action="decline").data == {"reason": reason}
    assert allowed_actions(case, cast.dora) == []
    with pytest.raises(Conflict):
        case_accept(case=case, by=cast.dora)


def test_only_the_dispatch_centre_declines_and_only_before_dispatch(dispatched, submitted, cast):
    other = light(cast)
    with pytest.raises(Forbidden):
        case_decline(case=other, by=cast.carol, reason=DeclineReason.REPEAT)
    with pytest.raises(Forbidden):
        case_decline(case=other, by=cast.sysadmin, reason=DeclineReason.REPEAT)
    with pytest.raises(Conflict):
        case_decline(case=dispatched, by=cast.dora, reason=DeclineReason.REPEAT)
    unchanged(other)
    unchanged(dispatched)


# --- return -----------------------------------------------------------------------------------------------


def dispatched_on(frozen: FrozenTime, cast: Cast, moment: Any) -> Case:
    frozen.set(moment)
    case = light(cast)
    case_accept(case=case, by=cast.dora)
    return case_dispatch(case=case, by=cast.dora)


def test_a_unit_returns_within_two_working_days_holidays_not_counting(frozen, cast):
    # Dispatched Friday 13 February 2026 10:00; 14 February is worked, 15–23 February are Spring Festival.
    case = dispatched_on(frozen, cast, at(2026, 2, 13, 10))
    frozen.set(at(2026, 2, 24, 17, 30))  # the close of office of the second working day after the dispatch
    case_return(case=case, by=cast.carol, reason="路灯属城管局管理")
    assert case.status == Status.RETURNED and case.return_count == 1
    assert not CaseEvent.objects.get(case=case, action="return").public


def test_the_return_limit_passes_after_two_working_days(frozen, cast):
    # Dispatched on Friday 13 February: the worked Saturday 14 and Tuesday 24 February, to its close of office.
    case = dispatched_on(frozen, cast, at(2026, 2, 13, 10))
    case_claim(case=case, by=cast.carol)
    frozen.set(at(2026, 2, 24, 17, 31))
    with pytest.raises(Invalid) as refused:
        case_return(case=case, by=cast.carol, reason="不属于本社区")
    assert refused.value.field == "reason"
    unchanged(case)


def test_a_return_needs_a_reason_and_the_lead_unit(dispatched, cast):
    with pytest.raises(Invalid):
        case_return(case=dispatched, by=cast.carol, reason="  ")
    for other in ("alice", "bob", "gary", "dan", "cindy", "sam"):
        with pytest.raises(Forbidden):
            case_return(case=dispatched, by=cast[other], reason="不属于本单位")
    unchanged(dispatched)


def test_no_second_return_after_the_dispatch_centre_rejects_one(dispatched, cast):
    case_return(case=dispatched, by=cast.carol, reason="不属于本社区")
    with pytest.raises(Invalid):
        case_reject_return(case=dispatched, by=cast.dora, note="")
    case_reject_return(case=dispatched, by=cast.dora, note="属于社区职责")
    assert dispatched.status == Status.DISPATCHED and dispatched.return_final
    with pytest.raises(Invalid):
        case_return(case=dispatched, by=cast.carol, reason="仍不属于本社区")
    unchanged(dispatched)
    # The ruling binds 东一社区; the street it escalates to may still return the case in its own time.
    case_escalate(case=dispatched, by=cast.carol, note="需街道协调")
    assert dispatched.unit.code == "S1" and not dispatched.return_final
    case_return(case=dispatched, by=cast.alice, reason="应由城管局处理")
    assert dispatched.status == Status.RETURNED


def test_a_returned_case_is_dispatched_again_elsewhere(dispatched, cast, org):
    case_return(case=dispatched, by=cast.carol, reason="路灯属城管局管理")
    case_dispatch(case=dispatched, by=cast.dora, unit=org["DEPT1"])
    assert dispatched.unit == org["DEPT1"] and dispatched.level == "department"
    assert dispatched.status == Status.DISPATCHED and dispatched.limit_days == 4
    case_claim(case=dispatched, by=cast.dan)


# --- escalation (吹哨报到) -----------------------------------------------------------------------------------


def test_escalation_climbs_grid_community_street_district(accepted, cast, org):
    case_dispatch(case=accepted, by=cast.dora, unit=org["S1C1G1"])
    ladder = [("gary", "S1C1", "community", 2), ("carol", "S1", "street", 3), ("alice", "D", "district", 5)]
    assert accepted.level == "grid" and accepted.limit_days == 2
    for n, (person, unit, level, days) in enumerate(ladder, start=1):
        case_escalate(case=accepted, by=cast[person], note="需上级协调")
        case = fresh(accepted)
        assert case.unit is not None
        assert (case.unit.code, case.unit_path, case.level) == (unit, org[unit].path, level)
        assert case.status == Status.DISPATCHED and case.escalation_count == n and case.handler is None
        assert case.limit_days == days and case.dispatched_at is not None
        event = CaseEvent.objects.filter(case=case).last()
        assert event is not None and event.action == "escalate" and event.data["unit"] == unit
    with pytest.raises(Invalid):
        next_up(org["D"])


def test_escalation_to_a_department(working, cast, org):
    case_escalate(case=working, by=cast.carol, to_unit=org["DEPT1"], note="属城管局职责")
    assert working.unit == org["DEPT1"] and working.level == "department" and working.status == Status.DISPATCHED
    assert "claim" in allowed_actions(working, cast.dan)
    assert allowed_actions(working, cast.carol) == []


@pytest.mark.parametrize("code", ["S2", "S2C1", "S1C1G1", "S1C1"])
def test_escalation_goes_up_never_sideways_down_or_nowhere(working, cast, org, code):
    with pytest.raises(Invalid) as refused:
        case_escalate(case=working, by=cast.carol, to_unit=org[code], note="需协调")
    assert refused.value.field == "to_unit"
    unchanged(working)


def test_escalation_needs_a_note_and_the_lead_unit(working, cast):
    with pytest.raises(Invalid):
        case_escalate(case=working, by=cast.carol, note=" ")
    with pytest.raises(Forbidden):
        case_escalate(case=working, by=cast.alice, note="我来")
    unchanged(working)


def test_a_pending_extension_request_does_not_follow_the_case_to_the_next_unit(working, cast):
    case_request_extension(case=working, by=cast.carol, days=2, reason="需协调")
    case_escalate(case=working, by=cast.carol, note="需街道协调")
    assert fresh(working).pending_extension_days is None
    case_claim(case=working, by=cast.alice)
    case_request_extension(case=working, by=cast.alice, days=1, reason="需协调")


# --- whistle -------------------------------------------------------------------------------------------------


def test_a_whistled_department_sees_the_case_and_adds_notes_but_does_not_reply(working, cast, org):
    dan = cast.dan
    assert not cases_visible_to(dan).filter(pk=working.pk).exists()
    case_whistle(case=working, by=cast.carol, unit=org["DEPT1"], person=dan, note="请城管局到场")
    assert working.status == Status.IN_PROGRESS
    co = CoHandler.objects.get(case=working)
    assert (co.unit, co.unit_path, co.person) == (org["DEPT1"], org["DEPT1"].path, dan)
    assert cases_visible_to(dan).filter(pk=working.pk).exists()
    assert not cases_visible_to(cast.bob).filter(pk=working.pk).exists()

    case = fresh(working)
    assert allowed_actions(case, dan) == ["note"]
    case_note(case=case, by=dan, note="已派执法队员")
    assert CaseEvent.objects.filter(case=case).last().actor_unit == org["DEPT1"]  # type: ignore[union-attr]
    for refused in (
        lambda: case_reply(case=case, by=dan, reply="已处理"),
        lambda: case_claim(case=case, by=dan),
        lambda: case_escalate(case=case, by=dan, note="上报"),
        lambda: case_whistle(case=case, by=dan, unit=org["DEPT2"]),
    ):
        with pytest.raises((Forbidden, Conflict)):
            refused()
    unchanged(case)
    # The lead unit still replies.
    case_reply(case=case, by=cast.carol, reply="已修复")


def test_whistling_checks_the_unit_and_the_person(working, cast, org):
    with pytest.raises(Invalid):
        case_whistle(case=working, by=cast.carol, unit=org["S1C1"])  # the lead unit itself
    with pytest.raises(Invalid):
        case_whistle(case=working, by=cast.carol, unit=org["DEPT1"], person=cast.alice)
    with pytest.raises(Forbidden):
        case_whistle(case=working, by=cast.alice, unit=org["DEPT1"])
    unchanged(working)
    assert not CoHandler.objects.filter(case=working).exists()


def test_whistling_needs_the_case_claimed(dispatched, cast, org):
    with pytest.raises(Conflict):
        case_whistle(case=dispatched, by=cast.carol, unit=org["DEPT1"])


def test_a_co_handler_that_becomes_the_lead_is_no_longer_a_co_handler(working, cast, org):
    case_whistle(case=working, by=cast.carol, unit=org["DEPT1"], note="请城管局到场")
    case_escalate(case=working, by=cast.carol, to_unit=org["DEPT1"], note="属城管局职责")
    assert working.unit == org["DEPT1"]
    assert not CoHandler.objects.filter(case=working).exists()
    assert "claim" in allowed_actions(fresh(working), cast.dan)


# --- merge -------------------------------------------------------------------------------------------------


def test_merging_a_duplicate_adds_a_reporter_and_ends_the_duplicate(accepted, cast):
    duplicate = case_submit(by=cast.chen, title="路灯坏了", longitude=120.006, latitude=36.006)
    case_accept(case=duplicate, by=cast.dora)
    case_merge(case=duplicate, by=cast.dora, into=accepted, note="同一路灯")
    duplicate, original = fresh(duplicate), fresh(accepted)
    assert duplicate.status == Status.MERGED and duplicate.merged_into == original and duplicate.closed_at
    assert original.support_count == 2 and original.status == Status.ACCEPTED
    assert CaseEvent.objects.filter(case=original).last().action == "absorb"  # type: ignore[union-attr]
    # The duplicate is terminal: nobody acts on it any more.
    for person in ("dora", "sam", "chen"):
        assert allowed_actions(duplicate, cast[person]) == []
    with pytest.raises(Conflict):
        case_dispatch(case=duplicate, by=cast.dora)
    with pytest.raises(Conflict):
        case_merge(case=duplicate, by=cast.dora, into=original)
    with pytest.raises(Forbidden):
        case_add_info(case=duplicate, by=cast.cindy, text="补充")
    # The original goes on, counting both reporters.
    case_dispatch(case=original, by=cast.dora)
    assert fresh(original).support_count == 2


def test_merging_into_oneself_a_new_or_a_closed_case_is_refused(accepted, cast):
    with pytest.raises(Invalid):
        case_merge(case=accepted, by=cast.dora, into=accepted)
    new = light(cast)
    with pytest.raises(Invalid) as refused:
        case_merge(case=accepted, by=cast.dora, into=new)  # not yet accepted: nothing to merge into
    assert refused.value.field == "into"  # said next to the number typed, not as a stale page
    declined = light(cast)
    case_decline(case=declined, by=cast.dora, reason=DeclineReason.REPEAT)
    with pytest.raises(Conflict) as refused:
        case_merge(case=accepted, by=cast.dora, into=fresh(declined))
    # In the person's words: the action's name, not its code ("absorb").
    assert "并入重复诉求" in str(refused.value) and "absorb" not in str(refused.value)
    with pytest.raises(Forbidden):
        case_merge(case=accepted, by=cast.carol, into=fresh(declined))
    unchanged(accepted)
    assert fresh(new).version == 1


# --- raise the level ------------------------------------------------------------------------------------------


def test_a_supervisor_raises_the_level_to_the_street(working, cast, org, frozen):
    case_raise_level(case=working, by=cast.sam, unit=org["S1"], note="多次投诉未解决")
    assert working.unit == org["S1"] and working.level == "street" and working.status == Status.DISPATCHED
    assert working.escalation_count == 1 and working.limit_days == 3
    assert working.dispatched_at == frozen() and working.handler is None
    case_raise_level(case=working, by=cast.leo, unit=org["DEPT2"], note="住建局牵头")
    assert working.unit == org["DEPT2"] and working.level == "department"


def test_raising_the_level_goes_up_and_is_for_the_centre_supervisors_and_leaders(working, cast, org):
    for code in ("S1C1", "S1C1G1", "S2"):
        with pytest.raises(Invalid):
            case_raise_level(case=working, by=cast.dora, unit=org[code], note="提级")
    with pytest.raises(Invalid):
        case_raise_level(case=working, by=cast.dora, unit=org["S1"], note="")
    for person in ("carol", "alice", "cindy", "auditor"):
        with pytest.raises(Forbidden):
            case_raise_level(case=working, by=cast[person], unit=org["S1"], note="提级")
    unchanged(working)


# --- rating, information, supervision -------------------------------------------------------------------------


@pytest.fixture
def visiting(cast: Cast, working: Case) -> Case:
    case_reply(case=working, by=cast.carol, reply="已更换灯泡")
    return case_review_reply(case=working, by=cast.dora, approve=True)


def test_only_the_owner_or_the_supervisor_rates(visiting, cast):
    for person in ("chen", "carol", "dora", "sysadmin"):
        with pytest.raises(Forbidden):
            case_rate(case=visiting, by=cast[person], satisfaction=Satisfaction.SATISFIED, resolved=True)
    unchanged(visiting)
    with pytest.raises(Invalid):
        case_rate(case=visiting, by=cast.cindy, satisfaction="so-so", resolved=True)
    case_rate(case=visiting, by=cast.cindy, satisfaction=Satisfaction.BASICALLY, resolved=True, comment="还行")
    assert visiting.status == Status.CLOSED and visiting.closed_at is not None
    with pytest.raises(Conflict):
        case_rate(case=visiting, by=cast.cindy, satisfaction=Satisfaction.UNSATISFIED, resolved=False)


def test_the_supervisor_records_a_return_visit(visiting, cast):
    case_rate(case=visiting, by=cast.sam, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    assert visiting.status == Status.UNSATISFIED


def test_only_the_owner_adds_information_while_the_case_is_open(dispatched, cast):
    case_add_info(case=dispatched, by=cast.cindy, text="晚上八点后才不亮")
    assert CaseEvent.objects.filter(case=dispatched).last().action == "add_info"  # type: ignore[union-attr]
    for person in ("chen", "carol", "dora"):
        with pytest.raises(Forbidden):
            case_add_info(case=dispatched, by=cast[person], text="补充")
    with pytest.raises(Invalid):
        case_add_info(case=dispatched, by=cast.cindy, text="  ")
    unchanged(dispatched)


def test_a_supervision_order_needs_a_note_and_a_sane_number_of_days(working, cast):
    for days in ("1.3", 0, "NaN", "Infinity", "1e300", 101):
        with pytest.raises(Invalid):
            case_supervise(case=working, by=cast.sam, note="请今日内处理", days=days)
    with pytest.raises(Invalid):
        case_supervise(case=working, by=cast.sam, note="", days=1)
    with pytest.raises(Forbidden):
        case_supervise(case=working, by=cast.dora, note="请今日内处理")
    unchanged(working)
    order = case_supervise(case=working, by=cast.leo, note="请今日内处理", days="0.5")
    assert order.unit == working.unit and not order.automatic


# --- anonymity and the phone number ------------------------------------------------------------------------------


def test_an_anonymous_citizen_still_owns_the_case(cast):
    case = light(cast, anonymous=True)
    assert case.anonymous and case.citizen == cast.cindy
    case_add_info(case=case, by=cast.cindy, text="补充照片")
    assert case.contact_phone == "13800000001"  # kept for the platform, hidden from handlers by the faces


def test_an_anonymous_hotline_case_has_no_owner(cast, org):
    case = case_submit(by=cast.dora, title="匿名来电", channel="hotline", anonymous=True)
    assert case.citizen is None and case.reporter == cast.dora and case.contact_phone == ""
    assert case.unit == org["D"] and case.grid is None
    for citizen in ("cindy", "chen"):
        assert allowed_actions(case, cast[citizen]) == []
        with pytest.raises(Forbidden):
            case_add_info(case=case, by=cast[citizen], text="我是来电人")
    case_accept(case=case, by=cast.dora)
    with pytest.raises(Invalid):  # no place on the grid: the dispatcher chooses the unit
        case_dispatch(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora, unit=org["S1C1"])
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="已处理")
    case_review_reply(case=case, by=cast.dora, approve=True)
    case_rate(case=case, by=cast.sam, satisfaction=Satisfaction.SATISFIED, resolved=True)
    assert case.status == Status.CLOSED


def test_the_phone_number_is_stored_encrypted(cast):
    case = light(cast, contact_phone="+86 139-0000-0007")
    assert case.contact_phone == "13900000007" and case.masked_contact_phone == "139****0007"
    stored = Case.objects.filter(pk=case.pk).values_list("contact_phone_encrypted", flat=True).get()
    assert stored and "13900000007" not in stored and "0007" not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_case WHERE contact_phone_encrypted LIKE %s", ["%13900000007%"])
        assert cursor.fetchone()[0] == 0
    # Encryption is randomised: the same number twice gives two different texts.
    again = light(cast, contact_phone="13900000007")
    assert again.contact_phone_encrypted != stored


def test_a_bad_phone_number_is_refused(cast):
    with pytest.raises(Invalid) as refused:
        light(cast, contact_phone="12345")
    assert refused.value.field == "phone"
    assert not Case.objects.exists()


# --- who acts at all ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["sysadmin", "secadmin", "auditor"])
def test_the_admin_roles_act_on_no_case_and_submit_none(working, cast, person):
    assert allowed_actions(working, cast[person]) == []
    with pytest.raises(Forbidden):
        case_note(case=working, by=cast[person], note="看看")
    with pytest.raises(Forbidden):
        case_submit(by=cast[person], title="测试")
    assert not cases_visible_to(cast[person]).exists()


def test_a_disabled_handler_acts_on_nothing(dispatched, cast):
    carol = cast.carol
    carol.is_active = False
    carol.save(update_fields=["is_active"])
    carol = type(carol).objects.get(pk=carol.pk)
    assert allowed_actions(dispatched, carol) == []
    with pytest.raises(Forbidden):
        case_claim(case=dispatched, by=carol)


def test_moving_a_unit_keeps_the_cases_paths(submitted, cast, org):
    case_accept(case=submitted, by=cast.dora)
    dispatched = case_dispatch(case=submitted, by=cast.dora, unit=org["S1C1"], co_units=[org["S1C2"]])
    unit_move(by=cast.sysadmin, unit=org["S1C1"], parent=org["S2"])
    unit_move(by=cast.sysadmin, unit=org["S1C2"], parent=org["S2"])
    case = Case.objects.select_related("unit", "grid").get(pk=dispatched.pk)
    assert case.unit is not None and case.grid is not None
    assert case.unit_path == case.unit.path
    assert case.area_path == case.grid.path
    assert [c.unit_path for c in case.co_handlers.all()] == [org["S1C2"].path.replace("/S1/", "/S2/")]
    # The reach follows the move: the west street now sees the case, the east street no longer does.
    assert cases_visible_to(cast.bob).filter(pk=case.pk).exists()
    assert not cases_visible_to(cast.alice).filter(pk=case.pk).exists()


def test_the_grid_worker_handles_their_own_report_on_the_spot_and_no_one_else_can(cast, org):
    from suban.cases.services import case_handle_on_spot

    gary = cast.gary  # grid worker of S1C1G1
    found = case_submit(by=gary, title="井盖松动", longitude=120.006, latitude=36.007)
    assert "handle_on_spot" in allowed_actions(found, gary)
    for other in ("carol", "dora", "alice"):
        assert "handle_on_spot" not in allowed_actions(found, cast[other])
    case_handle_on_spot(case=found, by=gary, note="现场处置")
    assert (found.status, found.unit, found.handler, found.level) == (Status.IN_PROGRESS, org["S1C1G1"], gary, "grid")
    assert found.due_at is not None and found.next_check_at is not None
    case_reply(case=found, by=gary, reply="已紧固井盖")
    assert found.status == Status.REVIEWING

    # A report from outside his grid, or a citizen's request in it, is not his to take.
    outside = case_submit(by=gary, title="路灯不亮", longitude=119.985, latitude=36.005)
    citizens = case_submit(by=cast.cindy, title="路灯不亮", longitude=120.006, latitude=36.007)
    for case in (outside, citizens):
        assert "handle_on_spot" not in allowed_actions(case, gary)
        with pytest.raises(Forbidden):
            case_handle_on_spot(case=case, by=gary)


# --- found by walking the pages (issue 16) ------------------------------------------------------------------


def test_whistling_a_unit_that_co_handles_already_records_the_specialist_sent(working, cast, org):
    case_whistle(case=working, by=cast.carol, unit=org["DEPT1"], note="请城管局协办")
    assert CoHandler.objects.get(case=working).person is None
    case_whistle(case=fresh(working), by=cast.carol, unit=org["DEPT1"], person=cast.dan, note="请丹到场")
    assert CoHandler.objects.get(case=working).person == cast.dan  # one row, now naming him


def test_a_merge_into_a_new_case_says_to_accept_that_case_first(cast, submitted):
    other = light(cast)
    case_accept(case=submitted, by=cast.dora)
    with pytest.raises(Invalid) as refused:
        case_merge(case=fresh(submitted), by=cast.dora, into=other)
    assert refused.value.field == "into" and other.number in refused.value.message
    assert fresh(submitted).status == Status.ACCEPTED


def test_day_limits_are_said_as_each_action_has_them(working, cast):
    with pytest.raises(Invalid) as refused:
        case_request_extension(case=working, by=cast.carol, days="1.3", reason="需协调")
    assert refused.value.field == "days" and "10" in refused.value.message and "100" not in refused.value.message
    with pytest.raises(Invalid):
        case_request_extension(case=working, by=cast.carol, days=11, reason="需协调")
    with pytest.raises(Invalid) as refused:
        case_supervise(case=fresh(working), by=cast.sam, note="尽快", days=31)
    assert "30" in refused.value.message
    case_supervise(case=fresh(working), by=cast.sam, note="尽快", days=30)
