"""Mediation on the H5: a citizen applies, follows her dispute's public steps and sessions, and downloads the
agreement; another citizen's dispute is a 404; what anyone typed is shown escaped; staff names never show."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from suban.mediation.models import Dispute
from suban.mediation.services import (
    dispute_accept,
    dispute_agree,
    dispute_assign,
    dispute_close,
    dispute_decline,
    dispute_fail,
    dispute_session,
    dispute_visit,
)
from suban.org.models import Unit
from tests.conftest import Cast
from tests.mediation.conftest import Centre, walk_in

pytestmark = pytest.mark.django_db

CITIZEN_BACKEND = "suban.accounts.backends.CitizenSmsBackend"


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Master data cached per process is read fresh in each test."""


def citizen(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user, backend=CITIZEN_BACKEND)
    client.cookies["django_language"] = language
    return client


def application(org: dict[str, Unit], **changes: Any) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "category": "property",
        "summary": "物业不修电梯",
        "facts": "电梯坏了两周，物业一直不修。",
        "place": org["S1C1"].pk,
        "name": "张三",
        "other_kind": "organisation",
        "other_name": "某物业公司",
        "other_phone": "",
        **changes,
    }


def mediated(centre: Centre, dispute: Dispute, *, ahead: bool = False) -> Dispute:
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(
        dispute=dispute, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"), joint=[centre.mediator("max")]
    )
    held = timezone.now() + (timedelta(days=2) if ahead else -timedelta(hours=1))
    dispute_session(
        dispute=dispute,
        by=centre.rhea,
        held_at=held,
        place="东街道调解室",
        attended="双方",
        said="内部记录：双方情绪激动",
    )
    return dispute


