"""Seasonal alerts (未诉先办): three years of generated history in which heating complaints rise every
December on one street, while other matters stay flat, and a bump that came only once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from suban.cases.models import Case, Status
from suban.catalogue.models import Matter
from suban.intel.seasonal import seasonal_alerts
from suban.org.models import Unit
from tests.conftest import Cast

TODAY = date(2026, 12, 1)
HEATING = "城乡建设/冬季采暖"
BUS = "交通运输/公共汽车"


@pytest.fixture
def matters(db: Any) -> dict[str, Matter]:
    top = Matter.objects.create(code="C", name="城乡建设", full_name="城乡建设", level=1)
    bus_top = Matter.objects.create(code="T", name="交通运输", full_name="交通运输", level=1)
    return {
        HEATING: Matter.objects.create(code="C1", name="冬季采暖", full_name=HEATING, level=2, parent=top),
        BUS: Matter.objects.create(code="T1", name="公共汽车", full_name=BUS, level=2, parent=bus_top),
        # A third level counts with its second-level parent.
        "noise": Matter.objects.create(code="C11", name="供暖不热", full_name=f"{HEATING}/供暖不热", level=3),
    }


def make(history: list[tuple[Unit, Matter, date]], district: Unit) -> None:
    """Cases at the given days (written in bulk; created_at set afterwards, as auto_now_add sets it)."""
    cases = [
        Case(
            number=f"T{k:08d}",
            title="历史诉求",
            grid=grid,
            area_path=grid.path,
            unit=district,
            unit_path=district.path,
            matter=matter,
            status=Status.CLOSED,
            version=1,
        )
        for k, (grid, matter, _day) in enumerate(history)
    ]
    Case.objects.bulk_create(cases, batch_size=500)
    by_day: dict[date, list[str]] = {}
    for case, (_g, _m, day) in zip(cases, history, strict=True):
        by_day.setdefault(day, []).append(case.number)
    for day, numbers in by_day.items():
        moment = timezone.make_aware(datetime.combine(day, time(10)))
        Case.objects.filter(number__in=numbers).update(created_at=moment)


def every(days: int, start: date, end: date) -> list[date]:
    found, day = [], start
    while day < end:
        found.append(day)
        day += timedelta(days=days)
    return found


@pytest.fixture
def history(org: dict[str, Unit], matters: dict[str, Matter]) -> None:
    start, end = TODAY - timedelta(days=4 * 365), TODAY
    rows: list[tuple[Unit, Matter, date]] = []
    s1, s2 = org["S1C1G1"], org["S2C1G1"]
    for day in every(14, start, end):  # a heating complaint every other week on S1, all year
        rows.append((s1, matters[HEATING], day))
    for year in (2023, 2024, 2025):  # ... and four a week from the start of December
        for day in every(2, date(year, 12, 2), date(year, 12, 30)):
            rows.append((s1, matters[HEATING] if day.day % 4 else matters["noise"], day))
    for day in every(7, start, end):  # buses: one a week on both streets, flat
        rows.append((s1, matters[BUS], day))
        rows.append((s2, matters[BUS], day))
    for day in every(2, date(2025, 12, 2), date(2025, 12, 30)):  # S2's heating: a bump in 2025 only
        rows.append((s2, matters[HEATING], day))
    for day in every(21, start, end):
        rows.append((s2, matters[HEATING], day))
    make(rows, org["D"])


def test_the_seasonal_bump_is_flagged_with_its_figures(history: None, org: dict[str, Unit]) -> None:
    found = seasonal_alerts(org["D"], today=TODAY)
    assert [(a.street.code, a.matter) for a in found] == [("S1", HEATING)]
    alert = found[0]
    assert [y.year for y in alert.years] == [2025, 2024, 2023]
    assert all(y.in_window >= 12 and y.usual < 4 for y in alert.years)
    assert alert.ratio > 3 and alert.start == TODAY and alert.end == TODAY + timedelta(weeks=4)
    assert alert.as_json()["years"][0]["window_start"] == "2025-12-02"


def test_a_flat_matter_and_a_one_year_bump_are_not_flagged(history: None, org: dict[str, Unit]) -> None:
    found = seasonal_alerts(org["D"], today=TODAY, years=3)
    assert all(a.matter != BUS for a in found)
    assert all(a.street.code != "S2" for a in found)
    # Judged by the last year alone, S2's one bump is a rise.
    assert ("S2", HEATING) in [(a.street.code, a.matter) for a in seasonal_alerts(org["D"], today=TODAY, years=1)]
    # In spring nothing rises.
    assert seasonal_alerts(org["D"], today=date(2026, 4, 1)) == []


def test_without_earlier_years_there_is_no_alert(org: dict[str, Unit], matters: dict[str, Matter]) -> None:
    make([(org["S1C1G1"], matters[HEATING], TODAY - timedelta(days=3))] * 3, org["D"])
    assert seasonal_alerts(org["D"], today=TODAY) == []


def test_the_page_the_api_and_the_command(history: None, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *a, **k: TODAY if value is None else real(value))
    out = StringIO()
    call_command("seasonal_alerts", "--date", TODAY.isoformat(), stdout=out)
    assert "东街道 城乡建设/冬季采暖" in out.getvalue() and "1 alerts." in out.getvalue()

    def client(who: str) -> Client:
        c = Client()
        c.force_login(cast[who], backend="suban.accounts.backends.RoleBackend")
        return c

    assert [a["street"]["code"] for a in client("leo").get("/api/seasonal-alerts").json()] == ["S1"]
    assert client("bob").get("/api/seasonal-alerts").json() == []  # the other street
    page = client("alice").get("/console/seasonal/").content.decode()
    assert page.count('data-testid="seasonal-alert"') == 1
    assert client("dan").get("/console/seasonal/").status_code == 403
