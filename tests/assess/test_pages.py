"""The assessment through HTTP: console pages, the API, the reports' files and the report command."""

from __future__ import annotations

from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tests.assess.test_selectors import handled
from tests.conftest import Cast
from tests.timing import FrozenTime


@pytest.fixture
def month(cast: Cast, handlers: dict[str, Any], org: dict[str, Any], frozen: FrozenTime) -> None:
    for code, kw in (
        ("S1C1", {}),
        ("S1C2", {"claim_hours": 6, "satisfaction": "unsatisfied", "resolved": False}),
        ("S2C1", {"satisfaction": "basically", "resolved": False}),
        ("DEPT1", {}),
        ("DEPT2", {"claim_hours": 8, "satisfaction": None}),
    ):
        handled(cast, handlers, org, code, frozen=frozen, **kw)


Q = "period=month&date=2026-02-09"


def test_the_leader_sees_the_street_ranking_and_drills_into_a_figure(
    login: Any, cast: Cast, org: dict[str, Any], month: None
) -> None:
    client: Client = login(cast.leo)
    page = client.get(f"/console/assessment/?kind=street&{Q}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-unit="S1"' in html and 'data-unit="S2"' in html
    unit = client.get(f"/console/assessment/units/{org['S1'].pk}/?{Q}")
    assert unit.status_code == 200 and 'data-unit="S1C2"' in unit.content.decode()
    drill = client.get(f"/console/assessment/cases/?{Q}&unit={org['S1'].pk}&measure=unsatisfied")
    body = drill.content.decode()
    assert drill.status_code == 200 and body.count('data-testid="drill-row"') == 1
    assert "/console/cases/" in body  # each case links to its page


def test_the_pickers_show_the_period_the_ranking_shows(login: Any, cast: Cast, frozen: FrozenTime) -> None:
    html = login(cast.leo).get("/console/assessment/").content.decode()
    assert "2026-02" in html  # this month's ranking
    # Pressing "Show" unchanged must show the same month, not switch to a day.
    assert '<option value="month" selected>' in html
    assert 'name="date" value="2026-02-09"' in html


def test_the_monthly_ranking_page_marks_the_bottom_two(
    login: Any, cast: Cast, org: dict[str, Any], month: None
) -> None:
    html = login(cast.leo).get(f"/console/assessment/?kind=community&{Q}").content.decode()
    assert html.count('data-bottom="1"') == 2


def test_a_street_handler_cannot_read_another_street(login: Any, cast: Cast, org: dict[str, Any], month: None) -> None:
    client = login(cast.alice)
    assert client.get(f"/console/assessment/units/{org['S2'].pk}/?{Q}").status_code == 404
    assert client.get(f"/console/assessment/cases/?{Q}&unit={org['S2'].pk}&measure=assessed").status_code == 404
    html = client.get(f"/console/assessment/?kind=street&{Q}").content.decode()
    assert 'data-unit="S1"' in html and 'data-unit="S2"' not in html


def test_citizens_and_strangers_are_kept_out(client: Client, login: Any, cast: Cast) -> None:
    assert Client().get("/api/assessment/rankings").status_code == 401
    assert client.get("/console/assessment/").status_code == 302
    # A citizen's session carries no staff login: sent to log in, like the rest of the console.
    assert login(cast.cindy).get("/console/assessment/")["Location"].startswith("/login/")
    auditor = login(cast.auditor)
    assert auditor.get("/console/assessment/").status_code == 403
    assert auditor.get("/api/assessment/rankings?kind=street").json()["rows"] == []  # reaches no unit


def test_the_api_ranks_reports_a_unit_and_drills_down(login: Any, cast: Cast, org: dict[str, Any], month: None) -> None:
    client = login(cast.leo)
    ranking = client.get(f"/api/assessment/rankings?kind=department&{Q}").json()
    assert [(r["unit"]["code"], r["rank"]) for r in ranking["rows"]] == [("DEPT1", 1), ("DEPT2", 2)]
    assert ranking["span"] == {"period": "month", "start": "2026-02-01", "end": "2026-02-28"}
    unit = client.get(f"/api/assessment/units/{org['S1'].pk}?{Q}").json()
    assert unit["figures"]["counts"]["assessed"] == 2
    assert unit["figures"]["rates"]["response_rate"] == 0.5
    assert unit["live"] == {"open": 1, "yellow": 0, "red": 0}
    cases = client.get(f"/api/assessment/cases?{Q}&unit={org['D'].pk}&measure=not_responded_in_time").json()
    assert cases["count"] == 2 and {c["unit"]["code"] for c in cases["items"]} == {"S1C2", "DEPT2"}
    bad = client.get(f"/api/assessment/cases?{Q}&unit={org['D'].pk}&measure=nonsense")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "measure"
    other = login(cast.bob).get(f"/api/assessment/units/{org['S1'].pk}?{Q}")
    assert other.status_code == 404


def test_the_monthly_report_as_page_workbook_and_pdf(login: Any, cast: Cast, org: dict[str, Any], month: None) -> None:
    client = login(cast.leo)
    page = client.get("/console/assessment/reports/monthly/?date=2026-02-09")
    html = page.content.decode()
    assert page.status_code == 200 and "@media print" not in html  # the print CSS is a file
    assert html.count('data-testid="report-ranking"') == 2 and 'data-testid="report-hotspots"' in html
    book = client.get("/console/assessment/reports/monthly/file.xlsx?date=2026-02-09")
    assert book.status_code == 200
    wb = load_workbook(BytesIO(book.content))
    assert len(wb.sheetnames) >= 3
    streets = wb.worksheets[1]
    names = [row[1] for row in streets.iter_rows(min_row=2, values_only=True)]
    assert set(names) == {"东街道", "西街道"}
    pdf = client.get("/console/assessment/reports/weekly/file.pdf?date=2026-02-09")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/console/assessment/reports/monthly/file.exe").status_code == 404
    assert client.get("/console/assessment/reports/yearly/").status_code == 404


def test_the_report_command_writes_the_month_ranking_workbook(tmp_path: Path, org: dict[str, Any], month: None) -> None:
    out = tmp_path / "feb.xlsx"
    printed = StringIO()
    call_command("assessment_report", "--month", "2026-02", "--out", str(out), stdout=printed)
    wb = load_workbook(out)
    departments = wb.worksheets[2]
    rows = list(departments.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(1, "城管局"), (2, "住建局")]
    assert "2026-02" in printed.getvalue()
    call_command("assessment_report", "--month", "2026-02", "--out", str(tmp_path / "feb.pdf"), stdout=StringIO())
    assert (tmp_path / "feb.pdf").read_bytes().startswith(b"%PDF")


def test_the_rankings_say_how_the_figures_are_counted_in_the_page_itself(login: Any, cast: Cast, month: None) -> None:
    html = login(cast.leo).get("/console/assessment/").content.decode()
    assert 'data-testid="definitions"' in html and "指标口径" in html and "满意率" in html
    assert "100%。" in html and "docs/assessment.md" not in html  # not a path into the repository


def test_a_date_outside_the_calendar_shows_today_rather_than_failing(login: Any, cast: Cast) -> None:
    client = login(cast.leo)
    for kind in ("daily", "weekly", "monthly"):
        for day in ("0001-01-01", "9999-12-31"):
            assert client.get(f"/console/assessment/reports/{kind}/?date={day}").status_code == 200, (kind, day)
