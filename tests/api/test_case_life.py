"""A request's life through the API, one person after another, each passing the version they last saw."""

from __future__ import annotations

from suban.cases.models import Case, CaseEvent
from suban.catalogue.models import Matter


def test_a_request_lives_its_whole_life_through_the_api(api, cast):
    cindy, dora, carol = api(cast.cindy), api(cast.dora), api(cast.carol)
    submitted = cindy.post(
        "/cases", {"title": "路灯不亮", "text": "东一社区门口路灯坏了三天", "longitude": 120.008, "latitude": 36.008}
    )
    assert submitted.status_code == 201, submitted.content
    case = submitted.json()
    number = case["number"]
    assert case["status"] == "new" and case["view"] == "public" and len(number) == 13

    case = dora.act(number, "accept", {"version": dora.get(f"/cases/{number}").json()["version"]}).json()
    assert case["status"] == "accepted"
    case = dora.act(number, "dispatch", {"unit": None, "version": case["version"]}).json()
    assert case["status"] == "dispatched" and case["unit"]["code"] == "S1C1"
    assert carol.get("/inbox/counts").json()["to_claim"] == 1

    case = carol.act(number, "claim", {"version": case["version"]}).json()
    assert case["status"] == "in_progress" and case["handler"] == {"username": "carol", "name": "Carol"}
    case = carol.act(number, "reply", {"reply": "已更换灯泡", "version": case["version"]}).json()
    assert case["status"] == "reviewing"
    case = dora.act(number, "review", {"approve": True, "version": case["version"]}).json()
    assert case["status"] == "visiting"

    mine = cindy.get(f"/cases/{number}").json()
    assert mine["reply"] == "已更换灯泡" and mine["allowed_actions"] == ["rate", "add_info"]
    rated = cindy.act(number, "rate", {"satisfaction": "satisfied", "resolved": True, "version": mine["version"]})
    assert rated.status_code == 200 and rated.json()["status"] == "closed"
    actions = list(CaseEvent.objects.filter(case__number=number).values_list("action", flat=True))
    assert actions == ["submit", "accept", "dispatch", "claim", "reply", "approve_reply", "rate"]


