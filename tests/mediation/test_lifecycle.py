"""A dispute's life through the services: who may take which step, the clock, the case it came from, and who
may read it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from suban.cases.lifecycle import allowed_actions
from suban.cases.models import Case, Status
from suban.cases.services import case_claim, case_resume
from suban.errors import Conflict, Forbidden, Invalid
from suban.mediation import selectors
from suban.mediation.agreement import agreement_pdf
from suban.mediation.figures import figures
from suban.mediation.lifecycle import allowed_steps, may_read_content
from suban.mediation.models import Dispute, DisputeStatus
from suban.mediation.services import (
    DisputeIn,
    PartyIn,
    case_to_mediation,
    dispute_accept,
    dispute_agree,
    dispute_assign,
    dispute_clock,
    dispute_close,
    dispute_decline,
    dispute_extend,
    dispute_fail,
    dispute_register,
    dispute_session,
    dispute_visit,
    risk_report,
)
from suban.notify.models import Outbox
from suban.org.models import Unit
from tests.conftest import Cast
from tests.mediation.conftest import PARTIES, Centre, walk_in


def mediate(centre: Centre, dispute: Dispute) -> Dispute:
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(
        dispute=dispute,
        by=centre.mia,
        room=centre.street,
        lead=centre.mediator("rhea"),
        joint=[centre.mediator("max")],
    )
    dispute_session(
        dispute=dispute,
        by=centre.max,
        held_at=timezone.now() - timedelta(hours=1),
        place="东街道调解室",
        attended="张三、李四、调解员",
        said="双方陈述，初步同意按维修费用分担",
    )
    return dispute


def test_a_walk_in_goes_from_intake_to_a_kept_agreement(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    dispute = walk_in(centre, org)
    assert dispute.number.startswith("TJ") and dispute.status == DisputeStatus.REGISTERED
    assert allowed_steps(dispute, centre.mia) == ["accept", "decline"]
    assert allowed_steps(dispute, centre.rhea) == []  # not brought to her room
    mediate(centre, dispute)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.MEDIATING and dispute.due_at is not None
    assert Outbox.objects.filter(template="dispute_accepted").count() == 2  # both parties
    assert Outbox.objects.filter(template="staff_new_dispute").count() == 2  # rhea and max
    with pytest.raises(Forbidden):  # only the lead records the agreement
        dispute_agree(dispute=dispute, by=centre.max, kind="written", terms="赔偿", signed_on=timezone.localdate())
    dispute_agree(
        dispute=dispute,
        by=centre.rhea,
        kind="written",
        terms="李四赔偿张三维修费用2000元，于12月31日前付清。",
        signed_on=timezone.localdate(),
    )
    assert dispute.visit_on == timezone.localdate() + timedelta(days=30)
    assert Outbox.objects.filter(template="dispute_result").count() == 2
    dispute_visit(dispute=dispute, by=centre.rhea, fulfilled=True, note="已付清")
    dispute_close(dispute=dispute, by=centre.mia)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED and dispute.ended_as == DisputeStatus.FULFILLED
    steps = list(dispute.events.values_list("action", flat=True))
    assert steps == ["register", "accept", "assign", "session", "agree", "visit", "close"]
    today = timezone.localdate()
    total = figures(org["D"].path, today, today).total
    assert (total.taken_in, total.mediated, total.agreed, total.visited, total.fulfilled) == (1, 1, 1, 1, 1)
    assert total.success_rate == 1.0 and total.average_days == 0.0  # accepted and ended within the test


def test_the_agreement_pdf_is_made_from_the_parties_and_terms(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = mediate(centre, walk_in(centre, org, summary="<b>x</b> & 漏水"))
    dispute_agree(
        dispute=dispute, by=centre.rhea, kind="written", terms="<script>1</script> 赔偿", signed_on=timezone.localdate()
    )
    pdf = agreement_pdf(Dispute.objects.get(pk=dispute.pk))
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert pdf_title(pdf) == f"人民调解协议书 {dispute.number}"


def test_who_reads_a_dispute(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    dispute = mediate(centre, walk_in(centre, org))
    readers = {"mia", "max", "rhea", "ray"}
    for name in ("mia", "max", "rhea", "ray", "vic"):
        assert may_read_content(dispute, getattr(centre, name)) == (name in readers), name
    for name in ("dora", "sam", "leo", "alice", "carol", "chen"):
        assert not may_read_content(dispute, cast[name]), name
    assert may_read_content(dispute, cast.cindy)  # her phone is the applicant's
    assert list(selectors.disputes_visible_to(cast.cindy)) == [dispute]
    assert not selectors.disputes_visible_to(cast.alice).exists()
    # Phones: the assigned mediators see them, the centre's intake and the parties see them masked.
    assert selectors.parties_for(dispute, centre.rhea)[0].phone == "13800000001"
    assert selectors.parties_for(dispute, centre.mia)[0].phone != "13800000001"
    assert "1234" in selectors.parties_for(dispute, centre.rhea)[0].id_number
    assert "19900101" not in selectors.parties_for(dispute, centre.rhea)[0].id_number
    # A party follows the public steps only.
    assert {e.action for e in selectors.events_for(dispute, cast.cindy)} <= {"register", "accept", "assign", "session"}


def test_a_room_takes_in_its_own_area_only(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = walk_in(centre, org, by="vic")
    assert dispute.room == centre.village
    assert allowed_steps(dispute, centre.vic) == ["accept", "decline"]
    with pytest.raises(Forbidden):
        walk_in(centre, org, by="vic", unit=org["S2C1"])
    dispute_accept(dispute=dispute, by=centre.vic)
    with pytest.raises(Forbidden):  # a room's head assigns within the room; the centre sends it elsewhere
        dispute_assign(dispute=dispute, by=centre.vic, room=centre.street, lead=centre.mediator("rhea"))
    with pytest.raises(Invalid):  # rhea does not sit in the village room
        dispute_assign(dispute=dispute, by=centre.vic, room=centre.village, lead=centre.mediator("rhea"))
    dispute_assign(dispute=dispute, by=centre.vic, room=centre.village, lead=centre.mediator("vic"))


def test_bad_input_is_refused_and_writes_nothing(centre: Centre, org: dict[str, Unit]) -> None:
    cases: list[dict[str, Any]] = [
        {"category": "nonsense"},
        {"summary": "  "},
        {"summary": "x" * 201},
        {"amount": "-1"},
        {"amount": "abc"},
        {"amount": "NaN"},
        {"parties": (PartyIn(side="respondent", name="李四"),)},
        {"parties": (PartyIn(side="applicant", name="张三"),)},  # no respondent
        {"parties": (PartyIn(side="applicant", name="张三", phone="123"), PartyIn(side="respondent", name="李四"))},
        {"parties": (PartyIn(side="applicant", name="张三", id_number="12"), PartyIn(side="respondent", name="李四"))},
        {"unit": org["DEPT1"]},
        {"source": "h5"},
    ]
    for bad in cases:
        with pytest.raises(Invalid):
            walk_in(centre, org, **bad)
    assert not Dispute.objects.exists()


def test_a_stale_page_and_a_second_hand_are_refused(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = walk_in(centre, org)
    seen = dispute.version
    dispute_accept(dispute=dispute, by=centre.mia, expected_version=seen)
    stale = Dispute.objects.get(pk=dispute.pk)
    stale.version = seen
    with pytest.raises(Conflict):
        dispute_decline(dispute=stale, by=centre.mia, reason="x", expected_version=seen)
    with pytest.raises(Conflict):  # accepted already
        dispute_accept(dispute=Dispute.objects.get(pk=dispute.pk), by=centre.mia)


def test_extension_and_the_clock(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = mediate(centre, walk_in(centre, org))
    due = dispute.due_at
    assert due is not None
    with pytest.raises(Invalid):
        dispute_extend(dispute=dispute, by=centre.rhea, days=31, note="双方同意")
    with pytest.raises(Invalid):
        dispute_extend(dispute=dispute, by=centre.rhea, days=5, note=" ")
    dispute_extend(dispute=dispute, by=centre.rhea, days=10, note="双方同意延期十日")
    assert dispute.due_at == due + timedelta(days=10)
    assert "extend" in allowed_steps(dispute, centre.rhea)
    dispute_extend(dispute=dispute, by=centre.rhea, days=30, note="双方同意")
    dispute_extend(dispute=dispute, by=centre.rhea, days=20, note="双方同意")
    assert "extend" not in allowed_steps(dispute, centre.rhea)  # 60 days in all: as far as it goes
    assert dispute_clock(timezone.now()) == {"warned": 0, "overdue": 0}
    assert dispute_clock(dispute.due_at - timedelta(days=1)) == {"warned": 1, "overdue": 0}
    assert dispute_clock(dispute.due_at + timedelta(minutes=1)) == {"warned": 0, "overdue": 1}
    dispute.refresh_from_db()
    assert dispute.alert == "red"
    assert Outbox.objects.filter(template="staff_dispute_due").count() == 4  # rhea and max, twice


def test_a_hard_case_goes_to_mediation_and_gets_its_outcome_back(centre: Centre, cast: Cast, dispatched: Case) -> None:
    case = case_claim(case=dispatched, by=cast.carol)
    assert "to_mediation" in allowed_actions(case, cast.carol)
    case_to_mediation(case=case, by=cast.carol, category="neighbours", note="双方争执不下，需专业调解")
    case.refresh_from_db()
    assert case.status == Status.ON_HOLD and case.held_at is not None
    assert "resume" not in allowed_actions(case, cast.sam)
    with pytest.raises(Conflict):
        case_resume(case=case, by=cast.sam)
    dispute = Dispute.objects.get(case=case)
    assert dispute.source == "case" and dispute.unit.code == "S1C1"  # the grid's community
    assert dispute.parties.get().phone == "13800000001"
    assert case.events.get(action="to_mediation").data["dispute"] == dispute.number
    dispute = mediate(centre, dispute)
    dispute_fail(dispute=dispute, by=centre.rhea, referral="litigation", reason="赔偿金额分歧过大")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.held_at is None
    mediated = case.events.get(action="mediated")
    assert mediated.data == {"dispute": dispute.number, "outcome": "failed", "referral": "litigation"}
    assert mediated.note == "赔偿金额分歧过大"


def test_a_citizen_applies_on_the_h5(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    data = DisputeIn(
        category="property",
        summary="物业不修电梯",
        source="h5",
        unit=org["S1C1"],
        parties=(
            PartyIn(side="applicant", name="Cindy"),
            PartyIn(side="respondent", kind="organisation", name="某物业"),
        ),
    )
    dispute = dispute_register(by=cast.cindy, data=data)
    assert dispute.applicant == cast.cindy and dispute.room is None
    assert may_read_content(dispute, cast.cindy) and not may_read_content(dispute, cast.chen)
    with pytest.raises(Invalid):
        dispute_register(by=cast.cindy, data=DisputeIn(**{**data.__dict__, "source": "walk_in"}))
    with pytest.raises(Forbidden):
        dispute_register(by=cast.alice, data=data)


def test_a_serious_risk_is_flagged_to_the_street(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    cast.alice.set_phone("13600000001")
    cast.alice.save()
    report = risk_report(
        by=cast.gary,
        grid=org["S1C1G1"],
        category="land",
        level="serious",
        parties="王某、赵某",
        place="东一社区菜地",
        what="宅基地边界争执，双方扬言动手",
    )
    assert Outbox.objects.filter(template="staff_risk_alert", recipient=cast.alice).exists()
    with pytest.raises(Forbidden):
        risk_report(
            by=cast.gary, grid=org["S2C1G1"], category="land", level="general", parties="x", place="x", what="x"
        )
    sweep = {"category": "land", "summary": "宅基地边界争执", "source": "sweep", "unit": org["S1C1G1"]}
    dispute = dispute_register(by=centre.mia, data=DisputeIn(**sweep, parties=PARTIES), risk_report=report)
    assert dispute.unit.code == "S1C1"
    report.refresh_from_db()
    assert report.dispute == dispute
    with pytest.raises(Conflict):  # one risk, one dispute
        dispute_register(by=centre.mia, data=DisputeIn(**sweep, parties=PARTIES), risk_report=report)
    assert Dispute.objects.count() == 1


def test_the_citizen_follows_the_case_to_mediation_and_back(centre: Centre, cast: Cast, dispatched: Case) -> None:
    from suban.cases.timeline import public_steps

    case = case_claim(case=dispatched, by=cast.carol)
    case_to_mediation(case=case, by=cast.carol, category="property", note="物业纠纷")
    dispute = mediate(centre, Dispute.objects.get(case=case))
    dispute_agree(dispute=dispute, by=centre.rhea, kind="oral", terms="物业当月修好")
    with translation.override("zh-hans"):
        steps = {s.action: s for s in public_steps(Case.objects.get(pk=case.pk), cast.cindy)}
    assert steps["to_mediation"].detail == f"纠纷 {dispute.number}"
    assert steps["mediated"].detail == f"{dispute.number} · 达成调解协议"


def test_the_centre_supervises_a_dispute_in_time_trouble(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    from suban.mediation.services import dispute_supervise

    dispute = mediate(centre, walk_in(centre, org))
    with pytest.raises(Forbidden):  # the room's head is supervised, does not supervise
        dispute_supervise(dispute=dispute, by=centre.rhea, note="抓紧")
    with pytest.raises(Invalid):
        dispute_supervise(dispute=dispute, by=centre.mia, note=" ")
    dispute_supervise(dispute=dispute, by=centre.mia, note="本周内再组织一次调解")
    told = Outbox.objects.filter(template="staff_dispute_due")
    assert {o.recipient for o in told} == {centre.rhea, centre.max}
    assert "本周内再组织一次调解" in told.first().body  # type: ignore[union-attr]


def test_every_step_has_words_in_the_audit_log() -> None:
    from suban.audit.labels import ACTION_LABELS
    from suban.mediation.lifecycle import Step

    assert {f"mediation.{step}" for step in Step.values} <= set(ACTION_LABELS)


def test_a_party_named_later_is_a_step_of_the_dispute(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    from suban.mediation.lifecycle import may_add_party
    from suban.mediation.services import party_add

    dispute = walk_in(centre, org)
    assert may_add_party(dispute, centre.mia) and not may_add_party(dispute, cast.cindy)
    with pytest.raises(Forbidden):
        party_add(dispute=dispute, by=centre.rhea, party=PartyIn(side="respondent", name="王五"))
    party_add(dispute=dispute, by=centre.mia, party=PartyIn(side="respondent", name="王五"), expected_version=0)
    assert dispute.parties.count() == 3
    assert list(dispute.events.values_list("seq", "action")) == [(0, "register"), (1, "party")]
    with pytest.raises(Conflict):  # a stale page
        party_add(dispute=dispute, by=centre.mia, party=PartyIn(side="respondent", name="赵六"), expected_version=0)


def test_what_registering_and_sessions_do_not_take(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    # A citizen says what happened; the centre judges how grave it is (its alerts go to the street).
    applied = dispute_register(
        by=cast.cindy,
        data=DisputeIn(
            category="neighbours",
            summary="噪音",
            source="h5",
            unit=org["S1C1"],
            parties=PARTIES,
            risk="serious",
            escalating=True,
        ),
    )
    assert (applied.risk, applied.escalating) == ("general", False)
    assert not Outbox.objects.filter(template="staff_risk_alert").exists()
    # A room takes in the risk reports of its own area only; a citizen none.
    report = risk_report(
        by=cast.bob, grid=org["S2C1G1"], category="land", level="general", parties="王某", place="菜地", what="边界"
    )
    sweep = DisputeIn(category="land", summary="边界", source="sweep", unit=org["S1C1"], parties=PARTIES)
    with pytest.raises(Forbidden):
        dispute_register(by=centre.vic, data=sweep, risk_report=report)
    with pytest.raises(Forbidden):
        dispute_register(by=cast.cindy, data=DisputeIn(**{**sweep.__dict__, "source": "h5"}), risk_report=report)
    report.refresh_from_db()
    assert report.dispute is None
    # Only departments seated at the centre sit in a session.
    dispute = mediate(centre, walk_in(centre, org))
    centre.desk.active = False
    centre.desk.save()
    with pytest.raises(Invalid):
        dispute_session(
            dispute=dispute,
            by=centre.rhea,
            held_at=timezone.now(),
            place="调解室",
            attended="双方",
            said="陈述",
            desks=[centre.desk],
        )


def test_a_desk_of_the_centre_acts_on_what_is_assigned_to_it_only(centre: Centre, org: dict[str, Unit]) -> None:
    """A department's mediator seated at the centre is not the centre's intake: no dispute of the district is
    theirs to read or decide until one is assigned to them."""
    dispute = walk_in(centre, org)
    assert not may_read_content(dispute, centre.max) and allowed_steps(dispute, centre.max) == []
    assert not selectors.disputes_visible_to(centre.max).exists()
    with pytest.raises(Forbidden):
        walk_in(centre, org, by="max")
    mediate(centre, dispute)  # max joins as a joint mediator
    assert may_read_content(dispute, centre.max)
    assert list(selectors.disputes_visible_to(centre.max)) == [dispute]


def test_the_parties_read_their_words_and_a_respondent_only_once_taken_in(
    centre: Centre, org: dict[str, Unit], cast: Cast, dispatched: Case
) -> None:
    case = case_claim(case=dispatched, by=cast.carol)
    case_to_mediation(case=case, by=cast.carol, category="neighbours", note="内部：双方情绪激动")
    dispute = Dispute.objects.get(case=case)
    assert "内部" not in dispute.facts and dispute.facts == case.text  # the unit's reason stays inside
    assert dispute.events.get(seq=0).note == "内部：双方情绪激动"
    # Chen is named as the other side of an application: he reads nothing until the centre takes it in.
    application = DisputeIn(
        category="neighbours",
        summary="噪音",
        source="h5",
        unit=org["S1C1"],
        parties=(PartyIn(side="applicant", name="Cindy"), PartyIn(side="respondent", name="陈", phone="13800000002")),
    )
    applied = dispute_register(by=cast.cindy, data=application)
    assert not may_read_content(applied, cast.chen) and not selectors.disputes_visible_to(cast.chen).exists()
    dispute_accept(dispute=applied, by=centre.mia)
    assert may_read_content(applied, cast.chen) and list(selectors.disputes_visible_to(cast.chen)) == [applied]
    with pytest.raises(Invalid):  # one's own phone as the other side's
        mine = (PartyIn(side="applicant", name="Cindy"), PartyIn(side="respondent", name="我", phone="13800000001"))
        dispute_register(by=cast.cindy, data=DisputeIn(**{**application.__dict__, "parties": mine}))


def test_the_street_hears_once_of_a_grave_dispute(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    cast.alice.set_phone("13600000001")
    cast.alice.save()
    alerts = Outbox.objects.filter(template="staff_risk_alert", recipient=cast.alice)
    walk_in(centre, org, risk="major")
    assert alerts.count() == 1  # a major one too, as the risk page says
    report = risk_report(
        by=cast.gary,
        grid=org["S1C1G1"],
        category="land",
        level="serious",
        parties="王某",
        place="菜地",
        what="扬言动手",
    )
    assert alerts.count() == 2
    sweep = DisputeIn(
        category="land", summary="边界", source="sweep", unit=org["S1C1G1"], parties=PARTIES, risk="serious"
    )
    dispute_register(by=centre.mia, data=sweep, risk_report=report)
    assert alerts.count() == 2  # told already when the risk was reported


def test_an_oral_agreement_is_recorded_not_signed(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = mediate(centre, walk_in(centre, org))
    dispute_agree(dispute=dispute, by=centre.rhea, kind="oral", terms="当场道歉")
    pdf = agreement_pdf(Dispute.objects.get(pk=dispute.pk))
    assert pdf.startswith(b"%PDF")
    assert pdf_title(pdf) == f"口头调解协议记录 {dispute.number}"


def pdf_title(pdf: bytes) -> str:
    """The document's title: a PDF literal string (octal escapes) of UTF-16 with its byte-order mark."""
    raw = pdf[pdf.index(b"/Title (") + 8 :]
    out, i = bytearray(), 0
    while raw[i : i + 1] != b")":
        if raw[i : i + 1] == b"\\":
            if raw[i + 1 : i + 2].isdigit():
                out.append(int(raw[i + 1 : i + 4], 8))
                i += 4
                continue
            out += raw[i + 1 : i + 2]
            i += 2
            continue
        out += raw[i : i + 1]
        i += 1
    return out.decode("utf-16")


def test_the_messages_to_staff_are_chinese_whatever_the_language_of_the_request(
    centre: Centre, org: dict[str, Unit]
) -> None:
    from suban.mediation.services import dispute_supervise

    dispute = mediate(centre, walk_in(centre, org))
    with translation.override("en"):
        dispute_supervise(dispute=dispute, by=centre.mia, note="抓紧")
        dispute_clock(dispute.due_at + timedelta(minutes=1))  # type: ignore[operator]
    bodies = [o.body for o in Outbox.objects.filter(template="staff_dispute_due")]
    assert bodies and all("supervised" not in b and "overdue" not in b for b in bodies), bodies
