"""The mediation centre in the console: the queues, registering a dispute with its parties, a dispute's page and
every step through to the agreement's PDF, the figures, the risk reports, the navigation, and the case page's
step to mediation. Who reads a dispute's content: the centre, its room and its mediators; everyone else sees
counts, and a dispute they may not read does not exist for them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from suban import crypto
from suban.accounts.models import User
from suban.cases.models import Case, Status
from suban.cases.services import case_claim
from suban.mediation.models import Category, Dispute, DisputeStatus, Party, Referral, RiskReport
from suban.mediation.selectors import nav_counts
from suban.mediation.services import (
    dispute_accept,
    dispute_assign,
    dispute_clock,
    dispute_fail,
    dispute_session,
    risk_report,
)
from suban.org.models import Unit
from tests.conftest import Cast
from tests.mediation.conftest import Centre, walk_in

pytestmark = pytest.mark.django_db


def zh(label: Any) -> str:
    """A label as the pages show it (in the site's language)."""
    with translation.override("zh-hans"):
        return str(label)


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


def shut_out(response: Any) -> bool:
    """A citizen never gets into the console: no staff session carries her, so she is sent to log in."""
    return response.status_code == 302 and response["Location"].startswith("/login/")


def page_of(client: Client, number: str) -> str:
    response = client.get(f"/console/mediation/{number}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def version(number: str) -> int:
    return Dispute.objects.get(number=number).version


def step(client: Client, number: str, name: str, **data: Any) -> Any:
    return client.post(f"/console/mediation/{number}/step/{name}/", {"version": version(number), **data})


def party_rows(rows: list[dict[str, str]], total: int | None = None) -> dict[str, str]:
    n = len(rows) if total is None else total
    data = {
        "parties-TOTAL_FORMS": str(n),
        "parties-INITIAL_FORMS": str(n),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20",
    }
    for i in range(n):
        row = rows[i] if i < len(rows) else {}
        data.update(
            {
                f"parties-{i}-side": row.get("side", "applicant" if i < 2 else "respondent"),
                f"parties-{i}-kind": row.get("kind", "person"),
                f"parties-{i}-name": row.get("name", ""),
                f"parties-{i}-phone": row.get("phone", ""),
                f"parties-{i}-id_number": row.get("id_number", ""),
                f"parties-{i}-address": row.get("address", ""),
            }
        )
    return data


APPLICANT = {"side": "applicant", "name": "张三", "phone": "13800000001", "id_number": "370202199001011234"}
RESPONDENT = {"side": "respondent", "name": "李四", "phone": "13900000009", "address": "东一社区2号楼"}


def registration(**kw: Any) -> dict[str, str]:
    rows = kw.pop("rows", [APPLICANT, {}, RESPONDENT, {}])
    data = {
        "category": "neighbours",
        "summary": "楼上漏水殃及楼下",
        "facts": "楼上卫生间漏水，楼下天花板受损。",
        "amount": "3000",
        "risk": "general",
        "source": "walk_in",
        "unit": "东一社区（S1C1）",
        "room": "",
        **kw,
    }
    return {**data, **party_rows([{**r} for r in rows])}


# ------------------------------------------------------------------------------------------- who sees what


def test_the_queue_lists_a_mediators_disputes_and_others_see_counts_only(
    centre: Centre, org: dict[str, Unit], cast: Cast
) -> None:
    dispute = walk_in(centre, org)
    mia = browser(centre.mia).get("/console/mediation/").content.decode()
    assert f'data-dispute="{dispute.number}"' in mia
    assert 'data-testid="mediation-count-intake">1<' in mia
    assert 'data-testid="mediation-new"' in mia
    # The village room's head does not see a dispute the centre took in for a place of his.
    vic = browser(centre.vic).get("/console/mediation/?tab=all").content.decode()
    assert dispute.number not in vic and 'data-testid="mediation-empty"' in vic
    for name in ("dora", "alice", "sam"):
        response = browser(cast[name]).get("/console/mediation/")
        body = response.content.decode()
        assert response.status_code == 200 and 'data-testid="mediation-counts-only"' in body, name
        assert dispute.number not in body and dispute.summary not in body, name
    assert shut_out(browser(cast.cindy).get("/console/mediation/"))


def test_the_queue_flags_escalating_disputes_and_overdue_ones(centre: Centre, org: dict[str, Unit]) -> None:
    late = walk_in(centre, org, escalating=True, summary="可能激化的纠纷")
    dispute_accept(dispute=late, by=centre.mia)
    dispute_assign(dispute=late, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    late.refresh_from_db()
    assert late.due_at is not None
    dispute_clock(late.due_at + timedelta(minutes=1))
    rhea = browser(centre.rhea)
    mine = rhea.get("/console/mediation/?tab=mine").content.decode()
    row = mine.split(f'data-dispute="{late.number}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="escalating"' in row and 'data-testid="alert-red"' in row
    assert 'data-testid="mediation-count-mine">1<' in mine
    nav = re.search(r'data-testid="nav-mediation-mine"([^>]*)>(.*?)</a>', mine, re.S)
    assert nav is not None and 'aria-current="page"' in nav.group(1) and '<span class="count">1</span>' in nav.group(2)
    # A mediator who is not a head starts on her own disputes; the centre and the heads on the intake.
    assert (
        'data-testid="mediation-tab-mine" aria-current="page"'
        in browser(centre.ray).get("/console/mediation/").content.decode()
    )
    assert 'data-testid="mediation-tab-intake" aria-current="page"' in rhea.get("/console/mediation/").content.decode()


def test_a_dispute_one_may_not_read_does_not_exist(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    dispute = walk_in(centre, org)
    number = dispute.number
    for user in (cast.dora, cast.alice, cast.sam, centre.vic):
        client = browser(user)
        assert client.get(f"/console/mediation/{number}/").status_code == 404
        assert client.get(f"/console/mediation/{number}/agreement.pdf").status_code == 404
        assert step(client, number, "accept").status_code == 404
    assert shut_out(browser(cast.cindy).get(f"/console/mediation/{number}/"))
    assert browser(cast.alice).get("/console/mediation/new/").status_code == 403
    assert Dispute.objects.get().status == DisputeStatus.REGISTERED
    # The centre reads it, with the phones masked (its intake does not call the parties).
    page = page_of(browser(centre.mia), number)
    assert "张三" in page and "13800000001" not in page and crypto.mask_phone("13800000001") in page
    assert "370202199001011234" not in page


def test_the_nav_counts_for_mediators_in_two_queries(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    walk_in(centre, org)
    nav = browser(centre.mia).get("/console/inbox/").content.decode()
    assert re.search(r'data-testid="nav-mediation-intake".*?<span class="count yellow">1</span>', nav, re.S)
    assert 'data-testid="nav-mediation-figures"' in nav
    gary = browser(cast.gary).get("/console/inbox/").content.decode()
    assert 'data-testid="nav-mediation-risks"' in gary and 'data-testid="nav-mediation-figures"' not in gary
    assert 'data-testid="nav-mediation-intake"' not in gary
    sam = browser(cast.sam).get("/console/inbox/").content.decode()
    assert 'data-testid="nav-mediation-figures"' in sam and 'data-testid="nav-mediation-intake"' not in sam
    dora = browser(cast.dora).get("/console/inbox/").content.decode()
    assert 'data-testid="nav-mediation' not in dora
    mia, dora = User.objects.get(pk=centre.mia.pk), User.objects.get(pk=cast.dora.pk)
    with CaptureQueriesContext(connection) as queries:
        assert nav_counts(mia) == {"intake": 1, "mine": 0}
    assert len(queries) == 2  # the mediator with its room and unit; the counts
    with CaptureQueriesContext(connection) as queries:
        assert nav_counts(dora) is None
    assert len(queries) == 1


# ------------------------------------------------------------------------------------------------ registering


def test_a_mediator_registers_a_dispute_with_its_parties(centre: Centre, org: dict[str, Unit]) -> None:
    mia = browser(centre.mia)
    form = mia.get("/console/mediation/new/").content.decode()
    assert form.count('data-testid="party-row"') >= 2 and 'name="room"' in form
    response = mia.post("/console/mediation/new/", registration(room=str(centre.street.pk), escalating="on"))
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert response["Location"] == f"/console/mediation/{dispute.number}/"
    assert dispute.room == centre.street and dispute.escalating and dispute.unit == org["S1C1"]
    assert dispute.source == "walk_in" and str(dispute.amount) == "3000.00"
    parties = list(dispute.parties.order_by("side", "pk"))
    assert [(p.side, p.name) for p in parties] == [("applicant", "张三"), ("respondent", "李四")]  # empty rows ignored
    assert parties[0].phone == "13800000001"
    # A room's mediator is not offered a room: hers takes it.
    assert 'name="room"' not in browser(centre.rhea).get("/console/mediation/new/").content.decode()


def test_bad_input_is_named_at_its_field_and_what_was_typed_stays(centre: Centre, org: dict[str, Unit]) -> None:
    mia = browser(centre.mia)
    bad = registration(summary="", facts="事实经过<写在这里>")
    response = mia.post("/console/mediation/new/", bad)
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-summary"' in body
    assert "事实经过&lt;写在这里&gt;" in body and 'value="张三"' in body and 'value="13900000009"' in body
    # The service's own refusals: a bad phone (the parties), an amount, a place out of reach.
    rows = [{**APPLICANT, "phone": "12345"}, RESPONDENT]
    response = mia.post("/console/mediation/new/", registration(rows=rows))
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-parties"' in body and 'value="12345"' in body
    response = mia.post("/console/mediation/new/", registration(amount="三千"))
    assert response.status_code == 400 and 'data-testid="error-amount"' in response.content.decode()
    response = mia.post("/console/mediation/new/", registration(rows=[APPLICANT]))
    assert response.status_code == 400 and 'data-testid="error-parties"' in response.content.decode()
    response = browser(centre.vic).post("/console/mediation/new/", registration(unit="西一社区（S2C1）"))
    assert response.status_code == 400 and 'data-testid="error-unit"' in response.content.decode()
    response = mia.post("/console/mediation/new/", registration(rows=[{"side": "applicant", "phone": "13800000001"}]))
    assert response.status_code == 400 and 'data-testid="error-parties-0-name"' in response.content.decode()
    assert not Dispute.objects.exists()


def test_a_row_is_added_without_losing_what_was_typed(centre: Centre) -> None:
    mia = browser(centre.mia)
    data = registration(summary="三方争执", rows=[APPLICANT, RESPONDENT])
    response = mia.post("/console/mediation/new/", {**data, "add_row": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and body.count('data-testid="party-row"') == 3
    assert 'value="三方争执"' in body and 'value="张三"' in body and 'value="李四"' in body
    assert 'data-testid="error-' not in body  # not judged yet
    assert not Dispute.objects.exists()


def test_a_place_is_picked_among_the_rooms_area(centre: Centre) -> None:
    options = browser(centre.vic).get("/console/pick/places/", {"unit": "社区"}).content.decode()
    assert "东一社区（S1C1）" in options and "西一社区" not in options and "网格" not in options


# --------------------------------------------------------------------------------------------- the steps


def test_a_dispute_goes_through_every_step_to_its_agreement_pdf(
    centre: Centre, org: dict[str, Unit], cast: Cast
) -> None:
    dispute = walk_in(centre, org)
    number = dispute.number
    mia, rhea, max_ = browser(centre.mia), browser(centre.rhea), browser(centre.max)
    page = page_of(mia, number)
    assert 'data-testid="step-accept"' in page and 'data-testid="step-decline"' in page
    assert 'data-testid="step-assign"' not in page
    assert step(mia, number, "accept", note="受理").status_code == 302
    page = page_of(mia, number)
    assert 'data-testid="form-assign"' in page
    # The assign form offers the rooms and their mediators, with their load and specialities.
    assert "东街道调解室" in page and "Rhea" in page and zh(Category.NEIGHBOURS.label) in page
    assigned = step(
        mia,
        number,
        "assign",
        room=centre.street.pk,
        lead=centre.mediator("rhea").pk,
        joint=[centre.mediator("max").pk],
    )
    assert assigned.status_code == 302, assigned.content.decode()[:2000]
    held = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    session = step(
        max_,
        number,
        "session",
        held_at=held,
        place="东街道调解室",
        attended="张三、李四",
        said="双方陈述",
        next_step="再约",
        desks=[centre.desk.pk],
    )
    assert session.status_code == 302, session.content.decode()[:2000]
    assert step(rhea, number, "extend", days="10", note="双方同意延期").status_code == 302
    # The lead records the agreement (dated today unless said otherwise); the joint mediator may not.
    assert f'name="signed_on" value="{timezone.localdate().isoformat()}"' in page_of(rhea, number)
    page = page_of(max_, number)
    assert 'data-testid="step-agree"' not in page
    refused = step(max_, number, "agree", kind="written", terms="赔偿", signed_on=str(timezone.localdate()))
    assert refused.status_code == 403 and 'data-testid="refused-agree"' in refused.content.decode()
    agreed = step(
        rhea, number, "agree", kind="written", terms="李四赔偿张三2000元。", signed_on=str(timezone.localdate())
    )
    assert agreed.status_code == 302
    assert step(rhea, number, "confirm").status_code == 302
    page = page_of(rhea, number)
    assert 'data-testid="agreement-pdf"' in page and 'data-testid="confirmation"' in page
    assert "13800000001" in page  # the lead calls the parties
    pdf = rhea.get(f"/console/mediation/{number}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert number in pdf["Content-Disposition"] and pdf["Content-Disposition"].startswith("attachment")
    assert mia.get(f"/console/mediation/{number}/agreement.pdf").content.startswith(b"%PDF")
    assert step(rhea, number, "visit", fulfilled="yes", note="已付清").status_code == 302
    assert step(mia, number, "close", note="").status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED and dispute.ended_as == DisputeStatus.FULFILLED
    assert dispute.extended_days == 10 and dispute.sessions.get().desks.get() == centre.desk
    page = page_of(mia, number)
    actions = re.findall(r'data-testid="event" data-action="(\w+)"', page)
    assert actions == ["register", "accept", "assign", "session", "extend", "agree", "confirm", "visit", "close"]
    assert 'data-testid="no-steps"' in page


def test_declining_and_failing_say_where_the_dispute_belongs(centre: Centre, org: dict[str, Unit]) -> None:
    mia, rhea = browser(centre.mia), browser(centre.rhea)
    declined = walk_in(centre, org)
    refused = step(mia, declined.number, "decline", reason="", channel="litigation")
    assert refused.status_code == 400 and 'data-testid="error-reason"' in refused.content.decode()
    assert step(mia, declined.number, "decline", reason="属劳动仲裁", channel="arbitration").status_code == 302
    page = page_of(mia, declined.number)
    assert 'data-testid="decline-reason"' in page and "属劳动仲裁" in page
    failed = walk_in(centre, org)
    dispute_accept(dispute=failed, by=centre.mia)
    dispute_assign(dispute=failed, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    assert step(rhea, failed.number, "fail", referral="litigation", reason="分歧过大").status_code == 302
    failed.refresh_from_db()
    assert failed.status == DisputeStatus.FAILED and failed.referral == "litigation"
    assert mia.get(f"/console/mediation/{failed.number}/agreement.pdf").status_code == 404


def test_a_party_is_added_later(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = walk_in(centre, org)
    mia = browser(centre.mia)
    added = mia.post(
        f"/console/mediation/{dispute.number}/parties/",
        {"version": dispute.version, "side": "respondent", "kind": "organisation", "name": "某物业公司"},
    )
    assert added.status_code == 302 and Party.objects.filter(dispute=dispute, name="某物业公司").exists()
    stale = mia.post(
        f"/console/mediation/{dispute.number}/parties/",
        {"version": dispute.version, "side": "respondent", "kind": "person", "name": "王五"},
    )
    body = stale.content.decode()
    assert stale.status_code == 409 and 'data-testid="reload"' in body and 'value="王五"' in body
    empty = mia.post(
        f"/console/mediation/{dispute.number}/parties/",
        {"version": version(dispute.number), "side": "applicant", "kind": "person"},
    )
    assert empty.status_code == 400 and 'data-testid="error-name"' in empty.content.decode()


def test_a_stale_form_is_refused_with_a_reload(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = walk_in(centre, org)
    seen = dispute.version
    mia = browser(centre.mia)
    assert step(mia, dispute.number, "accept").status_code == 302
    late = mia.post(
        f"/console/mediation/{dispute.number}/step/decline/", {"version": seen, "reason": "不属调解范围<b>!</b>"}
    )
    body = late.content.decode()
    assert late.status_code == 409 and 'data-testid="reload"' in body
    assert "不属调解范围&lt;b&gt;!&lt;/b&gt;" in body  # what was typed, kept (as text)
    assert Dispute.objects.get().status == DisputeStatus.ACCEPTED
    # A form without its version says the page is out of date.
    bare = mia.post(f"/console/mediation/{dispute.number}/step/assign/", {"room": centre.street.pk})
    assert bare.status_code == 400 and 'data-testid="reload"' in bare.content.decode()


def test_what_people_typed_is_shown_as_text(centre: Centre, org: dict[str, Unit]) -> None:
    mia = browser(centre.mia)
    rows = [{**APPLICANT, "name": "<img src=x onerror=alert(1)>"}, RESPONDENT]
    summary = "<script>alert('summary')</script>"
    assert mia.post("/console/mediation/new/", registration(summary=summary, rows=rows)).status_code == 302
    dispute = Dispute.objects.get()
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    dispute_session(
        dispute=dispute, by=centre.rhea, held_at=timezone.now(), place="<i>室</i>", attended="x", said="<u>y</u>"
    )
    rhea = browser(centre.rhea)
    terms = "<script>alert('terms')</script>"
    assert step(rhea, dispute.number, "agree", kind="oral", terms=terms).status_code == 302
    for client in (mia, rhea):
        page = page_of(client, dispute.number)
        for raw in (summary, terms, "<img src=x", "<i>室</i>", "<u>y</u>"):
            assert raw not in page
        assert "&lt;script&gt;alert(&#x27;summary&#x27;)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    queue = mia.get("/console/mediation/?tab=all").content.decode()
    assert summary not in queue and "&lt;script&gt;" in queue


# ------------------------------------------------------------------------------------------ risks and figures


def test_a_grid_worker_reports_a_risk_and_the_centre_registers_it(
    centre: Centre, org: dict[str, Unit], cast: Cast
) -> None:
    gary = browser(cast.gary)
    assert 'data-testid="risk-form"' in gary.get("/console/mediation/risks/").content.decode()
    risk = {
        "grid": org["S1C1G1"].pk,
        "category": "land",
        "level": "major",
        "parties": "王某、赵某",
        "place": "东一社区菜地",
        "what": "宅基地边界争执<b>",
    }
    assert gary.post("/console/mediation/risks/", {**risk, "what": ""}).status_code == 400
    assert gary.post("/console/mediation/risks/", {**risk, "grid": org["S2C1G1"].pk}).status_code == 400
    assert gary.post("/console/mediation/risks/", risk).status_code == 302
    report = RiskReport.objects.get()
    assert report.reporter == cast.gary and report.grid == org["S1C1G1"]
    assert browser(cast.dora).post("/console/mediation/risks/", risk).status_code == 403
    assert shut_out(browser(cast.cindy).get("/console/mediation/risks/"))
    # The street sees it; the centre is offered to register it as a dispute, pre-filled.
    assert f'data-risk="{report.pk}"' in browser(cast.alice).get("/console/mediation/risks/").content.decode()
    mia = browser(centre.mia)
    listed = mia.get("/console/mediation/risks/").content.decode()
    assert f"/console/mediation/new/?risk={report.pk}" in listed and "宅基地边界争执&lt;b&gt;" in listed
    form = mia.get(f"/console/mediation/new/?risk={report.pk}").content.decode()
    assert 'data-testid="from-risk"' in form and "宅基地边界争执&lt;b&gt;</textarea>" in form
    assert 'value="东一社区第一网格（S1C1G1）"' in form and '<option value="land" selected>' in form
    data = registration(
        category="land", source="sweep", unit="东一社区第一网格（S1C1G1）", risk="major", risk_report=str(report.pk)
    )
    assert mia.post("/console/mediation/new/", data).status_code == 302
    report.refresh_from_db()
    assert report.dispute is not None and report.dispute.unit == org["S1C1"]
    listed = mia.get("/console/mediation/risks/").content.decode()
    assert f"/console/mediation/{report.dispute.number}/" in listed
    assert report.dispute.number not in browser(cast.alice).get("/console/mediation/risks/").content.decode()
    assert mia.get("/console/mediation/new/?risk=999999").status_code == 404


def test_the_figures_count_for_anyone_with_reach(centre: Centre, org: dict[str, Unit], cast: Cast) -> None:
    first = walk_in(centre, org)
    dispute_accept(dispute=first, by=centre.mia)
    dispute_assign(dispute=first, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    dispute_fail(dispute=first, by=centre.rhea, referral="litigation", reason="分歧过大")
    walk_in(centre, org, escalating=True)
    walk_in(centre, org, unit=org["S2C1"])
    risk_report(by=cast.gary, grid=org["S1C1G1"], category="land", level="general", parties="x", place="x", what="x")

    def totals(user: User, **period: str) -> dict[str, str]:
        response = browser(user).get("/console/mediation/figures/", period)
        assert response.status_code == 200
        body = response.content.decode()
        row = body.split('data-testid="tally-total"', 1)[1].split("</tr>", 2)[1]
        cells = dict(re.findall(r'data-testid="([a-z-]+)">([^<]*)<', row))
        cells.update(re.findall(r'data-testid="(escalating-open|risks-reported)">(\d+)<', body))
        return cells

    district = totals(cast.dora)
    assert district["taken-in"] == "3" and district["mediated"] == "1" and district["success-rate"] == "0.0%"
    assert district["open"] == "2" and district["escalating-open"] == "1" and district["risks-reported"] == "1"
    assert totals(cast.alice)["taken-in"] == "2"  # her street's
    assert totals(centre.vic)["taken-in"] == "2"  # his room's area: 东一社区
    assert totals(centre.max)["taken-in"] == "3"  # the centre's, though his desk's unit is a department
    # The period is this year by default, written as a date input reads it.
    page = browser(cast.dora).get("/console/mediation/figures/").content.decode()
    assert f'name="start" value="{timezone.localdate().year}-01-01"' in page
    last_year = str(timezone.localdate().year - 1)
    assert totals(cast.dora, start=f"{last_year}-01-01", end=f"{last_year}-12-31")["taken-in"] == "0"
    bad = browser(cast.dora).get("/console/mediation/figures/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 400 and 'data-testid="error-end"' in bad.content.decode()
    assert shut_out(browser(cast.cindy).get("/console/mediation/figures/"))


# -------------------------------------------------------------------------------------------- the case page


def test_a_case_goes_to_mediation_from_its_page_and_its_timeline_links_the_dispute(
    centre: Centre, cast: Cast, dispatched: Case
) -> None:
    case = case_claim(case=dispatched, by=cast.carol)
    carol = browser(cast.carol)
    page = carol.get(f"/console/cases/{case.number}/").content.decode()
    assert 'data-testid="action-to_mediation"' in page and 'name="category"' in page
    refused = carol.post(
        f"/console/cases/{case.number}/act/to_mediation/", {"version": case.version, "category": "", "note": "x"}
    )
    assert refused.status_code == 400 and 'data-testid="error-category"' in refused.content.decode()
    sent = carol.post(
        f"/console/cases/{case.number}/act/to_mediation/",
        {"version": case.version, "category": "neighbours", "risk": "major", "note": "双方争执不下"},
    )
    assert sent.status_code == 302
    case.refresh_from_db()
    dispute = Dispute.objects.get(case=case)
    assert case.status == Status.ON_HOLD and dispute.risk == "major" and dispute.category == "neighbours"
    # Carol does not read the dispute: its number, not linked.
    page = carol.get(f"/console/cases/{case.number}/").content.decode()
    step_html = page.split('data-testid="step-dispute"', 1)[1].split("</div>", 1)[0]
    assert dispute.number in step_html and "href" not in step_html
    assert carol.get(f"/console/mediation/{dispute.number}/").status_code == 404
    # The centre reads it, and the dispute's page links the case back.
    mia = browser(centre.mia)
    page = mia.get(f"/console/cases/{case.number}/").content.decode()
    assert f'href="/console/mediation/{dispute.number}/" data-testid="dispute-link"' in page
    assert f'href="/console/cases/{case.number}/"' in page_of(mia, dispute.number)
    # The outcome comes back on the case's timeline.
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=centre.mediator("rhea"))
    dispute_fail(dispute=dispute, by=centre.rhea, referral="litigation", reason="赔偿金额分歧过大")
    page = carol.get(f"/console/cases/{case.number}/").content.decode()
    mediated = page.split('data-action="mediated"', 1)[1].split("</li>", 1)[0]
    assert "赔偿金额分歧过大" in mediated and dispute.number in mediated
    assert zh(DisputeStatus.FAILED.label) in mediated and zh(Referral.LITIGATION.label) in mediated


def test_every_step_of_the_table_has_its_console_form() -> None:
    from suban.console.mediation_forms import STEP_FORMS
    from suban.mediation.services import STEP_SERVICES

    assert set(STEP_FORMS) == set(STEP_SERVICES)


def test_the_centre_supervises_from_the_dispute_page(centre: Centre, org: dict[str, Unit]) -> None:
    dispute = walk_in(centre, org)
    dispute_accept(dispute=dispute, by=centre.mia)
    mia = browser(centre.mia)
    page = mia.get(f"/console/mediation/{dispute.number}/").content.decode()
    assert 'data-testid="step-supervise"' in page
    assert step(mia, dispute.number, "supervise", note="").status_code == 400
    assert step(mia, dispute.number, "supervise", note="三日内联系双方").status_code == 302
    assert dispute.events.filter(action="supervise").get().note == "三日内联系双方"


def test_odd_addresses_are_404s_and_odd_periods_are_refused(centre: Centre, org: dict[str, Unit]) -> None:
    mia = browser(centre.mia)
    assert mia.get("/console/mediation/new/?risk=²").status_code == 404
    for query in ("start=9999-12-31&end=9999-12-31", "start=0001-01-01&end=0001-01-02"):
        assert mia.get(f"/console/mediation/figures/?{query}").status_code in (200, 400), query
