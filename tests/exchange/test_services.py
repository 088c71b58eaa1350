"""Each write of the exchange's pages and its audit entry go in one transaction: when the audit entry cannot be
written, nothing the page asked for is written either (before, the pages saved, then audited in autocommit)."""

from __future__ import annotations

from typing import Any

import pytest

from suban.audit.models import AuditEntry
from suban.exchange import services
from suban.exchange.models import BatchState, ColumnMapping, ExchangeRecord, Source, SourceKind
from suban.exchange.orders import batch_check
from tests.exchange.conftest import hotline_rows, xlsx
from tests.exchange.test_mapping_editor import HOTLINE_MAPPING, editor_url, form_data


class AuditDown(Exception):
    pass


@pytest.fixture
def audit_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: Any) -> None:
        raise AuditDown

    monkeypatch.setattr(services, "audit_record", refuse)


def test_a_new_source_and_its_entry_are_written_together(login, cast):
    client = login(cast.dora)
    response = client.post("/console/exchange/", {"name": "qd12345", "label": "青岛12345", "kind": "hotline"})
    assert response.status_code == 302 and Source.objects.filter(name="qd12345").exists()
    assert AuditEntry.objects.filter(action="exchange.source_create").count() == 1


def test_no_source_without_its_audit_entry(login, cast, audit_down):
    client = login(cast.dora)
    client.raise_request_exception = False
    response = client.post("/console/exchange/", {"name": "qd12345", "label": "青岛12345", "kind": "hotline"})
    assert response.status_code == 500
    assert not Source.objects.filter(name="qd12345").exists()


def test_no_mapping_without_its_audit_entry(login, cast, audit_down):
    client = login(cast.dora)
    client.raise_request_exception = False
    fresh = Source.objects.create(name="fz-new", label="福州12345（新）", kind=SourceKind.HOTLINE)
    response = client.post(editor_url(fresh), form_data(HOTLINE_MAPPING, "default"))
    assert response.status_code == 500
    assert not ColumnMapping.objects.filter(source=fresh).exists()


def test_no_import_without_its_audit_entry(cast, hotline, audit_down):
    batch = batch_check(
        source=hotline, mapping=hotline.mappings.get(), file_name="o.xlsx", data=xlsx(hotline_rows(3)), by=cast.dora
    )
    with pytest.raises(AuditDown):
        services.batch_import(batch=batch, by=cast.dora)
    batch.refresh_from_db()
    assert batch.state != BatchState.DONE and not ExchangeRecord.objects.filter(source=hotline).exists()


def test_an_import_is_recorded_with_its_figures(cast, hotline):
    batch = batch_check(
        source=hotline, mapping=hotline.mappings.get(), file_name="o.xlsx", data=xlsx(hotline_rows(3)), by=cast.dora
    )
    batch = services.batch_import(batch=batch, by=cast.dora)
    entry = AuditEntry.objects.get(action="exchange.import")
    assert entry.detail == {"created": 3, "duplicates": 0, "failed": 0}
