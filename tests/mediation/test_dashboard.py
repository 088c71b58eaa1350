"""The big screen's panel of resolution beyond dispatch: the mediation centre's counts (never its content), and
the knowledge base's answers, within the reader's reach."""

from __future__ import annotations

from typing import Any

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.mediation.services import dispute_agree, dispute_fail
from suban.org.models import Unit
from tests.conftest import PASSWORD, Cast
from tests.mediation.conftest import Centre, walk_in
from tests.mediation.test_lifecycle import mediate


def beyond(client: Any, query: str = "") -> Any:
    return client.get(f"/api/dashboard/beyond{query}", HTTP_ACCEPT="application/json")


def test_the_screen_counts_disputes_by_reach(centre: Centre, org: dict[str, Unit], cast: Cast, login: Any) -> None:
    agreed = mediate(centre, walk_in(centre, org))
    dispute_agree(dispute=agreed, by=centre.rhea, kind="oral", terms="互相谅解")
    failed = mediate(centre, walk_in(centre, org, escalating=True))
    dispute_fail(dispute=failed, by=centre.rhea, referral="litigation", reason="分歧过大")
    walk_in(centre, org, escalating=True)  # registered, open, escalating
    client = login(cast.leo)
    answer = beyond(client)
    assert answer.status_code == 200, answer.content
    m = answer.json()["mediation"]
    assert (m["taken_in"], m["mediated"], m["agreed"], m["success_rate"], m["escalating_open"]) == (3, 2, 1, 0.5, 1)
    assert "楼上漏水".encode() not in answer.content  # counts, not content
    assert answer.json()["knowledge"]["consultations"] == 0
    assert beyond(client, "?unit=S2").json()["mediation"]["taken_in"] == 0  # drilling down to the other street
    assert beyond(client, "?days=7").status_code == 400
    west = staff_create(
        by=None, username="wl", name="西街道领导", unit=org["S2"], roles=[Role.LEADER], password=PASSWORD
    )
    assert beyond(login(west)).json()["mediation"]["taken_in"] == 0
    assert beyond(login(cast.carol)).status_code == 403


def test_the_weekly_and_monthly_reports_rank_the_rooms(
    centre: Centre, org: dict[str, Unit], cast: Cast, login: Any
) -> None:
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    agreed = mediate(centre, walk_in(centre, org))
    dispute_agree(dispute=agreed, by=centre.rhea, kind="oral", terms="互相谅解")
    centre.street.name = "东街道<调解室> & 人民调解委员会"  # a name that is markup to reportlab
    centre.street.save()
    client = login(cast.leo)
    today = timezone.localdate().isoformat()
    page = client.get(f"/console/assessment/reports/monthly/?date={today}")
    html = page.content.decode()
    assert 'data-testid="report-mediation"' in html and html.count('data-testid="mediation-room"') == 1
    assert "东街道&lt;调解室&gt; &amp; 人民调解委员会" in html
    book = load_workbook(BytesIO(client.get(f"/console/assessment/reports/monthly/file.xlsx?date={today}").content))
    rows = [r for ws in book.worksheets for r in ws.iter_rows(values_only=True) if r and r[0] == centre.street.name]
    assert rows and rows[0][1:4] == (1, 1, 1.0), rows
    pdf = client.get(f"/console/assessment/reports/weekly/file.pdf?date={today}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
