"""Phone numbers leave the API only masked. (The `seen` fixture checks every response of every API test.)"""

from __future__ import annotations

from suban.api.services import token_create


def test_no_response_anywhere_holds_a_full_phone_number(api, bearer, cast, report, seen):
    case = report("楼道堆物", contact_name="陈女士", contact_phone="13912345678", dispatch=True)
    number = case.number
    carol, dora, cindy = api(cast.carol), api(cast.dora), api(cast.cindy)
    carol.act(number, "claim")
    carol.act(number, "note", {"note": "已联系 139****5678", "public": True})
    carol.act(number, "reply", {"reply": "已清理"})
    dora.act(number, "review", {"approve": True})
    for client in (carol, dora, cindy, api(cast.sam)):
        client.get("/cases")
        client.get(f"/cases/{number}")
        client.get(f"/cases/{number}/events")
        client.get("/me")
    cindy.post("/cases", {"title": "又一件事", "contact_phone": "13912345678"})
    _token, key = token_create(by=None, user=cast.chen, name="app")
    bearer(key).get("/me")
    bodies = b"".join(seen)
    assert b"139****5678" in bodies and b"138****0002" in bodies
    # seen's teardown asserts that none of the bodies holds 13800000001, 13800000002 or 13912345678.
    assert not any(b"13912345678" in body for body in seen)