def test_staff_enter_a_hotline_request_with_a_matter_from_the_catalogue(api, cast):
    Matter.objects.create(code="SZ-LD", name="路灯", full_name="市政设施 / 路灯", level=2)
    response = api(cast.dora).post(
        "/cases",
        {
            "title": "路灯不亮",
            "channel": "hotline",
            "matter": "SZ-LD",
            "address": "东一社区",
            "contact_name": "陈女士",
            "contact_phone": "13912345678",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["view"] == "staff" and body["channel"] == "hotline" and body["matter"]["code"] == "SZ-LD"
    assert body["contact"] == {"name": "陈女士", "phone": "139****5678", "hidden": False}


def test_an_unsatisfied_citizen_gets_the_case_reopened_then_closed_with_a_note(api, cast, dispatched):
    carol, dora, sam = api(cast.carol), api(cast.dora), api(cast.sam)
    carol.act(dispatched.number, "claim")
    carol.act(dispatched.number, "reply", {"reply": "已处理"})
    dora.act(dispatched.number, "review", {"approve": True})
    rated = api(cast.cindy).act(dispatched.number, "rate", {"satisfaction": "unsatisfied", "resolved": False})
    assert rated.json()["status"] == "unsatisfied"
    reopened = sam.act(dispatched.number, "reopen", {"note": "灯仍不亮"}).json()
    assert reopened["status"] == "in_progress" and reopened["reopen_count"] == 1
    carol.act(dispatched.number, "reply", {"reply": "已更换线路"})
    sent_back = dora.act(dispatched.number, "review", {"approve": False, "note": "请附照片"}).json()
    assert sent_back["status"] == "in_progress"
    carol.act(dispatched.number, "reply", {"reply": "已更换线路，附照片"})
    dora.act(dispatched.number, "review", {"approve": True})
    api(cast.sam).act(dispatched.number, "rate", {"satisfaction": "unsatisfied", "resolved": False})
    closed = dora.act(dispatched.number, "close", {"note": "诉求超出政策范围，已解释"}).json()
    assert closed["status"] == "closed"


def test_the_unit_asks_for_more_time_and_the_district_grants_it(api, cast, dispatched):
    carol, dora = api(cast.carol), api(cast.dora)
    before = carol.act(dispatched.number, "claim").json()
    asked = carol.act(dispatched.number, "extension", {"days": 1.5, "reason": "需要采购配件"}).json()
    assert asked["deadlines"]["pending_extension_days"] == 1.5
    granted = dora.act(dispatched.number, "extension-decision", {"approve": True, "note": "同意"}).json()
    assert granted["deadlines"]["pending_extension_days"] is None
    assert granted["deadlines"]["extension_days"] == 1.5
    assert granted["deadlines"]["due_at"] > before["deadlines"]["due_at"]
    carol.act(dispatched.number, "extension", {"days": 1, "reason": "还需一天"})
    refused = dora.act(dispatched.number, "extension-decision", {"approve": False}).json()
    assert refused["deadlines"]["extension_days"] == 1.5


def test_a_hold_stops_the_clock_and_resume_restarts_it(api, cast, dispatched):
    api(cast.carol).act(dispatched.number, "claim")
    sam = api(cast.sam)
    held = sam.act(dispatched.number, "hold", {"reason": "等待司法鉴定"}).json()
    assert held["status"] == "on_hold" and held["deadlines"]["held_at"]
    resumed = sam.act(dispatched.number, "resume").json()
    assert resumed["status"] == "in_progress" and resumed["deadlines"]["held_at"] is None


def test_a_return_ruled_unfounded_cannot_be_made_again(api, cast, dispatched):
    carol, dora = api(cast.carol), api(cast.dora)
    assert carol.act(dispatched.number, "return", {"reason": "属于住建局职责"}).json()["status"] == "returned"
    ruled = dora.act(dispatched.number, "reject-return", {"note": "属地管理，社区牵头"}).json()
    assert ruled["status"] == "dispatched" and ruled["return_final"] is True
    again = carol.act(dispatched.number, "return", {"reason": "仍不属于本社区"})
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid"


def test_a_duplicate_is_merged_and_an_emergency_declined(api, cast, report):
    first, duplicate, emergency = report("路灯不亮"), report("路灯还是不亮"), report("着火了")
    dora = api(cast.dora)
    dora.act(first.number, "accept")
    merged = dora.act(duplicate.number, "merge", {"into": first.number}).json()
    assert merged["status"] == "merged" and merged["merged_into"] == first.number
    assert Case.objects.get(pk=first.pk).support_count == 2
    declined = dora.act(emergency.number, "decline", {"reason": "emergency", "note": "已转119"}).json()
    assert declined["status"] == "declined" and declined["decline_reason"] == "emergency"


def test_whistle_supervise_raise_level_and_add_info(api, cast, dispatched):
    carol = api(cast.carol)
    carol.act(dispatched.number, "claim")
    whistled = carol.act(dispatched.number, "whistle", {"unit": "DEPT1", "note": "需要城管到场"}).json()
    assert [co["unit"]["code"] for co in whistled["co_handlers"]] == ["DEPT1"]
    noted = api(cast.dan).act(dispatched.number, "note", {"note": "已到场", "public": True}).json()
    assert noted["status"] == "in_progress"
    supervised = api(cast.sam).act(dispatched.number, "supervise", {"note": "今日办结", "days": 0.5}).json()
    assert supervised["supervision_count"] == 1
    raised = api(cast.leo).act(dispatched.number, "raise-level", {"unit": "S1", "note": "街道统筹"}).json()
    assert raised["unit"]["code"] == "S1" and raised["status"] == "dispatched"
    added = api(cast.cindy).act(dispatched.number, "add-info", {"text": "晚上八点后最暗"})
    assert added.status_code == 200 and added.json()["view"] == "public"


def test_the_dispatch_centre_takes_in_and_dispatches_a_hotline_order_in_one_call(api, cast):
    dora = api(cast.dora)
    body = {
        "title": "小区门口积水",
        "channel": "hotline",
        "longitude": 120.008,
        "latitude": 36.008,
        "contact_phone": "13912345678",
        "dispatch": True,
        "co_units": ["DEPT1"],
    }
    made = dora.post("/cases", body)
    assert made.status_code == 201, made.content
    case = made.json()
    assert case["status"] == "dispatched" and case["unit"]["code"] == "S1C1"
    actions = list(
        CaseEvent.objects.filter(case__number=case["number"]).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["submit", "accept", "dispatch"]
    assert Case.objects.get(number=case["number"]).co_handlers.get().unit.code == "DEPT1"

    by_hand = dora.post("/cases", {**body, "unit": "DEPT2", "co_units": []}).json()
    assert by_hand["unit"]["code"] == "DEPT2"


def test_a_request_sent_again_answers_200_with_the_first_case(api, cast, settings):
    settings.REPEAT_WINDOW_MINUTES = 10
    cindy, dora = api(cast.cindy), api(cast.dora)
    body = {"title": "路灯不亮", "text": "东一社区门口路灯坏了三天", "longitude": 120.008, "latitude": 36.008}
    first = cindy.post("/cases", body)
    again = cindy.post("/cases", {**body, "text": "东一社区门口路灯坏了三天 "})
    other = cindy.post("/cases", {**body, "text": "东一社区西门的路灯也坏了"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["number"] == first.json()["number"] != other.json()["number"]
    # A hotline that retries its work order gets the case it made, the same way.
    order = {"title": "井盖缺失", "channel": "hotline", "source_ref": "HL-7", "address": "东一社区"}
    made, retried = dora.post("/cases", order), dora.post("/cases", order)
    assert (made.status_code, retried.status_code) == (201, 200)
    assert retried.json()["number"] == made.json()["number"]
    assert Case.objects.count() == 3


def test_only_the_dispatch_centre_dispatches_at_intake_and_a_refusal_leaves_no_case(api, cast):
    before = Case.objects.count()
    refused = api(cast.carol).post("/cases", {"title": "路灯不亮", "dispatch": True})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    unknown = api(cast.dora).post("/cases", {"title": "路灯不亮", "dispatch": True, "unit": "NOPE"})
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "unit"
    # Nowhere to route (no place given): the whole intake rolls back, no half-made case stays behind.
    unroutable = api(cast.dora).post("/cases", {"title": "路灯不亮", "dispatch": True})
    assert unroutable.status_code == 400 and unroutable.json()["error"]["field"] == "unit"
    assert api(cast.dora).post("/cases", {"title": "路灯不亮", "unit": "S1"}).status_code == 400
    assert Case.objects.count() == before


def test_extension_requests_are_counted_and_listed_for_who_decides_them(api, cast):
    cindy, dora, carol = api(cast.cindy), api(cast.dora), api(cast.carol)
    numbers = []
    for title in ("路灯不亮", "井盖丢了"):
        case = cindy.post("/cases", {"title": title, "longitude": 120.008, "latitude": 36.008}).json()
        case = dora.act(case["number"], "accept", {"version": case["version"]}).json()
        case = dora.act(case["number"], "dispatch", {"unit": None, "version": case["version"]}).json()
        case = carol.act(case["number"], "claim", {"version": case["version"]}).json()
        numbers.append((case["number"], case["version"]))
    (asked, version), (other, _version) = numbers
    # A decision is offered only while a request waits, and a second request only when none does.
    assert "approve_extension" not in dora.get(f"/cases/{asked}").json()["allowed_actions"]
    assert "request_extension" in carol.get(f"/cases/{asked}").json()["allowed_actions"]
    response = carol.act(asked, "extension", {"days": 2, "reason": "等配件", "version": version})
    assert response.status_code == 200, response.content
    assert dora.get("/inbox/counts").json()["extension_asked"] == 1
    assert "approve_extension" in dora.get(f"/cases/{asked}").json()["allowed_actions"]
    assert "request_extension" not in carol.get(f"/cases/{asked}").json()["allowed_actions"]
    assert carol.get("/inbox/counts").json()["extension_asked"] is None  # the unit asks; it does not decide
    listed = dora.get("/cases", {"extension_asked": "true"}).json()["items"]
    assert [c["number"] for c in listed] == [asked]
    others = {c["number"] for c in dora.get("/cases", {"extension_asked": "false"}).json()["items"]}
    assert other in others and asked not in others
