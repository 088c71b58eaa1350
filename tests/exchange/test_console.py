"""The console pages: upload, preview and report, import, errors download, export; the dispatch centre only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from suban.cases.models import Case
from suban.exchange.models import BatchState, ColumnMapping, ImportBatch, Source
from tests.conftest import Cast
from tests.exchange.conftest import HOTLINE_MAPPING, csv_bytes, hotline_rows, xlsx

pytestmark = pytest.mark.django_db


def upload(client: Client, source: Source, data: bytes) -> Any:
    mapping = source.mappings.get()
    file = SimpleUploadedFile("orders.xlsx", data)
    return client.post(
        f"/console/exchange/sources/{source.name}/", {"form": "upload", "mapping": mapping.pk, "file": file}
    )


def english(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    """The page in English, leaving the test's own language as it was (the middleware activates the chosen one)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(translation.get_language()):
        response = client.get(url) if data is None else client.post(url, data)
    return str(response.content.decode())


def test_a_dispatcher_uploads_sees_the_preview_and_imports(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    home = client.get("/console/exchange/")
    assert home.status_code == 200 and "fz12345" in home.content.decode()
    rows = hotline_rows(3)
    rows[1][6] = "东经"
    response = upload(client, hotline, xlsx(rows))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/exchange/batches/{batch.pk}/"

    page = client.get(f"/console/exchange/batches/{batch.pk}/").content.decode()
    assert rows[0][1] in page  # the preview shows the first rows as the mapping reads them
    assert "东经 不是数字。" in page
    assert 'data-testid="valid-rows"' in page
    assert "139****5670" in page and "13912345670" not in page  # the phone masked

    errors = client.get(f"/console/exchange/batches/{batch.pk}/errors.csv")
    lines = errors.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "3,经度,东经 不是数字。"

    client.post(f"/console/exchange/batches/{batch.pk}/run/")
    batch.refresh_from_db()
    assert batch.state == BatchState.REFUSED and not Case.objects.exists()

    client.post(f"/console/exchange/batches/{batch.pk}/run/", {"valid_rows": "1"})
    batch.refresh_from_db()
    assert (batch.state, batch.created, batch.failed) == (BatchState.DONE, 2, 1)
    assert Case.objects.count() == 2

    export = client.get(f"/console/exchange/sources/{hotline.name}/export.csv")
    assert export.status_code == 200 and "FZ1" in export.content.decode("utf-8-sig")


def test_a_mapping_is_saved_only_when_it_is_valid(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    url = f"/console/exchange/sources/{hotline.name}/"
    bad = client.post(url, {"form": "mapping", "name": "v2", "spec": json.dumps({"columns": {"title": "标题"}})})
    assert bad.status_code == 200 and not ColumnMapping.objects.filter(name="v2").exists()
    good = client.post(url, {"form": "mapping", "name": "v2", "spec": json.dumps(HOTLINE_MAPPING)})
    assert good.status_code == 302 and ColumnMapping.objects.filter(source=hotline, name="v2").exists()


def test_the_pages_are_for_the_dispatch_centre(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.carol)
    assert client.get("/console/exchange/").status_code == 403
    assert upload(client, hotline, xlsx(hotline_rows(1))).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_past_systems_file_is_imported_as_history_from_the_console(login: Any, cast: Cast) -> None:
    from suban.cases.models import Status
    from suban.exchange.models import SourceKind
    from tests.exchange.conftest import BUILT_IN, FUZHOU

    client = login(cast.dora)
    created = client.post("/console/exchange/", {"name": "fz-old", "label": "福州旧系统", "kind": SourceKind.HISTORY})
    assert created.status_code == 302
    source = Source.objects.get(name="fz-old")
    spec = (BUILT_IN / "fuzhou12345.json").read_text(encoding="utf-8")
    saved = client.post(
        f"/console/exchange/sources/{source.name}/", {"form": "mapping", "name": "default", "spec": spec}
    )
    assert saved.status_code == 302
    upload(client, source, FUZHOU.read_bytes())
    batch = ImportBatch.objects.get()
    page = client.get(f"/console/exchange/batches/{batch.pk}/").content.decode()
    assert "2020-09-03 00:00" in page  # the creation time as the mapping reads it
    client.post(f"/console/exchange/batches/{batch.pk}/run/")
    batch.refresh_from_db()
    assert (batch.state, batch.created) == (BatchState.DONE, 20)
    assert Case.objects.filter(status=Status.CLOSED, exchange__historical=True).count() == 20


def test_the_batch_page_calls_its_report_an_import_report(login: Any, cast: Cast, hotline: Source) -> None:
    # "Report" alone is also the case nature 举报 (a report of wrongdoing); the batch's report is not that.
    client = login(cast.dora)
    upload(client, hotline, xlsx(hotline_rows(1)))
    url = f"/console/exchange/batches/{ImportBatch.objects.get().pk}/"
    page = client.get(url).content.decode()
    heading = page.split('data-testid="report"', 1)[1].split("</h2>", 1)[0]
    assert "举报" not in heading
    page = english(client, url)
    assert '<h2 data-testid="report-title">Import report</h2>' in page


def test_a_mapping_that_is_not_json_is_told_where_in_the_users_language(
    login: Any, cast: Cast, hotline: Source
) -> None:
    client = login(cast.dora)
    url = f"/console/exchange/sources/{hotline.name}/"
    page = english(client, url, {"form": "mapping", "name": "v2", "spec": "{bad json"})
    assert "This is not valid JSON (line 1, column 2)." in page
    assert "Expecting property name" not in page  # Python's own English words
    assert not ColumnMapping.objects.filter(name="v2").exists()


def test_exports_keep_formula_like_text_as_text(login: Any, cast: Cast, hotline: Source) -> None:
    """A 12345 file is data from outside: a title or a column that a spreadsheet would run comes back as text
    in the export and in the error report, also behind a leading tab or carriage return."""
    client = login(cast.dora)
    rows = hotline_rows(3)
    rows[0][1] = '\t=HYPERLINK("http://x","点此")'
    rows[1][1] = "＝1+1"
    rows[2][2] = "\r@SUM(1+1)*cmd|' /C calc'!A0"
    rows[2][6] = "=1+1"  # not a number: lands in the error report
    upload(client, hotline, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    report = client.get(f"/console/exchange/batches/{batch.pk}/errors.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report)))[1][2].startswith("'=1+1")
    client.post(f"/console/exchange/batches/{batch.pk}/run/", {"valid_rows": "1"})

    export = client.get(f"/console/exchange/sources/{hotline.name}/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(export)) for cell in row]
    titles = [cell for cell in cells if "HYPERLINK" in cell or "1+1" in cell]
    assert titles and all(cell.startswith("'") for cell in titles), titles
