"""The mediation centre through the API: a dispute registered and taken through every step to its agreement PDF;
who reads what (404 for everyone else, the party's view for a party); a stale version is a 409; junk is a 400
naming the field, never a 500; text comes back as it was typed. Every answer is checked against the published
OpenAPI document."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from suban.api.routers.mediation import STEPS, _note_only
from suban.api.schemas.mediation import DisputeNoteIn
from suban.api.services import token_create
from suban.mediation.lifecycle import Step
from suban.mediation.models import Dispute, DisputeStatus, RiskReport
from suban.mediation.services import STEP_SERVICES, risk_report
from suban.org.models import Unit
from tests.api.contract import conforms
from tests.conftest import Cast
from tests.mediation.conftest import Centre

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """The throttles count in the cache: each test starts with it empty."""


class Api:
    """Staff call with the console's session; a citizen's app with the token it holds once they logged in."""

    def __init__(self, user: Any) -> None:
        self.client, self.headers = Client(), {}
        if user.is_citizen:
            _token, key = token_create(by=None, user=user, name="app")
            self.headers = {"Authorization": f"Bearer {key}"}
        else:
            self.client.force_login(user, backend="suban.accounts.backends.RoleBackend")

    def _checked(self, method: str, path: str, response: Any) -> Any:
        assert response.status_code < 500, response.content
        conforms(method, f"/api/mediation{path}", response)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(f"/api/mediation{path}", params or {}, headers=self.headers)
        return self._checked("GET", path, response)

    def post(self, path: str, body: Any = None) -> Any:
        data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        response = self.client.post(
            f"/api/mediation{path}", data, content_type="application/json", headers=self.headers
        )
        return self._checked("POST", path, response)

    def step(self, number: str, step: str, body: dict[str, Any] | None = None) -> Any:
        return self.post(f"/disputes/{number}/{step}", body or {})


BODY: dict[str, Any] = {
    "category": "neighbours",
    "summary": "楼上漏水殃及楼下",
    "facts": "楼上卫生间漏水，楼下天花板受损，双方就赔偿协商未果。",
    "amount": "3000",
    "source": "walk_in",
    "unit": "S1C1",
    "parties": [
        {
            "side": "applicant",
            "name": "张三",
            "phone": "13800000001",
            "id_number": "370202199001011234",
            "address": "东一社区1号楼",
        },
        {"side": "respondent", "name": "李四", "phone": "13900000009"},
    ],
}


def registered(centre: Centre, **changes: Any) -> dict[str, Any]:
    response = Api(centre.mia).post("/disputes", {**BODY, **changes})
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def assigned(centre: Centre) -> str:
    """A walk-in accepted by the centre and assigned to 东街道's room: rhea leads, max of the city desk joins."""
    number = registered(centre)["number"]
    mia = Api(centre.mia)
    assert mia.step(number, "accept").status_code == 200
    lead, joint = centre.mediator("rhea").pk, centre.mediator("max").pk
    answer = mia.step(number, "assign", {"room": centre.street.pk, "lead": lead, "joint": [joint]})
    assert answer.status_code == 200, answer.content
    return number


def session(centre: Centre, number: str, by: str = "max", **changes: Any) -> Any:
    body = {
        "held_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "place": "东街道调解室",
        "attended": "张三、李四、调解员",
        "said": "双方陈述，初步同意按维修费用分担",
        "desks": [centre.desk.pk],
        **changes,
    }
    return Api(getattr(centre, by)).step(number, "session", body)


