"""12345 work orders imported from files: checked first, all or nothing, deduplicated by the order id."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from suban.cases.models import Case, CaseEvent, Channel, Nature, Status, Urgency
from suban.errors import Forbidden
from suban.exchange.models import BatchState, ExchangeRecord, Source
from suban.exchange.orders import batch_check, batch_run
from tests.conftest import Cast
from tests.exchange.conftest import csv_bytes, fuzhou_rows, hotline_rows, xlsx

pytestmark = pytest.mark.django_db


def check(source: Source, data: bytes, by: Any, name: str = "orders.xlsx") -> Any:
    return batch_check(source=source, mapping=source.mappings.get(), file_name=name, data=data, by=by)


def test_a_clean_file_becomes_dispatched_cases_with_their_records(cast: Cast, hotline: Source) -> None:
    batch = check(hotline, xlsx(hotline_rows(5)), cast.dora)
    assert (batch.state, batch.rows, batch.failed, batch.duplicates, batch.errors) == (BatchState.CHECKED, 5, 0, 0, [])
    assert not Case.objects.exists()  # checking writes no case

    batch = batch_run(batch=batch, by=cast.dora)

    assert (batch.state, batch.created) == (BatchState.DONE, 5)
    assert not batch.file  # the upload is not kept once imported
    records = ExchangeRecord.objects.filter(source=hotline).select_related("case").order_by("ref")
    assert [r.ref for r in records] == ["FZ1", "FZ2", "FZ3", "FZ4", "FZ5"]
    real = fuzhou_rows(5)
    first = records.get(ref="FZ1").case
    assert first.title == real[0]["标题"]
    assert first.text == real[0]["投诉件内容"]
    assert first.source_ref == "FZ1"
    assert first.channel == Channel.HOTLINE
    assert first.nature == Nature.COMPLAINT  # 投诉
    assert records.get(ref="FZ2").case.nature == Nature.HELP  # 求助
    assert first.urgency == Urgency.NORMAL
    # Accepted and dispatched by the responsibility list, like any intake of the dispatch centre.
    assert first.status == Status.DISPATCHED
    assert first.unit is not None and first.unit.code == "S1C1"
    assert list(first.events.values_list("action", flat=True)) == ["submit", "accept", "dispatch"]
    assert first.masked_contact_phone == "139****5670"
    record = records.get(ref="FZ1")
    assert record.source_time == datetime(2020, 9, 3, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert not record.historical


def test_importing_the_same_file_again_creates_nothing_and_says_so(cast: Cast, hotline: Source) -> None:
    data = csv_bytes(hotline_rows(4))
    batch_run(batch=check(hotline, data, cast.dora, "a.csv"), by=cast.dora)
    cases, events = Case.objects.count(), CaseEvent.objects.count()

    again = check(hotline, data, cast.dora, "a.csv")
    assert (again.rows, again.duplicates, again.failed) == (4, 4, 0)
    again = batch_run(batch=again, by=cast.dora)

    assert (again.state, again.created, again.duplicates) == (BatchState.DONE, 0, 4)
    assert (Case.objects.count(), CaseEvent.objects.count()) == (cases, events)


def test_a_file_with_an_error_writes_nothing(cast: Cast, hotline: Source) -> None:
    rows = hotline_rows(4)
    rows[2][6] = "东经120度"  # longitude not a number
    rows[3][1] = ""  # no title
    batch = check(hotline, xlsx(rows), cast.dora)
    assert batch.failed == 2
    assert batch.errors == [
        {"row": 4, "column": "经度", "message": "东经120度 不是数字。"},
        {"row": 5, "column": "标题", "message": "该单元格为空。"},
    ]

    batch = batch_run(batch=batch, by=cast.dora)

    assert (batch.state, batch.created) == (BatchState.REFUSED, 0)
    assert not Case.objects.exists() and not ExchangeRecord.objects.exists()


def test_the_valid_rows_are_imported_only_when_asked(cast: Cast, hotline: Source) -> None:
    rows = hotline_rows(4)
    rows[1][9] = "表扬信"  # a nature the value map does not know
    batch = batch_run(batch=check(hotline, xlsx(rows), cast.dora), by=cast.dora, valid_rows=True)

    assert (batch.state, batch.created, batch.failed) == (BatchState.DONE, 3, 1)
    assert batch.errors[0]["row"] == 3 and batch.errors[0]["column"] == "诉求性质"
    assert sorted(ExchangeRecord.objects.values_list("ref", flat=True)) == ["FZ1", "FZ3", "FZ4"]


def test_an_order_id_twice_in_the_file_is_an_error_on_the_later_row(cast: Cast, hotline: Source) -> None:
    rows = hotline_rows(3)
    rows[2][0] = rows[0][0]
    batch = check(hotline, xlsx(rows), cast.dora)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "工单编号")]


def test_a_refusal_by_the_case_services_rolls_back_the_whole_file(cast: Cast, hotline: Source) -> None:
    rows = hotline_rows(3)
    # No point and an address naming no unit: the responsibility list finds no place to dispatch it.
    rows[1][5], rows[1][6], rows[1][7] = "福州市仓山区", "", ""
    batch = check(hotline, xlsx(rows), cast.dora)
    assert batch.failed == 0  # the file itself is fine

    batch = batch_run(batch=batch, by=cast.dora)

    assert batch.state == BatchState.REFUSED
    assert [e["row"] for e in batch.errors] == [3]
    assert not Case.objects.exists() and not ExchangeRecord.objects.exists()


def test_a_missing_column_is_reported_on_the_header_row(cast: Cast, hotline: Source) -> None:
    headers = ["工单编号", "标题"]
    batch = check(hotline, xlsx([["A1", "路灯不亮"]], headers), cast.dora)
    assert batch.errors[0]["row"] == 1 and batch.errors[0]["column"] == "诉求内容"
    assert batch_run(batch=batch, by=cast.dora, valid_rows=True).state == BatchState.REFUSED


def test_only_the_dispatch_centre_imports(cast: Cast, hotline: Source) -> None:
    for name in ("carol", "sam", "sysadmin", "cindy"):
        with pytest.raises(Forbidden):
            check(hotline, xlsx(hotline_rows(1)), cast[name])
    batch = check(hotline, xlsx(hotline_rows(1)), cast.dora)
    with pytest.raises(Forbidden):
        batch_run(batch=batch, by=cast.alice)


def test_an_upload_nobody_imports_is_deleted_after_a_day_and_then_asked_for_again(
    cast: Cast, hotline: Source, settings: Any
) -> None:
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from suban.errors import Invalid
    from suban.exchange.batches import forget_stale_uploads

    settings.EXCHANGE_UPLOAD_HOURS = 24
    kept = check(hotline, xlsx(hotline_rows(2)), cast.dora, "today.xlsx")
    stale = check(hotline, xlsx(hotline_rows(3)), cast.dora, "yesterday.xlsx")
    name = stale.file.name
    assert default_storage.exists(name)
    type(stale).objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=25))

    assert forget_stale_uploads() == 1
    assert not default_storage.exists(name)  # the phone numbers in it are gone
    stale.refresh_from_db()
    assert not stale.file and stale.rows == 3  # the record and its figures stay
    with pytest.raises(Invalid, match="重新上传"):
        batch_run(batch=stale, by=cast.dora)
    assert not Case.objects.exists()
    assert batch_run(batch=kept, by=cast.dora).created == 2  # the fresh one imports as usual
    assert forget_stale_uploads() == 0


def test_a_source_in_gcj02_is_read_into_wgs84_and_exported_back(cast: Cast, hotline: Source) -> None:
    from suban.exchange.checking import checked_mapping
    from suban.exchange.results import export_rows
    from suban.org.coords import wgs84_to_gcj02

    # The hotline's map gives GCJ-02: (120.005, 36.005) in S1C1G1 is about (120.0102, 36.0051), in S1C1G2.
    lng, lat = wgs84_to_gcj02(120.005, 36.005)
    rows = hotline_rows(1)
    rows[0][6:8] = [f"{lng:.8f}", f"{lat:.8f}"]
    mapping = hotline.mappings.get()
    as_is = batch_run(batch=check(hotline, xlsx(rows), cast.dora), by=cast.dora)
    case = ExchangeRecord.objects.get(batch=as_is).case
    assert case.grid is not None and case.grid.code == "S1C1G2"  # read as WGS-84: the wrong grid

    rows[0][0] = "FZ-GCJ"  # the same order, as another one
    mapping.options = {**mapping.options, "coordinate_system": "gcj02"}
    mapping.save()
    batch = batch_run(batch=check(hotline, xlsx(rows), cast.dora), by=cast.dora)
    case = ExchangeRecord.objects.get(batch=batch).case
    assert case.grid is not None and case.grid.code == "S1C1G1"
    assert abs(case.longitude - 120.005) < 1e-7 and abs(case.latitude - 36.005) < 1e-7

    header, *exported = export_rows(hotline, checked_mapping(mapping.as_dict(), historical=False), cast.dora)
    row = next(dict(zip(header, r, strict=True)) for r in exported if r[header.index("工单编号")] == "FZ-GCJ")
    assert abs(float(row["经度"]) - lng) < 1e-7 and abs(float(row["纬度"]) - lat) < 1e-7


def test_a_mapping_with_an_unknown_coordinate_system_is_refused(hotline: Source) -> None:
    from suban.errors import Invalid
    from suban.exchange.checking import checked_mapping

    spec = hotline.mappings.get().as_dict()
    spec["options"]["coordinate_system"] = "mars"
    with pytest.raises(Invalid) as refused:
        checked_mapping(spec, historical=False)
    assert refused.value.field == "options.coordinate_system"
