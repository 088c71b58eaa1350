"""Past systems' cases imported as closed history: the real NYC 311 and 福州 12345 slices in data/."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.models import Case, CaseEvent, Channel, Nature, Status
from suban.errors import Forbidden
from suban.exchange.history import import_history
from suban.exchange.models import BatchState, ColumnMapping, ExchangeRecord, ImportBatch, Source, SourceKind
from suban.exchange.orders import batch_check
from tests.conftest import Cast
from tests.exchange.conftest import BUILT_IN, FUZHOU, NYC, fuzhou_rows

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_history", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def replays_to_closed(case: Case) -> None:
    """The event log replays, step by step through the lifecycle table, to the case's closed state."""
    log = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in log] == list(range(1, case.version + 1))
    assert (log[0].action, log[0].from_status, log[0].to_status) == ("submit", "", Status.NEW)
    status = Status.NEW.value
    for event in log[1:]:
        transition = BY_ACTION[event.action]
        assert event.from_status == status and status in transition.sources, (event.action, status)
        assert event.to_status == status if SAME in transition.targets else event.to_status in transition.targets
        status = event.to_status
        assert event.data["historical"] is True
    assert status == case.status == Status.CLOSED
    times = [e.at for e in log]
    assert times == sorted(times) and times[0] == case.created_at and times[-1] == case.closed_at


def test_the_nyc_slice_is_refused_for_its_bad_row_and_nothing_is_written(org: Any) -> None:
    with pytest.raises(CommandError):
        run("--source", "nyc311", "--file", str(NYC))
    batch = ImportBatch.objects.get()
    assert batch.state == BatchState.REFUSED
    assert batch.errors == [{"row": 32, "column": "Closed Date", "message": "办结时间不能早于创建时间。"}]
    assert not Case.objects.exists() and not CaseEvent.objects.exists() and not ExchangeRecord.objects.exists()


def test_the_nyc_slice_imports_its_valid_rows_as_closed_history(org: Any) -> None:
    out = run("--source", "nyc311", "--file", str(NYC), "--valid-rows")
    assert "31 rows: 30 cases created, 0 already imported, 1 with errors" in out

    with NYC.open(encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    record = ExchangeRecord.objects.select_related("case", "source").get(ref=first["Unique Key"])
    case = record.case
    assert record.historical and not record.assessable and record.source.kind == SourceKind.HISTORY
    assert case.source_ref == "nyc311:26984072" and record.ref == "26984072"
    assert case.number.startswith(f"H{record.source_id}-")
    assert case.title == "Blocked Driveway / No Access"
    assert case.address == "952 EAST 58 STREET, BROOKLYN, 11234"
    assert (case.latitude, case.longitude) == (40.63186547963468, -73.92053369143751)
    assert case.channel == Channel.OPEN311
    assert case.created_at == datetime(2013, 12, 25, 23, 59, 8, tzinfo=NEW_YORK)
    assert case.closed_at == datetime(2013, 12, 26, 1, 15, tzinfo=NEW_YORK)
    assert case.unit == org["D"] and case.grid is None  # no grid of ours in New York
    submit = case.events.get(seq=1)
    assert submit.data["extra"]["Agency Name"] == "New York City Police Department"
    for case in Case.objects.all():
        replays_to_closed(case)
    # An open request in the file (no closed date) is closed at its last known time, and says so.
    open_one = Case.objects.get(exchange__ref="26996604")
    assert open_one.closed_at == open_one.created_at
    assert open_one.events.get(action="close").data["closed_at_inferred"] is True


def test_importing_history_again_creates_nothing(org: Any) -> None:
    run("--source", "fuzhou12345", "--file", str(FUZHOU))
    counts = (Case.objects.count(), CaseEvent.objects.count())
    out = run("--source", "fuzhou12345", "--file", str(FUZHOU))
    assert "20 rows: 0 cases created, 20 already imported" in out
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    # The numbers of a source go on, they do not restart.
    assert sorted(Case.objects.values_list("number", flat=True))[-1].endswith("-00000020")


def test_the_fuzhou_slice_keeps_its_replies_and_their_dates(org: Any) -> None:
    run("--source", "fuzhou12345", "--file", str(FUZHOU))
    real = fuzhou_rows(20)
    assert Case.objects.filter(status=Status.CLOSED).count() == 20
    for row in real[:5]:
        case = Case.objects.get(exchange__ref=row["id"], exchange__source__name="fuzhou12345")
        created = datetime.fromisoformat(row["时间"]).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        assert case.created_at == created
        assert case.replied_at == case.closed_at == created + timedelta(days=int(row["最终回复距诉求天数"]))
        assert case.reply == row["回复1"].strip()
        assert case.text == row["投诉件内容"].strip()
        replays_to_closed(case)
    assert Case.objects.get(exchange__ref="1").nature == Nature.COMPLAINT  # 投诉
    assert Case.objects.get(exchange__ref="2").nature == Nature.HELP  # 求助
    by_channel = {row["id"]: row["信息来源"] for row in real}
    phone_id = next(i for i, c in by_channel.items() if c == "电话")
    assert Case.objects.get(exchange__ref=phone_id).channel == Channel.HOTLINE


def test_a_dispatcher_imports_history_into_their_district_only(cast: Cast, org: Any) -> None:
    source = Source.objects.create(name="oldsys", label="旧系统", kind=SourceKind.HISTORY)
    mapping = ColumnMapping.objects.create(
        source=source,
        name="default",
        columns={"order_id": "编号", "title": "标题", "created_at": "时间", "closed_at": "办结", "unit": "承办单位"},
        values={"unit": {"东街道办": "S1"}},
    )
    data = "编号,标题,时间,办结,承办单位\n1,路灯不亮,2019-03-01 08:00,2019-03-02 09:00,东街道办\n".encode()
    with pytest.raises(Forbidden):
        batch_check(source=source, mapping=mapping, file_name="h.csv", data=data, by=cast.alice, historical=True)
    batch = batch_check(source=source, mapping=mapping, file_name="h.csv", data=data, by=cast.dora, historical=True)
    batch = import_history(batch=batch, by=cast.dora)
    case = Case.objects.get()
    assert (batch.created, case.unit, case.level) == (1, org["S1"], "street")
    replays_to_closed(case)


def test_the_built_in_mappings_are_valid_for_history() -> None:
    from suban.exchange.checking import checked_mapping

    for path in BUILT_IN.glob("*.json"):
        import json

        checked_mapping(json.loads(path.read_text(encoding="utf-8")), historical=True)


def test_two_past_systems_may_number_their_cases_alike(org: Any) -> None:
    run("--source", "fuzhou12345", "--file", str(FUZHOU))
    out = run("--source", "gulou", "--file", str(FUZHOU), "--mapping", str(BUILT_IN / "fuzhou12345.json"))
    assert "20 cases created" in out
    assert Case.objects.filter(exchange__ref="1").count() == 2
    assert set(Case.objects.filter(exchange__ref="1").values_list("source_ref", flat=True)) == {
        "fuzhou12345:1",
        "gulou:1",
    }


def test_history_not_mapped_to_count_stays_out_of_assessment_after_a_full_rebuild(org: Any) -> None:
    from suban.assess.models import CaseAssessment
    from suban.assess.services import rebuild_assessment

    run("--source", "fuzhou12345", "--file", str(FUZHOU))
    rebuild_assessment()
    rows = CaseAssessment.objects.filter(case__exchange__source__name="fuzhou12345")
    assert rows.count() == 20
    assert set(rows.values_list("exclusion_reason", flat=True)) == {"historical:fuzhou12345"}
