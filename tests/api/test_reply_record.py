"""The events API keeps every round of a reopened case: staff read each reply on its step (the draft sent back
too), the citizen the replies released to her, on their release."""

from __future__ import annotations

from tests.cases.test_reply_record import DRAFT, FIRST, SECOND, two_rounds


def test_staff_read_each_reply_on_its_step(api, cast, dispatched):
    two_rounds(dispatched, cast)
    events = api(cast.dora).get(f"/cases/{dispatched.number}/events").json()
    replies = [(e["action"], e["reply"]) for e in events if e["reply"]]
    assert replies == [
        ("reply", FIRST),
        ("approve_reply", FIRST),
        ("reply", DRAFT),
        ("reply", SECOND),
        ("approve_reply", SECOND),
    ]
    assert [e["data"]["reply"] for e in events if e["action"] == "reply"] == [FIRST, DRAFT, SECOND]
    assert [e["note"] for e in events if e["action"] == "send_back"] == ["请附现场照片"]
    assert [(e["data"]["satisfaction"], e["note"]) for e in events if e["action"] == "rate"] == [
        ("unsatisfied", "灯还是一闪一闪"),
        ("satisfied", "这次修好了"),
    ]


def test_the_citizen_reads_the_released_replies_and_not_the_draft(api, cast, dispatched):
    two_rounds(dispatched, cast)
    response = api(cast.cindy).get(f"/cases/{dispatched.number}/events")
    events = response.json()
    assert [(e["action"], e["reply"]) for e in events if e["reply"]] == [
        ("approve_reply", FIRST),
        ("approve_reply", SECOND),
    ]
    assert DRAFT not in response.content.decode() and "请附现场照片" not in response.content.decode()
    assert [e["note"] for e in events if e["action"] == "rate"] == ["灯还是一闪一闪", "这次修好了"]
    assert all(e["data"] is None for e in events)


def test_a_reply_under_review_is_not_the_citizens_yet(api, cast, dispatched):
    carol = api(cast.carol)
    carol.act(dispatched.number, "claim")
    carol.act(dispatched.number, "reply", {"reply": FIRST})
    mine = api(cast.cindy).get(f"/cases/{dispatched.number}/events")
    assert FIRST not in mine.content.decode()
    staff = api(cast.dora).get(f"/cases/{dispatched.number}/events").json()
    assert [e["reply"] for e in staff if e["action"] == "reply"] == [FIRST]