def test_a_dispute_goes_through_every_step_to_its_agreement_pdf(centre: Centre, monkeypatch: Any) -> None:
    mia, rhea = Api(centre.mia), Api(centre.rhea)
    created = registered(centre)
    number = created["number"]
    assert (created["status"], created["view"], created["amount"]) == ("registered", "staff", "3000.00")
    assert created["allowed_steps"] == ["accept", "decline"]
    assert created["parties"][0]["phone"] == "138****0001"  # the intake is not assigned: masked
    assert created["parties"][0]["id_number"] == "370***********1234"

    accepted = mia.step(number, "accept", {"note": "属人民调解范围", "expected_version": created["version"]}).json()
    assert accepted["status"] == "accepted" and accepted["due_at"] is not None
    rooms = {r["id"]: r for r in mia.get("/rooms", {"dispute": number}).json()}
    assert rooms[centre.street.pk]["assignable"] and rooms[centre.village.pk]["assignable"]
    lead = next(m for m in rooms[centre.street.pk]["mediators"] if m["username"] == "rhea")
    joint = next(m for m in rooms[centre.centre.pk]["mediators"] if m["username"] == "max")
    assigned_ = mia.step(
        number, "assign", {"room": centre.street.pk, "lead": lead["id"], "joint": [joint["id"]]}
    ).json()
    assert assigned_["status"] == "assigned" and assigned_["room"]["id"] == centre.street.pk
    assert [(a["mediator"]["name"], a["lead"]) for a in assigned_["assignments"]] == [("Rhea", True), ("Max", False)]
    assert mia.get("/rooms").json()[1]["mediators"][0]["load"] == 1  # rhea leads one open dispute

    sat = session(centre, number).json()
    assert sat["status"] == "mediating"
    assert sat["sessions"][0]["desks"] == [{"id": centre.desk.pk, "name": centre.desk.name}]
    extended = rhea.step(number, "extend", {"days": 10, "note": "双方同意延期十日"}).json()
    assert extended["extended_days"] == 10
    agreed = rhea.step(
        number,
        "agree",
        {"kind": "written", "terms": "李四赔偿张三维修费用2000元。", "signed_on": timezone.localdate().isoformat()},
    ).json()
    assert agreed["status"] == "agreed" and agreed["agreement_pdf"] == f"/api/mediation/disputes/{number}/agreement.pdf"
    assert "confirm" in agreed["allowed_steps"] and "visit" in agreed["allowed_steps"]
    confirmed = rhea.step(number, "confirm", {"note": "双方共同申请司法确认"}).json()
    assert confirmed["judicial_confirmation_on"] == timezone.localdate().isoformat()
    assert "confirm" not in confirmed["allowed_steps"]

    shown: list[bool] = []
    real = __import__("suban.mediation.agreement", fromlist=["agreement_pdf"]).agreement_pdf

    def recording(dispute: Dispute, *, show_numbers: bool = False) -> bytes:
        shown.append(show_numbers)
        return real(dispute, show_numbers=show_numbers)  # type: ignore[no-any-return]

    monkeypatch.setattr("suban.api.routers.mediation.agreement_pdf", recording)
    pdf = rhea.get(f"/disputes/{number}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and f'filename="{number}.pdf"' in pdf["Content-Disposition"]
    assert Api(centre.mia).get(f"/disputes/{number}/agreement.pdf").status_code == 200
    assert shown == [True, False]  # the lead prints the copy to sign; the centre's intake reads it masked

    visited = rhea.step(number, "visit", {"fulfilled": True, "note": "已付清"}).json()
    assert visited["status"] == "fulfilled"
    closed = mia.step(number, "close").json()
    assert closed["status"] == "closed" and closed["ended_as"] == "fulfilled" and closed["allowed_steps"] == []
    actions = [e["action"] for e in closed["events"]]
    assert actions == ["register", "accept", "assign", "session", "extend", "agree", "confirm", "visit", "close"]
    assert closed["events"][1]["actor"] == {"username": "mia", "name": "Mia"}
    listed = mia.get("/disputes", {"queue": "ended"}).json()
    assert [d["number"] for d in listed["items"]] == [number] and listed["count"] == 1


def test_a_dispute_declined_and_one_failed_end_with_their_reasons(centre: Centre) -> None:
    mia, rhea = Api(centre.mia), Api(centre.rhea)
    declined = registered(centre)["number"]
    answer = mia.step(declined, "decline", {"reason": "已起诉至法院", "channel": "litigation"}).json()
    assert (answer["status"], answer["decline_reason"], answer["referral"]) == (
        "declined",
        "已起诉至法院",
        "litigation",
    )
    assert mia.step(declined, "close").json()["ended_as"] == "declined"

    failed = assigned(centre)
    answer = rhea.step(failed, "fail", {"referral": "arbitration", "reason": "分歧过大"}).json()
    assert (answer["status"], answer["referral"], answer["failure_reason"]) == ("failed", "arbitration", "分歧过大")
    assert answer["agreement_pdf"] is None
    assert rhea.get(f"/disputes/{failed}/agreement.pdf").status_code == 404
    assert {d["number"] for d in mia.get("/disputes", {"status": ["failed", "closed"]}).json()["items"]} == {
        declined,
        failed,
    }
    assert mia.get("/disputes", {"queue": "intake"}).json()["count"] == 0


def test_who_reads_a_dispute(centre: Centre, cast: Cast) -> None:
    number = assigned(centre)
    session(centre, number)
    for name in ("dora", "alice", "chen", "carol"):
        reader = Api(cast[name])
        assert reader.get(f"/disputes/{number}").status_code == 404, name
        assert reader.get(f"/disputes/{number}/agreement.pdf").status_code == 404, name
        assert reader.step(number, "accept").status_code == 404, name
        assert reader.get("/disputes").json()["count"] == 0, name
    assert Api(centre.vic).get(f"/disputes/{number}").status_code == 404  # the village room: not theirs
    # Cindy's phone is the applicant's: she reads the party's view.
    cindy = Api(cast.cindy)
    assert [d["number"] for d in cindy.get("/disputes").json()["items"]] == [number]
    mine = cindy.get(f"/disputes/{number}").json()
    assert mine["view"] == "party" and mine["allowed_steps"] == [] and mine["assignments"] == []
    assert mine["risk"] is None and mine["escalating"] is None and mine["case"] is None
    assert cindy.get("/disputes").json()["items"][0]["risk"] is None
    assert {p["phone"] for p in mine["parties"]} == {"138****0001", "139****0009"}
    assert all(p["address"] == "" for p in mine["parties"])
    assert all(e["actor"] is None and e["note"] == "" and e["data"] == {} for e in mine["events"])
    assert [e["action"] for e in mine["events"]] == ["register", "accept", "assign", "session"]
    assert mine["sessions"][0]["place"] == "东街道调解室" and mine["sessions"][0]["said"] == ""
    assert "Rhea" not in json.dumps(mine, ensure_ascii=False) and "rhea" not in json.dumps(mine)
    assert cindy.step(number, "extend", {"days": 5, "note": "x"}).status_code == 403
    # The assigned mediators call the parties: they see the phones and the address.
    theirs = Api(centre.rhea).get(f"/disputes/{number}").json()
    assert theirs["parties"][0]["phone"] == "13800000001" and theirs["parties"][0]["address"] == "东一社区1号楼"
    assert Api(centre.mia).get(f"/disputes/{number}").json()["parties"][0]["phone"] == "138****0001"


def test_a_stale_version_is_a_409_and_nothing_changes(centre: Centre) -> None:
    created = registered(centre)
    number, seen = created["number"], created["version"]
    mia = Api(centre.mia)
    assert mia.step(number, "accept", {"expected_version": seen}).status_code == 200
    stale = mia.step(number, "decline", {"reason": "x", "expected_version": seen})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    party = {"side": "respondent", "name": "王五", "expected_version": seen}
    assert mia.post(f"/disputes/{number}/parties", party).status_code == 409
    assert mia.step(number, "accept").status_code == 409  # accepted already
    added = mia.post(f"/disputes/{number}/parties", {**party, "expected_version": seen + 1})
    assert added.status_code == 201 and [p["name"] for p in added.json()["parties"]][-1] == "王五"
    assert Dispute.objects.get(number=number).status == DisputeStatus.ACCEPTED


def test_html_comes_back_as_data(centre: Centre) -> None:
    html = '<script>alert("x")</script><b>&amp;</b>'
    created = registered(
        centre,
        summary=html,
        facts=html,
        parties=[{"side": "applicant", "name": html}, {"side": "respondent", "name": "李四"}],
    )
    assert created["summary"] == html and created["facts"] == html and created["parties"][0]["name"] == html
    number = created["number"]
    got = Api(centre.mia).client.get(f"/api/mediation/disputes/{number}")
    assert got["Content-Type"].startswith("application/json")
    assert got.json()["summary"] == html


def test_junk_is_a_400_naming_the_field_for_every_endpoint(centre: Centre, cast: Cast) -> None:
    mia, rhea = Api(centre.mia), Api(centre.rhea)

    def refused(response: Any, field: str | None) -> None:
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["message"], error
        if field is not None:
            assert error["field"] == field, error

    parties = BODY["parties"]
    for change, field in [
        ({"category": "nonsense"}, "category"),
        ({"category": 7}, "category"),
        ({"summary": " "}, "summary"),
        ({"summary": "x" * 201}, "summary"),
        ({"summary": ["x"]}, "summary"),
        ({"facts": "事" * 10001}, "facts"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": 10**20}, "amount"),
        ({"risk": "deadly"}, "risk"),
        ({"escalating": "perhaps"}, "escalating"),
        ({"source": "case"}, "source"),
        ({"source": "h5"}, "source"),  # staff register walk-ins, calls …; only citizens apply
        ({"unit": "NOPE"}, "unit"),
        ({"unit": "DEPT1"}, "unit"),
        ({"unit": "x" * 10000}, "unit"),
        ({"room": 10**30}, "room"),
        ({"room": 999999}, "room"),
        ({"room": "first"}, "room"),
        ({"risk_report": 424242}, "risk_report"),
        ({"parties": []}, "parties"),
        ({"parties": "张三"}, "parties"),
        ({"parties": [parties[1]]}, "parties"),
        ({"parties": [parties[0]]}, "parties"),
        ({"parties": [{**parties[0], "side": "judge"}, parties[1]]}, "parties.0.side"),
        ({"parties": [{**parties[0], "phone": "123"}, parties[1]]}, "parties"),
        ({"parties": [{**parties[0], "id_number": "12"}, parties[1]]}, "parties"),
        ({"parties": [{**parties[0], "name": "x" * 101}, parties[1]]}, "parties.0.name"),
        ({"parties": [parties[0], parties[1]] * 11}, "parties"),
        ({"surprise": 1}, "surprise"),
    ]:
        refused(mia.post("/disputes", {**BODY, **change}), field)
    refused(mia.post("/disputes", "{not json"), None)
    refused(mia.post("/disputes", "[]"), None)
    assert not Dispute.objects.exists()

    number = registered(centre)["number"]
    refused(mia.step(number, "accept", {"note": "x" * 5001}), "note")
    refused(mia.step(number, "accept", {"expected_version": -1}), "expected_version")
    refused(mia.step(number, "accept", {"expected_version": "one"}), "expected_version")
    refused(mia.step(number, "decline", {"reason": " "}), "reason")
    refused(mia.step(number, "decline", {"reason": "x", "channel": "heaven"}), "channel")
    mia.step(number, "accept")
    for body, field in [
        ({"room": centre.street.pk}, "lead"),
        ({"room": 0, "lead": 1}, "room"),
        ({"room": 987654, "lead": centre.mediator("rhea").pk}, "room"),
        ({"room": centre.street.pk, "lead": 987654}, "lead"),
        ({"room": centre.street.pk, "lead": centre.mediator("rhea").pk, "joint": [987654]}, "joint"),
        ({"room": centre.street.pk, "lead": centre.mediator("vic").pk}, "lead"),  # vic sits in the village
        ({"room": centre.street.pk, "lead": centre.mediator("rhea").pk, "joint": list(range(1, 12))}, "joint"),
        ({"room": centre.street.pk, "lead": 2**64}, "lead"),
    ]:
        refused(mia.step(number, "assign", body), field)
    mia.step(number, "assign", {"room": centre.street.pk, "lead": centre.mediator("rhea").pk})
    for change, field in [
        ({"held_at": "yesterday"}, "held_at"),
        ({"held_at": "0001-01-01T00:00:00+14:00"}, "held_at"),
        ({"held_at": "9999-12-31T23:59:59-12:00"}, "held_at"),
        ({"held_at": (timezone.now() + timedelta(days=200)).isoformat()}, "held_at"),
        ({"held_at": "2001-01-01T00:00:00"}, "held_at"),
        ({"place": ""}, "place"),
        ({"said": "x" * 10001}, "said"),
        ({"desks": [987654]}, "desks"),
        ({"desks": "1"}, "desks"),
    ]:
        refused(session(centre, number, by="rhea", **change), field)
    session(centre, number, by="rhea")
    for body, field in [
        ({"days": 31, "note": "同意"}, "days"),
        ({"days": 0, "note": "同意"}, "days"),
        ({"days": "ten", "note": "同意"}, "days"),
        ({"days": 5, "note": " "}, "note"),
        ({"days": 5}, "note"),
    ]:
        refused(rhea.step(number, "extend", body), field)
    today = timezone.localdate()
    for body, field in [
        ({"kind": "handshake", "terms": "x"}, "kind"),
        ({"kind": "written", "terms": " ", "signed_on": today.isoformat()}, "terms"),
        ({"kind": "written", "terms": "x"}, "signed_on"),
        ({"kind": "written", "terms": "x", "signed_on": "31/12/2026"}, "signed_on"),
        ({"kind": "written", "terms": "x", "signed_on": "9999-12-31"}, "signed_on"),
        ({"kind": "written", "terms": "x", "signed_on": (today + timedelta(days=1)).isoformat()}, "signed_on"),
        ({"kind": "written", "terms": "x", "signed_on": "2001-01-01"}, "signed_on"),
    ]:
        refused(rhea.step(number, "agree", body), field)
    refused(rhea.step(number, "fail", {"referral": "the moon", "reason": "x"}), "referral")
    refused(rhea.step(number, "fail", {"referral": "litigation", "reason": ""}), "reason")
    rhea.step(number, "agree", {"kind": "oral", "terms": "口头协议：赔偿2000元"})
    refused(rhea.step(number, "confirm", {"note": 5}), "note")
    refused(rhea.step(number, "visit", {"fulfilled": "maybe", "note": "x"}), "fulfilled")
    refused(rhea.step(number, "visit", {"fulfilled": True, "note": ""}), "note")
    rhea.step(number, "visit", {"fulfilled": False, "note": "未付款"})
    refused(mia.step(number, "close", {"note": " "}), "note")  # an agreement not kept: say why it closes
    refused(mia.step(number, "close", {"note": ["x"]}), "note")
    for body, field in [
        ({"side": "respondent"}, "name"),
        ({"side": "respondent", "name": "王五", "kind": "robot"}, "kind"),
        ({"side": "respondent", "name": "王五", "kind": "organisation", "id_number": "123"}, "parties"),
    ]:
        refused(mia.post(f"/disputes/{number}/parties", body), field)

    for params, field in [
        ({"queue": "nonsense"}, "queue"),
        ({"status": "asleep"}, "status.0"),
        ({"limit": 1000}, "limit"),
        ({"offset": -1}, "offset"),
    ]:
        refused(mia.get("/disputes", params), field)
    for params, field in [
        ({"start": "2026-02-30"}, "start"),
        ({"end": "soon"}, "end"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "start"),
        ({"start": "0001-01-01", "end": "2026-02-01"}, "start"),
        ({"start": "2000-01-01", "end": "2026-02-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
    ]:
        refused(mia.get("/figures", params), field)
    refused(mia.get("/risks", {"level": "meh"}), "level")
    refused(mia.get("/risks", {"became_dispute": "perhaps"}), "became_dispute")
    gary = Api(cast.gary)
    risk = {
        "grid": "S1C1G1",
        "category": "land",
        "level": "serious",
        "parties": "王某",
        "place": "菜地",
        "what": "争执",
    }
    for change, field in [
        ({"grid": "NOPE"}, "grid"),
        ({"grid": "S1C1"}, "grid"),  # a community, not a grid
        ({"level": "apocalyptic"}, "level"),
        ({"what": " "}, "what"),
        ({"what": "x" * 5001}, "what"),
    ]:
        refused(gary.post("/risks", {**risk, **change}), field)
    refused(mia.get("/rooms", {"dispute": "x" * 21}), "dispute")
    assert Dispute.objects.count() == 1 and not RiskReport.objects.exists()


def test_a_citizen_applies_for_herself(centre: Centre, cast: Cast) -> None:
    cindy = Api(cast.cindy)
    body = {
        **BODY,
        "source": "h5",
        "parties": [
            {"side": "applicant", "name": "张三"},
            {"side": "respondent", "kind": "organisation", "name": "某物业公司"},
        ],
    }
    for change, field in [
        ({"source": "walk_in"}, "source"),
        ({"room": centre.street.pk}, "room"),
        ({"risk": "serious"}, "risk"),
        ({"escalating": True}, "escalating"),
        ({"parties": [{"side": "applicant", "name": "张三", "phone": "13800000002"}, body["parties"][1]]}, "parties"),
    ]:
        answer = cindy.post("/disputes", {**body, **change})
        assert answer.status_code == 400 and answer.json()["error"]["field"] == field, (change, answer.content)
    applied = cindy.post("/disputes", body)
    assert applied.status_code == 201, applied.content
    dispute = Dispute.objects.get(number=applied.json()["number"])
    assert dispute.applicant == cast.cindy and dispute.room is None and dispute.source == "h5"
    assert dispute.parties.get(side="applicant").phone == "13800000001"  # her account's
    assert applied.json()["view"] == "party"
    # The centre sees it in its intake; another citizen does not see it at all.
    assert [d["number"] for d in Api(centre.mia).get("/disputes", {"queue": "intake"}).json()["items"]] == [
        dispute.number
    ]
    assert Api(cast.chen).get(f"/disputes/{dispute.number}").status_code == 404
    # Staff who are not mediators take no dispute in.
    assert Api(cast.dora).post("/disputes", BODY).status_code == 403
    for path in ("/figures", "/risks", "/rooms"):
        assert cindy.get(path).status_code == 403, path


def test_figures_risks_and_rooms(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    number = assigned(centre)
    today = timezone.localdate().isoformat()
    figures = Api(centre.mia).get("/figures", {"start": today, "end": today}).json()
    assert figures["unit"]["code"] == "D" and figures["total"]["taken_in"] == 1 and figures["total"]["open"] == 1
    assert figures["by_room"][0]["label"] == centre.street.name
    assert Api(cast.alice).get("/figures").json()["total"]["taken_in"] == 1  # the street's counts, no content
    assert Api(cast.bob).get("/figures").json()["total"]["taken_in"] == 0  # the other street
    assert Api(centre.vic).get("/figures").json()["unit"]["code"] == "S1C1"
    assert Api(cast.sysadmin).get("/figures").status_code == 403

    made = Api(cast.gary).post(
        "/risks",
        {
            "grid": "S1C1G1",
            "category": "land",
            "level": "major",
            "parties": "王某、赵某",
            "place": "<i>菜地</i>",
            "what": "边界争执",
        },
    )
    assert made.status_code == 201, made.content
    report = made.json()
    assert report["grid"]["code"] == "S1C1G1" and report["reporter"]["username"] == "gary" and report["dispute"] is None
    assert report["place"] == "<i>菜地</i>"
    assert Api(cast.gary).post("/risks", {**made.json(), "grid": "S2C1G1"}).status_code in (400, 403)
    assert (
        Api(cast.dora)
        .post(
            "/risks",
            {"grid": "S1C1G1", "category": "land", "level": "major", "parties": "x", "place": "x", "what": "x"},
        )
        .status_code
        == 403
    )
    assert [r["id"] for r in Api(cast.alice).get("/risks").json()["items"]] == [report["id"]]
    assert Api(cast.bob).get("/risks").json()["count"] == 0
    swept = registered(centre, source="sweep", unit="S1C1G1", risk_report=report["id"])
    assert swept["unit"]["code"] == "S1C1"  # a grid's dispute is its community's
    assert Api(centre.mia).get("/risks", {"became_dispute": True}).json()["items"][0]["dispute"] == swept["number"]
    again = Api(centre.mia).post("/disputes", {**BODY, "source": "sweep", "risk_report": report["id"]})
    assert again.status_code == 409  # one risk, one dispute
    # A report outside one's places cannot be named.
    elsewhere = risk_report(
        by=cast.bob, grid=org["S2C1G1"], category="land", level="general", parties="x", place="x", what="x"
    )
    refused = Api(centre.vic).post("/disputes", {**BODY, "source": "sweep", "risk_report": elsewhere.pk})
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "risk_report"

    ray = Api(centre.ray).get("/rooms").json()
    assert [(r["name"], r["assignable"]) for r in ray] == [(centre.street.name, True), (centre.centre.name, False)]
    street = ray[0]
    assert {m["username"]: m["load"] for m in street["mediators"]} == {"rhea": 1, "ray": 0}
    assert Api(centre.rhea).get("/rooms", {"dispute": number}).json()[0]["assignable"]
    assert Api(centre.vic).get("/rooms", {"dispute": number}).status_code == 404
    assert Api(cast.dora).get("/rooms").status_code == 403


def test_the_openapi_document_lists_every_step_with_its_own_body(db: Any) -> None:
    document = Client().get("/api/openapi.json").json()
    paths = document["paths"]

    def body_of(path: str) -> set[str]:
        operation = paths[path]["post"]
        assert operation["tags"] == ["mediation"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        return set(document["components"]["schemas"][ref]["properties"])

    for step in STEP_SERVICES:  # every step a person takes has its endpoint
        assert {"400", "401", "403", "404", "409", "429"} <= set(
            paths[f"/api/mediation/disputes/{{number}}/{step}"]["post"]["responses"]
        )
    assert body_of("/api/mediation/disputes/{number}/assign") == {"room", "lead", "joint", "note", "expected_version"}
    assert body_of("/api/mediation/disputes/{number}/session") == {
        "held_at",
        "place",
        "attended",
        "said",
        "next_step",
        "desks",
        "expected_version",
    }
    assert body_of("/api/mediation/disputes/{number}/agree") == {"kind", "terms", "signed_on", "expected_version"}
    assert body_of("/api/mediation/disputes/{number}/decline") == {"reason", "channel", "expected_version"}
    assert {"/api/mediation/disputes", "/api/mediation/figures", "/api/mediation/risks", "/api/mediation/rooms"} <= set(
        paths
    )
    assert "get" in paths["/api/mediation/disputes/{number}/agreement.pdf"]


def test_a_step_the_table_does_not_name_gets_a_note_if_a_note_is_all_it_takes() -> None:
    """A step added to the core later (its service taking a note at most) is served with a note as its body, so
    that the API does not lag behind the lifecycle; one that takes more needs its row in STEPS."""
    confirm = _note_only(Step.CONFIRM)
    assert (
        confirm is not None
        and confirm.body is DisputeNoteIn
        and confirm.arguments(DisputeNoteIn(note="x")) == {"note": "x"}
    )
    assert _note_only(Step.ASSIGN) is None and _note_only(Step.SESSION) is None
    assert set(STEPS) <= set(STEP_SERVICES)
