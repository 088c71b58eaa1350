"""One case: what staff see, what the citizen sees, and the timeline."""

from __future__ import annotations

from suban.cases.services import case_claim, case_note, case_reply, case_return, case_supervise
from tests.api.conftest import IN_S1C1G1


def test_staff_see_deadlines_version_the_masked_phone_and_their_own_actions(api, cast, dispatched):
    carol = api(cast.carol).get(f"/cases/{dispatched.number}").json()
    assert carol["view"] == "staff"
    assert carol["allowed_actions"] == ["claim", "return", "escalate", "note"]
    assert carol["version"] == dispatched.version
    assert carol["unit"] == {"code": "S1C1", "name": "东一社区", "kind": "community"}
    assert carol["grid"]["code"] == "S1C1G1"
    deadlines = carol["deadlines"]
    assert deadlines["due_at"] and deadlines["warn_at"] and deadlines["response_due_at"]
    assert deadlines["alert"] == "" and deadlines["limit_days"] > 0
    dora = api(cast.dora).get(f"/cases/{dispatched.number}").json()
    assert dora["allowed_actions"] == ["raise_level"]
    sam = api(cast.sam).get(f"/cases/{dispatched.number}").json()
    assert sam["allowed_actions"] == ["note", "supervise", "raise_level"]  # a supervisor may leave an instruction
    assert carol["contact"] == {"name": "", "phone": "138****0001", "hidden": False}


def test_a_dispatch_with_co_handlers_shows_them(api, cast, submitted):
    dora = api(cast.dora)
    dora.act(submitted.number, "accept")
    body = dora.act(submitted.number, "dispatch", {"unit": "S1C1", "co_units": ["DEPT1"]}).json()
    assert [co["unit"]["code"] for co in body["co_handlers"]] == ["DEPT1"]
    assert api(cast.dan).get(f"/cases/{submitted.number}").json()["allowed_actions"] == ["note"]


def test_an_anonymous_case_hides_the_complainant_from_every_staff_member(api, cast, report):
    case = report("匿名举报", anonymous=True, contact_name="陈女士", contact_phone="13912345678", dispatch=True)
    for person in ("carol", "dora", "sam"):
        contact = api(cast[person]).get(f"/cases/{case.number}").json()["contact"]
        assert contact == {"name": "匿名", "phone": "", "hidden": True}, person
    own = api(cast.cindy).get(f"/cases/{case.number}").json()["contact"]
    assert own == {"name": "陈女士", "phone": "139****5678", "hidden": False}


def test_a_confidential_case_hides_the_complainant_from_the_unit_but_not_the_district(api, cast, report):
    case = report("投诉社区", confidential=True, contact_name="陈女士", dispatch=True)
    assert api(cast.carol).get(f"/cases/{case.number}").json()["contact"]["hidden"] is True
    assert api(cast.dora).get(f"/cases/{case.number}").json()["contact"]["name"] == "陈女士"


def test_the_citizen_sees_a_public_view_without_internals(api, cast, dispatched):
    case_claim(case=dispatched, by=cast.carol)
    case_note(case=dispatched, by=cast.carol, note="内部：需要协调电力公司")
    case_reply(case=dispatched, by=cast.carol, reply="已更换灯泡（待审核）")
    body = api(cast.cindy).get(f"/cases/{dispatched.number}").json()
    assert body["view"] == "public"
    assert body["reply"] == "" and body["replied_at"] is None  # not released yet
    for internal in ("handler", "deadlines", "co_handlers", "confidential", "source_ref", "return_count"):
        assert internal not in body
    assert "内部" not in str(body)
    api(cast.dora).act(dispatched.number, "review", {"approve": True})
    released = api(cast.cindy).get(f"/cases/{dispatched.number}").json()
    assert released["reply"] == "已更换灯泡（待审核）"
    assert released["allowed_actions"] == ["rate", "add_info"]


def test_staff_see_the_whole_timeline_and_the_citizen_only_its_public_steps(api, cast, dispatched):
    case_supervise(case=dispatched, by=cast.sam, note="请今天内联系群众")
    case_return(case=dispatched, by=cast.carol, reason="不属于本社区：内部理由")
    staff = api(cast.dora).get(f"/cases/{dispatched.number}/events").json()
    assert [e["action"] for e in staff] == ["submit", "accept", "dispatch", "supervise", "return"]
    assert staff[-1]["note"] == "不属于本社区：内部理由"
    assert staff[-1]["actor"] == {
        "kind": "staff",
        "name": "Carol",
        "username": "carol",
        "unit": {"code": "S1C1", "name": "东一社区", "kind": "community"},
    }
    assert staff[0]["actor"]["kind"] == "citizen" and staff[0]["actor"]["username"] is None
    public = api(cast.cindy).get(f"/cases/{dispatched.number}/events").json()
    assert [e["action"] for e in public] == ["submit", "accept", "dispatch"]
    assert all(e["data"] is None and e["actor"]["username"] is None for e in public)


def test_a_case_escalated_out_of_reach_disappears_for_the_unit_that_let_it_go(api, cast, report):
    case = report("需要区里协调", where=IN_S1C1G1, dispatch=True)
    carol = api(cast.carol)
    carol.act(case.number, "claim")
    body = carol.act(case.number, "escalate", {"to_unit": "DEPT1", "note": "需要城管执法"}).json()
    assert body["unit"]["code"] == "DEPT1" and body["allowed_actions"] == []
    # The place still lies in carol's community, so she keeps seeing it, without actions.
    assert carol.get(f"/cases/{case.number}").json()["allowed_actions"] == []
    assert api(cast.dan).get(f"/cases/{case.number}").json()["allowed_actions"] == [
        "claim",
        "return",
        "escalate",
        "note",
    ]
