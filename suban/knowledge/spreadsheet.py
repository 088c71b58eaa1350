"""The knowledge base in a spreadsheet (the 12345 hotline keeps its knowledge in one): exported in the layout
an import reads, imported all or nothing with every row's problems named by row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.catalogue.selectors import matters_by_code
from suban.errors import DomainError, Invalid
from suban.knowledge.lifecycle import is_author_of_unit, is_reviewer
from suban.knowledge.models import Article, ArticleVersion
from suban.knowledge.services import Content, articles_import
from suban.masterdata.columns import Column
from suban.masterdata.readers import read_table
from suban.masterdata.results import RowError
from suban.org.models import Unit
from suban.spreadsheet import formula_like

COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", text=True, width=8),
    Column("title", "问题", ("标题", "问题标题", "问题描述"), required=True, width=40),
    Column("questions", "其他问法", ("相似问法", "其他问题"), width=40),
    Column("answer", "答复", ("答案", "答复内容", "答复口径"), required=True, width=60),
    Column("basis", "政策依据", width=30),
    Column("basis_url", "政策链接", ("依据链接",), width=30),
    Column("matters", "事项编码", text=True, width=16),
    Column("tags", "标签", ("关键词",), width=16),
    Column("valid_from", "生效日期", width=12),
    Column("valid_to", "失效日期", width=12),
    Column("public", "向群众公开", ("公开",), width=10),
    Column("owner", "所属单位编码", ("单位编码",), text=True, width=14),
    Column("status", "状态", width=10),
    Column("uses", "使用次数", width=10),
)
YES = {"是", "1", "yes", "y", "true", "公开"}
NO = {"否", "0", "no", "n", "false", "不公开"}
SPLIT = re.compile(r"[,，;；、\s]+")


@dataclass
class Result:
    created: list[Article] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _date(text: str) -> date | None:
    if not text:
        return None
    text = text.split("T")[0].replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        raise Invalid(_("Write the date as 2026-03-01.")) from None


def _public(text: str) -> bool:
    if not text or text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise Invalid(_("Write 是 or 否."))


def read_articles(*, by: User, data: bytes) -> tuple[list[tuple[Content, Unit]], list[RowError]]:
    """The rows of the file as content and owning unit, and every problem found (nothing is written)."""
    table = read_table(data, COLUMNS)
    errors = list(table.errors)
    header = {c.field: table.headers.get(c.field, c.header) for c in COLUMNS}
    units = {u.code: u for u in Unit.objects.filter(code__in={r.get("owner") for r in table.rows if r.get("owner")})}
    rows: list[tuple[Content, Unit]] = []
    for row in table.rows:
        try:
            values: dict[str, Any] = {}
            for name, parse in (("valid_from", _date), ("valid_to", _date), ("public", _public)):
                try:
                    values[name] = parse(row.get(name))
                except Invalid as exc:
                    raise Invalid(exc.message, field=name) from None
            codes = [c for c in SPLIT.split(row.get("matters")) if c]
            owner = units.get(row.get("owner")) if row.get("owner") else by.unit
            if owner is None:
                raise Invalid(_("There is no unit with the code %(code)s.") % {"code": row.get("owner")}, field="owner")
            if not (is_author_of_unit(by, owner.path) or is_reviewer(by)):
                raise Invalid(_("You may write articles only for your own unit and the units under it."), field="owner")
            content = Content(
                title=row.get("title"),
                answer=row.get("answer"),
                questions=row.get("questions"),
                basis=row.get("basis"),
                basis_url=row.get("basis_url"),
                matters=matters_by_code(codes, field="matters"),
                tags=row.get("tags"),
                **values,
            ).cleaned()
            rows.append((content, owner))
        except DomainError as exc:
            errors.append(RowError(row.number, header.get(exc.field or "", ""), exc.message))
    if not table.rows and not errors:
        errors.append(RowError(0, "", _("The file has no articles.")))
    return rows, errors


def import_articles(*, by: User, data: bytes, publish: bool = False) -> Result:
    """All the file's articles, or none when any row has a problem (each one reported)."""
    rows, errors = read_articles(by=by, data=data)
    if errors:
        return Result(errors=errors)
    return Result(created=articles_import(by=by, rows=rows, publish=publish))


def _text(sheet: Any, value: Any) -> Any:
    if formula_like(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_articles(*, by: User, articles: QuerySet[Article]) -> bytes:
    """The articles' live texts (a draft's pending one), in the layout an import reads."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Knowledge base"))
    sheet.append([c.header for c in COLUMNS])
    count = 0
    for article in articles.select_related("owner", "live", "pending").prefetch_related(
        "live__matters", "pending__matters"
    ):
        shown: ArticleVersion | None = article.live or article.pending
        if shown is None:
            continue
        row = [
            str(article.pk),
            shown.title,
            shown.questions,
            shown.answer,
            shown.basis,
            shown.basis_url,
            ",".join(m.code for m in shown.matters.all()),
            shown.tags,
            shown.valid_from.isoformat() if shown.valid_from else "",
            shown.valid_to.isoformat() if shown.valid_to else "",
            "是" if shown.public else "否",
            article.owner.code,
            article.get_status_display(),
            article.uses,
        ]
        sheet.append([_text(sheet, v) for v in row])
        count += 1
    out = BytesIO()
    workbook.save(out)
    audit_record(action="knowledge.export", actor=by, detail={"articles": count})
    return out.getvalue()
