"""Which step tells whom what, through the real services: citizens hear of acceptance, the released reply
and the closing (every merged reporter too); staff hear of a case handed to their unit, of the yellow
warning and of the deadline passing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from suban.accounts.roles import Role
from suban.accounts.services import account_set_active, staff_create, staff_update
from suban.cases.clock import run_clock
from suban.cases.models import Satisfaction, Status
from suban.cases.services import (
    case_accept,
    case_claim,
    case_close,
    case_dispatch,
    case_escalate,
    case_intake,
    case_merge,
    case_raise_level,
    case_rate,
    case_reject_return,
    case_reply,
    case_return,
    case_review_reply,
    case_submit,
    case_whistle,
)
from suban.notify.models import MessageTemplate
from tests.notify.helpers import addresses, messages

CINDY, CHEN = "13800000001", "13800000002"
CAROL, GARY, DAN, CATHY = "13700000003", "13700000004", "13700000005", "13700000006"


@pytest.fixture(autouse=True)
def staff_contacts(cast):
    """Staff with a mobile number get SMS; alice has an email address as well, and gets email."""
    for name, phone in (("carol", CAROL), ("gary", GARY), ("dan", DAN), ("alice", "13700000001")):
        staff_update(by=None, user=cast[name], phone=phone)
    cast.alice.email = "alice@example.com"
    cast.alice.save(update_fields=["email"])


def replied(case, cast):
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="已更换灯泡，路灯恢复照明")
    return case


# --- citizens ---------------------------------------------------------------------------------------------


def test_the_citizen_hears_that_the_request_was_accepted(submitted, cast):
    assert messages() == []  # submitting says nothing yet
    case_accept(case=submitted, by=cast.dora)
    [row] = messages("case_accepted")
    assert (row.to, row.channel, row.recipient, row.case) == (CINDY, "sms", cast.cindy, submitted)
    assert submitted.number in row.text


def test_a_hotline_caller_hears_it_on_the_number_they_gave(cast, frozen):
    case = case_submit(by=cast.dora, title="噪音扰民", channel="hotline", contact_phone="139 1234 5678")
    case_accept(case=case, by=cast.dora)
    assert addresses("case_accepted") == ["13912345678"]
    assert messages("case_accepted")[0].recipient is None


def test_a_hotline_order_taken_in_and_dispatched_at_once_tells_the_caller_and_the_unit(cast, frozen):
    case = case_intake(
        by=cast.dora,
        dispatch=True,
        title="路灯不亮",
        channel="hotline",
        contact_phone="13912345678",
        longitude=120.008,
        latitude=36.008,
    )
    assert case.status == Status.DISPATCHED
    assert addresses("case_accepted") == ["13912345678"]
    assert [(r.recipient.username, r.to) for r in messages("staff_new_case")] == [("carol", CAROL)]


def test_no_sms_without_a_mobile_number(cast, frozen):
    silent = case_submit(by=cast.dora, title="无联系方式", channel="hotline")
    landline = case_submit(by=cast.dora, title="座机来电", channel="hotline", contact_phone="053288886666")
    case_accept(case=silent, by=cast.dora)
    case_accept(case=landline, by=cast.dora)
    assert messages() == []


def test_the_reply_reaches_the_citizen_once_the_district_releases_it(dispatched, cast):
    replied(dispatched, cast)
    assert messages("case_replied") == []  # the unit's reply is not the citizen's yet
    case_review_reply(case=dispatched, by=cast.dora, approve=False, note="请写明维修时间")
    assert messages("case_replied") == []
    case_reply(case=dispatched, by=cast.carol, reply="2月9日已更换灯泡")
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    assert dispatched.status == Status.VISITING
    assert addresses("case_replied") == [CINDY]


def test_the_citizen_hears_of_the_closing(dispatched, cast):
    replied(dispatched, cast)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.sam, satisfaction=Satisfaction.UNSATISFIED, resolved=False)
    case_close(case=dispatched, by=cast.sam, note="已按政策答复")
    assert addresses("case_closed") == [CINDY]


def test_a_citizen_who_closes_the_case_by_rating_it_is_not_told_so(dispatched, cast):
    replied(dispatched, cast)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction=Satisfaction.SATISFIED, resolved=True)
    assert dispatched.status == Status.CLOSED
    assert messages("case_closed") == []


def test_every_reporter_of_a_merged_duplicate_hears_of_the_reply_and_the_closing(dispatched, cast):
    duplicate = case_submit(by=cast.chen, title="东一社区路灯坏了", longitude=120.008, latitude=36.008)
    case_merge(case=duplicate, by=cast.dora, into=dispatched)
    dispatched.refresh_from_db()
    assert dispatched.support_count == 2
    replied(dispatched, cast)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    assert addresses("case_replied") == [CINDY, CHEN]
    case_rate(case=dispatched, by=cast.cindy, satisfaction=Satisfaction.SATISFIED, resolved=True)
    assert addresses("case_closed") == [CHEN]  # cindy closed it herself
    [closed] = messages("case_closed")
    assert closed.case == duplicate and duplicate.number in closed.text  # the number chen knows


def test_a_reporter_merged_after_the_reply_is_out_hears_of_it_at_once(dispatched, cast):
    replied(dispatched, cast)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    late = case_submit(by=cast.chen, title="路灯不亮", longitude=120.008, latitude=36.008)
    case_merge(case=late, by=cast.dora, into=dispatched)
    assert addresses("case_replied") == [CINDY, CHEN]
    assert messages("case_replied")[-1].case == late


def test_one_reporter_twice_gets_one_message(dispatched, cast):
    again = case_submit(by=cast.cindy, title="路灯还是不亮", longitude=120.008, latitude=36.008)
    case_merge(case=again, by=cast.dora, into=dispatched)
    replied(dispatched, cast)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    assert addresses("case_replied") == [CINDY]


# --- staff ------------------------------------------------------------------------------------------------


def test_the_handlers_of_the_receiving_unit_hear_of_a_dispatch(submitted, cast, org):
    case_accept(case=submitted, by=cast.dora)
    case_dispatch(case=submitted, by=cast.dora, co_units=[org["DEPT1"]])
    rows = messages("staff_new_case")
    assert sorted((row.recipient.username, row.to) for row in rows) == [("carol", CAROL), ("dan", DAN)]
    carol_row = next(row for row in rows if row.recipient == cast.carol)
    assert "东一社区收到新工单" in carol_row.text
    assert submitted.number in carol_row.text
    assert "2月11日" in carol_row.text  # two working days from Monday 9 February


def test_staff_with_an_email_address_get_email(dispatched, cast, org):
    case_claim(case=dispatched, by=cast.carol)
    case_escalate(case=dispatched, by=cast.carol, note="需街道协调")
    [row] = messages("staff_new_case", recipient=cast.alice)
    assert (row.channel, row.to) == ("email", "alice@example.com")
    assert row.subject == f"新工单 {dispatched.number}"


def test_escalation_raising_and_rejected_returns_tell_the_new_holders(dispatched, cast, org):
    case_claim(case=dispatched, by=cast.carol)
    case_escalate(case=dispatched, by=cast.carol, note="需街道协调")
    assert [r.recipient.username for r in messages("staff_new_case")][-1] == "alice"
    case_raise_level(case=dispatched, by=cast.sam, unit=org["DEPT1"], note="涉及城管执法")
    assert [r.recipient.username for r in messages("staff_new_case")][-1] == "dan"
    case_return(case=dispatched, by=cast.dan, reason="不属于城管职责")
    count = len(messages("staff_new_case"))
    case_reject_return(case=dispatched, by=cast.dora, note="属于城管职责，请办理")
    assert [r.recipient.username for r in messages("staff_new_case")[count:]] == ["dan"]


def test_a_whistle_tells_the_whistled_unit_or_the_person_named(dispatched, cast, org):
    case_claim(case=dispatched, by=cast.carol)
    case_whistle(case=dispatched, by=cast.carol, unit=org["DEPT1"], note="请城管到场")
    assert [r.recipient.username for r in messages("staff_new_case")][-1] == "dan"
    case_whistle(case=dispatched, by=cast.carol, unit=org["S1C1G1"], person=cast.gary)
    assert [r.to for r in messages("staff_new_case")][-1] == GARY


def test_staff_without_an_address_or_disabled_are_not_told(submitted, cast, org):
    staff_update(by=None, user=cast.carol, phone="")
    account_set_active(by=None, user=cast.dan, active=False)
    case_accept(case=submitted, by=cast.dora)
    case_dispatch(case=submitted, by=cast.dora, co_units=[org["DEPT1"]])
    assert messages("staff_new_case") == []


def test_the_clock_warns_the_unit_then_tells_the_handler_it_is_overdue(dispatched, cast, frozen, org):
    staff_create(by=None, username="cathy", name="Cathy", unit=org["S1C1"], roles=[Role.COMMUNITY_HANDLER], phone=CATHY)
    assert dispatched.warn_at is not None and dispatched.due_at is not None
    frozen.set(dispatched.warn_at + timedelta(minutes=1))
    run_clock()
    assert addresses("staff_deadline_yellow") == [CAROL, CATHY]  # nobody claimed it: the unit's handlers
    assert "仅剩1个工作日" in messages("staff_deadline_yellow")[0].text
    dispatched.refresh_from_db()
    case_claim(case=dispatched, by=cast.carol)
    frozen.set(dispatched.due_at + timedelta(days=1))
    run_clock()
    assert addresses("staff_overdue") == [CAROL]  # the handler who claimed it
    assert "已超过办理时限" in messages("staff_overdue")[0].text


def test_a_message_turned_off_is_not_sent(submitted, cast):
    MessageTemplate.objects.filter(code="case_accepted").update(active=False)
    case_accept(case=submitted, by=cast.dora)
    assert messages() == []


def test_a_broken_template_sends_the_default_text_and_the_step_goes_on(submitted, cast, caplog):
    MessageTemplate.objects.filter(code="case_accepted").update(body="{% if %}")
    case_accept(case=submitted, by=cast.dora)
    assert submitted.status == Status.ACCEPTED
    [row] = messages("case_accepted")
    assert "已受理" in row.text
    assert "does not render" in caplog.text
    caplog.clear()  # the error was expected


def test_a_failing_notification_never_undoes_the_step(submitted, cast, monkeypatch, caplog):
    from suban.cases import notices as rules

    def explode(*args, **kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(rules, "outbox_add_many", explode)
    case_accept(case=submitted, by=cast.dora)
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED
    assert "no messages for event accept" in caplog.text
    caplog.clear()


def test_a_failing_notification_never_undoes_an_intake_or_a_batch(cast, monkeypatch, caplog, frozen):
    """The set-based path (events_recorded): a message that cannot be made loses only its own event's
    messages; an outbox that cannot be written loses the batch's messages, never its cases."""
    from suban.cases import notices as rules
    from suban.cases.services import intake_many

    real = rules.outbox_row

    def picky(**kwargs):
        if kwargs["template"] == "case_accepted":
            raise RuntimeError("no template for acceptance")
        return real(**kwargs)

    order = {"title": "路灯不亮", "channel": "hotline", "contact_phone": "13912345678", "dispatch": True}
    monkeypatch.setattr(rules, "outbox_row", picky)
    taken = intake_many(by=cast.dora, orders=[{**order, "longitude": 120.008, "latitude": 36.008}] * 2)
    assert all(t.case.status == Status.DISPATCHED for t in taken)
    assert messages("case_accepted") == [] and len(messages("staff_new_case")) == 2
    assert "no messages for event accept" in caplog.text
    caplog.clear()

    def explode(*args, **kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(rules, "outbox_add_many", explode)
    case = case_intake(by=cast.dora, **order, longitude=120.008, latitude=36.008)
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and len(messages()) == 2
    assert "no messages for 2 case events" in caplog.text
    caplog.clear()


def test_a_declined_request_tells_the_citizen_why(submitted, cast):
    from suban.cases.services import DeclineReason, case_decline

    case_decline(case=submitted, by=cast.dora, reason=DeclineReason.EMERGENCY)
    [row] = messages("case_declined")
    assert (row.to, row.recipient, row.case) == (CINDY, cast.cindy, submitted)
    assert submitted.number in row.text and "110" in row.text  # the reason, in Chinese, says where to go