def test_home_offers_mediation(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    page = citizen(cast.cindy).get("/h5/").content.decode()
    assert 'data-testid="home-mediation"' in page and 'href="/h5/mediation/"' in page
    walk_in(centre, org)  # her phone is the applicant's
    assert "1 dispute being mediated" in citizen(cast.cindy).get("/h5/").content.decode()


def test_apply_follow_and_download_the_agreement(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    cindy = citizen(cast.cindy)
    form = cindy.get("/h5/mediation/apply/").content.decode()
    assert 'name="place"' in form and "东街道 · 东一社区" in form and ">东街道<" in form
    assert "城管局" not in form and "第一网格" not in form  # departments and grids are not places to choose
    sent = application(org, other_phone="139-0000-0009")
    response = cindy.post("/h5/mediation/apply/", sent)
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/h5/mediation/{dispute.number}/"
    assert (dispute.source, dispute.applicant, dispute.room, dispute.unit) == ("h5", cast.cindy, None, org["S1C1"])
    applicant, respondent = dispute.parties.order_by("side")
    assert (applicant.name, applicant.phone) == ("张三", "13800000001")  # her account's phone
    assert (respondent.kind, respondent.name, respondent.phone) == ("organisation", "某物业公司", "13900000009")
    again = cindy.post("/h5/mediation/apply/", sent)  # a second tap on the same form
    assert again["Location"] == f"/h5/mediation/{dispute.number}/" and Dispute.objects.count() == 1

    page = cindy.get(response["Location"]).content.decode()
    assert dispute.number in page and "Your application" in page and 'data-status="registered"' in page
    assert "电梯坏了两周" in page and "139****0009" in page and "13900000009" not in page
    listing = cindy.get("/h5/mediation/").content.decode()
    assert f'data-number="{dispute.number}"' in listing

    mediated(centre, dispute, ahead=True)
    page = cindy.get(f"/h5/mediation/{dispute.number}/").content.decode()
    assert 'data-status="mediating"' in page and "东街道调解室" in page and "Coming:" in page
    assert "内部记录" not in page  # what was said stays with the mediators
    for name in ("Rhea", "rhea", "Max", "Mia"):
        assert name not in page, name
    assert [a for a in ("register", "accept", "assign", "session") if f'data-action="{a}"' in page] == [
        "register",
        "accept",
        "assign",
        "session",
    ]
    assert cindy.get(f"/h5/mediation/{dispute.number}/agreement.pdf").status_code == 404  # none yet

    dispute.refresh_from_db()
    dispute_agree(
        dispute=dispute,
        by=centre.rhea,
        kind="written",
        terms="物业于12月31日前修好电梯。",
        signed_on=timezone.localdate(),
    )
    page = cindy.get(f"/h5/mediation/{dispute.number}/").content.decode()
    assert 'data-outcome="agreed"' in page and "物业于12月31日前修好电梯。" in page
    assert f'href="/h5/mediation/{dispute.number}/agreement.pdf"' in page
    pdf = cindy.get(f"/h5/mediation/{dispute.number}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    dispute_visit(dispute=dispute, by=centre.rhea, fulfilled=True, note="已修好")
    dispute_close(dispute=dispute, by=centre.mia)
    page = cindy.get(f"/h5/mediation/{dispute.number}/").content.decode()
    assert 'data-status="closed"' in page and 'data-testid="fulfilment"' in page and 'data-outcome="agreed"' in page


def test_the_agreement_pdf_masks_identity_numbers(
    centre: Centre, cast: Cast, org: dict[str, Unit], monkeypatch: Any
) -> None:
    dispute = mediated(centre, walk_in(centre, org))
    dispute_agree(dispute=dispute, by=centre.rhea, kind="oral", terms="口头协议")
    shown: list[bool] = []
    monkeypatch.setattr(
        "suban.h5.views.mediation.agreement_pdf", lambda d, *, show_numbers: shown.append(show_numbers) or b"%PDF-1.4"
    )
    assert citizen(cast.cindy).get(f"/h5/mediation/{dispute.number}/agreement.pdf").status_code == 200
    assert shown == [False]


def test_another_citizens_dispute_is_not_found(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    dispute = mediated(centre, walk_in(centre, org))
    dispute_agree(dispute=dispute, by=centre.rhea, kind="oral", terms="口头协议")
    chen = citizen(cast.chen)
    for path in (f"/h5/mediation/{dispute.number}/", f"/h5/mediation/{dispute.number}/agreement.pdf"):
        assert chen.get(path).status_code == 404, path
        assert citizen(cast.cindy).get(path).status_code == 200, path
    assert chen.get("/h5/mediation/TJ0000/").status_code == 404
    assert dispute.number not in chen.get("/h5/mediation/").content.decode()
    assert 'data-testid="dispute-list-empty"' in chen.get("/h5/mediation/").content.decode()
    # Staff go to the console; nobody logged in logs in first.
    assert Client().get("/h5/mediation/").status_code == 302
    staff = Client()
    staff.force_login(centre.mia, backend="suban.accounts.backends.RoleBackend")
    assert staff.get(f"/h5/mediation/{dispute.number}/")["Location"] == "/console/"


def test_failure_and_decline_say_why(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    failed = mediated(centre, walk_in(centre, org))
    dispute_fail(dispute=failed, by=centre.rhea, referral="litigation", reason="赔偿金额<分歧>过大")
    page = citizen(cast.cindy).get(f"/h5/mediation/{failed.number}/").content.decode()
    assert 'data-outcome="failed"' in page and "Litigation" in page and "赔偿金额&lt;分歧&gt;过大" in page
    declined = walk_in(centre, org)
    dispute_decline(dispute=declined, by=centre.mia, reason="已起诉", channel="litigation")
    page = citizen(cast.cindy).get(f"/h5/mediation/{declined.number}/").content.decode()
    assert 'data-outcome="declined"' in page and "已起诉" in page


def test_what_anyone_typed_is_shown_escaped(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    cindy = citizen(cast.cindy)
    html = "<script>alert(1)</script>"
    cindy.post(
        "/h5/mediation/apply/",
        application(org, summary=f"{html}漏水", facts=f"<b>楼上</b>{html}", name="<i>张</i>", other_name=f"{html}"),
    )
    dispute = Dispute.objects.get()
    assert dispute.summary == f"{html}漏水"  # stored as typed
    for path in (f"/h5/mediation/{dispute.number}/", "/h5/mediation/"):
        page = cindy.get(path).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
    assert "<b>楼上</b>" not in cindy.get(f"/h5/mediation/{dispute.number}/").content.decode()
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    dispute_session(
        dispute=dispute, by=centre.rhea, held_at=timezone.now(), place=f"{html}调解室", attended="x", said="x"
    )
    page = cindy.get(f"/h5/mediation/{dispute.number}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;调解室" in page


def test_a_wrong_application_comes_back_with_its_errors(centre: Centre, cast: Cast, org: dict[str, Unit]) -> None:
    cindy = citizen(cast.cindy)
    for change, field in [
        ({"summary": ""}, "summary"),
        ({"summary": "x" * 201}, "summary"),
        ({"facts": " "}, "facts"),
        ({"category": "nonsense"}, "category"),
        ({"place": org["DEPT1"].pk}, "place"),
        ({"place": org["S1C1G1"].pk}, "place"),
        ({"place": "abc"}, "place"),
        ({"place": 10**30}, "place"),
        ({"name": ""}, "name"),
        ({"other_kind": "robot"}, "other_kind"),
        ({"other_name": "x" * 101}, "other_name"),
        ({"other_phone": "123"}, "other_phone"),
    ]:
        response = cindy.post("/h5/mediation/apply/", application(org, **change))
        assert response.status_code == 200, change
        page = response.content.decode()
        assert f'data-testid="error-{field}"' in page, (change, page[:2000])
    kept = cindy.post("/h5/mediation/apply/", application(org, summary="", facts="<留着>")).content.decode()
    assert "&lt;留着&gt;" in kept  # what she typed is given back, escaped
    bad_key = cindy.post("/h5/mediation/apply/", application(org, key="not-a-key", summary=""))
    assert bad_key.status_code == 200 and 'name="key"' in bad_key.content.decode()
    org["S1C2"].is_active = False
    org["S1C2"].save()
    gone = cindy.post("/h5/mediation/apply/", application(org, place=org["S1C2"].pk)).content.decode()
    assert 'data-testid="error-place"' in gone
    keyless = cindy.post("/h5/mediation/apply/", application(org, key="not-a-key"))
    assert keyless.status_code == 200  # a form without a valid key is shown again, with a new one, to send
    assert not Dispute.objects.exists()
