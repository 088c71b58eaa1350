"""The knowledge base in a spreadsheet: exported in the layout an import reads; imported all or nothing, every
problem named by row and column; formulas stay text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from suban.knowledge.models import Article, ArticleStatus, VersionState
from tests.conftest import Cast
from tests.knowledge.conftest import HEATING, SOCIAL, published

pytestmark = pytest.mark.django_db

HEADERS = ["问题", "其他问法", "答复", "政策链接", "生效日期", "失效日期", "向群众公开", "所属单位编码"]


def workbook(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed as text, as a person's spreadsheet holds it (not a formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


GOOD = [
    ["居住证怎么办？", "外地人办居住证", "到派出所申请。", "https://gaj.qingdao.gov.cn/", "2026-01-01", "", "是", ""],
    ['=HYPERLINK("http://x")', "", "公式也是文字。", "", "", "2027/12/31", "否", "DEPT1"],
]


def test_a_department_imports_drafts_and_the_district_imports_published(cast: Cast) -> None:
    response = browser(cast.dan).post("/console/knowledge/import/", {"file": _upload(workbook(GOOD))})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = list(Article.objects.order_by("pk"))
    assert [a.status for a in made] == [ArticleStatus.DRAFT, ArticleStatus.DRAFT]
    assert made[0].pending.questions == "外地人办居住证" and made[0].owner.code == "DEPT1"
    assert made[1].pending.title == '=HYPERLINK("http://x")' and made[1].pending.public is False
    response = browser(cast.sam).post("/console/knowledge/import/", {"file": _upload(workbook(GOOD)), "publish": "on"})
    assert response.status_code == 302
    published_ = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    assert published_.count() == 2 and {a.live.state for a in published_} == {VersionState.PUBLISHED}
    # A department may not publish at once.
    refused = browser(cast.dan).post("/console/knowledge/import/", {"file": _upload(workbook(GOOD)), "publish": "on"})
    assert refused.status_code == 400 and Article.objects.count() == 4


def test_every_problem_is_named_and_nothing_is_written(cast: Cast) -> None:
    bad = [
        ["", "", "没有问题的答复", "", "", "", "", ""],
        ["问题", "", "", "", "", "", "", ""],
        ["问题", "", "答复", "ftp://x", "", "", "", ""],
        ["问题", "", "答复", "", "去年", "", "", ""],
        ["问题", "", "答复", "", "", "", "也许", ""],
        ["问题", "", "答复", "", "", "", "", "S2"],  # not his unit
        ["好问题", "", "好答复", "", "", "", "", ""],
    ]
    response = browser(cast.dan).post("/console/knowledge/import/", {"file": _upload(workbook(bad))})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('data-testid="import-error"') == 6
    for where in ("第2行", "第3行", "第4行", "第5行", "第6行", "第7行"):
        assert where in page, where
    assert not Article.objects.exists()
    missing = browser(cast.dan).post("/console/knowledge/import/", {"file": _upload(workbook([["x"]], ["标题"]))})
    assert missing.status_code == 400 and "答复" in missing.content.decode()


def test_the_export_is_the_layout_the_import_reads(cast: Cast) -> None:
    published(cast, SOCIAL)
    published(cast, HEATING)
    response = browser(cast.dora).get("/console/knowledge/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "问题", "其他问法", "答复") and len(rows) == 3
    again = browser(cast.sam).post("/console/knowledge/import/", {"file": _upload(response.content)})
    assert again.status_code == 302 and Article.objects.count() == 4


def test_the_api_imports_and_exports(cast: Cast) -> None:
    client = browser(cast.dan)
    response = client.post("/api/knowledge/import", {"file": _upload(workbook(GOOD))})
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    bad = client.post("/api/knowledge/import", {"file": _upload(workbook([["问题", "", "", "", "", "", "", ""]]))})
    body = bad.json()["error"]
    assert bad.status_code == 400 and body["field"] == "file" and body["details"][0]["row"] == 2
    exported = client.get("/api/knowledge/export.xlsx")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxml")
    cells = [row[1] for row in load_workbook(io.BytesIO(exported.content)).worksheets[0].iter_rows(min_row=2)]
    formula = next(c for c in cells if str(c.value).startswith("="))
    assert formula.data_type == "s"  # the title that looks like a formula stays text in the reader's Excel


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("knowledge.xlsx", data)
