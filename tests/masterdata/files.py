"""Small import files built in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook

Rows = Sequence[Sequence[object]]


def csv_bytes(rows: Rows, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(data: bytes, sheet: int = 0) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


UNIT_HEADER = ["编码", "名称", "类型", "上级编码", "专属网格类型", "地址", "电话", "别名"]

NEW_STREET = [
    UNIT_HEADER,
    ["S3", "南街道", "街道", "D", "", "南路1号", "0532-88881234", "南办、南街"],
    ["S3C1", "南一社区", "社区", "S3", "", "", "", ""],
    ["S3C1G1", "南一社区第一网格", "网格", "S3C1", "", "", "", ""],
    ["S3C1X", "南一中学", "专属网格", "S3C1", "学校", "", "", ""],
]
