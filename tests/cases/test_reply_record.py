"""A case that goes round twice (不满意 → 重办 → a second reply) keeps every round in its record: each reply the
unit wrote (the draft sent back too), each review decision with its note, each rating with its comment. Staff
read all of it on their timeline; the citizen reads the replies that were released to her and her ratings."""

from __future__ import annotations

import pytest

from suban.cases.models import Case, CaseEvent, Status
from suban.cases.services import case_claim, case_rate, case_reopen, case_reply, case_review_reply
from suban.cases.timeline import public_steps
from suban.console.timeline import timeline
from tests.conftest import Cast

FIRST = "已更换灯泡，路灯恢复照明。"
DRAFT = "已更换线路。"
SECOND = "已更换线路并加装护罩，附照片。"


def two_rounds(case: Case, cast: Cast, first: str = FIRST, draft: str = DRAFT, second: str = SECOND) -> Case:
    """First reply released, rated unsatisfied, reopened; a draft sent back; the second reply released, rated."""
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply=first)
    case_review_reply(case=case, by=cast.dora, approve=True, note="同意发布")
    case_rate(case=case, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="灯还是一闪一闪")
    case_reopen(case=case, by=cast.sam, note="灯仍闪烁，请彻底修复")
    case_reply(case=case, by=cast.carol, reply=draft)
    case_review_reply(case=case, by=cast.dora, approve=False, note="请附现场照片")
    case_reply(case=case, by=cast.carol, reply=second)
    case_review_reply(case=case, by=cast.dora, approve=True)
    return case_rate(case=case, by=cast.cindy, satisfaction="satisfied", resolved=True, comment="这次修好了")


@pytest.fixture
def twice(dispatched: Case, cast: Cast) -> Case:
    return two_rounds(dispatched, cast)


def test_every_reply_decision_and_rating_stays_in_the_events(twice: Case) -> None:
    events = CaseEvent.objects.filter(case=twice).order_by("seq")
    assert [e.data.get("reply") for e in events.filter(action="reply")] == [FIRST, DRAFT, SECOND]
    assert [(e.action, e.note) for e in events.filter(action__in=["approve_reply", "send_back"])] == [
        ("approve_reply", "同意发布"),
        ("send_back", "请附现场照片"),
        ("approve_reply", ""),
    ]
    assert [(e.data["satisfaction"], e.note) for e in events.filter(action="rate")] == [
        ("unsatisfied", "灯还是一闪一闪"),
        ("satisfied", "这次修好了"),
    ]
    twice.refresh_from_db()
    assert (twice.status, twice.reply, twice.rating_comment) == (Status.CLOSED, SECOND, "这次修好了")


def test_reopening_clears_the_rating_of_the_round_before(dispatched: Case, cast: Cast) -> None:
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply=FIRST)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="没修好")
    case_reopen(case=dispatched, by=cast.sam, note="请重新处理")
    dispatched.refresh_from_db()
    # The rating of the first round is in its event; the case holds none until the next one.
    assert (dispatched.satisfaction, dispatched.resolved, dispatched.rating_comment) == ("", None, "")
    assert CaseEvent.objects.get(case=dispatched, action="rate").note == "没修好"


def test_staff_read_every_reply_on_their_timeline(twice: Case, cast: Cast) -> None:
    steps = timeline(twice, cast.dora)
    assert [s.reply for s in steps if s.reply] == [FIRST, DRAFT, SECOND]
    assert [s.event.action for s in steps if s.reply] == ["reply", "reply", "reply"]
    sent_back = next(s for s in steps if s.event.action == "send_back")
    assert sent_back.event.note == "请附现场照片"
    assert [s.event.note for s in steps if s.event.action == "rate"] == ["灯还是一闪一闪", "这次修好了"]


def test_the_citizen_reads_the_replies_released_to_her_and_not_the_draft(twice: Case, cast: Cast) -> None:
    steps = public_steps(twice, cast.cindy)
    assert [(s.action, s.reply) for s in steps if s.reply] == [("approve_reply", FIRST), ("approve_reply", SECOND)]
    assert not any(DRAFT in (s.reply + s.note) for s in steps)
    assert not any("请附现场照片" in s.note or "同意发布" in s.note for s in steps)
    assert [s.note for s in steps if s.action == "rate"] == ["灯还是一闪一闪", "这次修好了"]


def test_while_reopened_the_citizen_still_reads_the_first_reply(dispatched: Case, cast: Cast) -> None:
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply=FIRST)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    case_rate(case=dispatched, by=cast.cindy, satisfaction="unsatisfied", resolved=False, comment="没修好")
    case_reopen(case=dispatched, by=cast.sam, note="请重新处理")
    case_reply(case=dispatched, by=cast.carol, reply=DRAFT)  # under review: not hers yet
    steps = public_steps(dispatched, cast.cindy)
    assert [s.reply for s in steps if s.reply] == [FIRST]
