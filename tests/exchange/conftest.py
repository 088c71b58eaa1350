"""The exchange's fixtures: a hotline source with a mapping in its own Chinese headers, its work orders made
from real 福州 12345 requests (their titles, texts and natures) placed at points inside the cast's grids, and
the slices of the real NYC 311 and 福州 12345 files in data/."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from suban.exchange.models import ColumnMapping, Source, SourceKind

DATA = Path(__file__).parent / "data"
NYC = DATA / "nyc311_slice.csv"
FUZHOU = DATA / "fuzhou12345_slice.csv"
BUILT_IN = Path(__file__).resolve().parents[2] / "suban" / "exchange" / "mappings"

HEADERS = [
    "工单编号",
    "标题",
    "诉求内容",
    "来电人",
    "来电号码",
    "地址",
    "经度",
    "纬度",
    "受理时间",
    "诉求性质",
    "紧急程度",
]
HOTLINE_MAPPING: dict[str, Any] = {
    "columns": {
        "order_id": "工单编号",
        "title": "标题",
        "text": "诉求内容",
        "contact_name": "来电人",
        "phone": "来电号码",
        "address": "地址",
        "longitude": "经度",
        "latitude": "纬度",
        "time": "受理时间",
        "nature": "诉求性质",
        "urgency": "紧急程度",
        "case_number": "本地工单号",
        "status": "办理状态",
        "reply": "答复内容",
        "replied_at": "答复时间",
    },
    "values": {"urgency": {"一般": "normal", "紧急": "urgent"}, "nature": {"投诉件": "complaint"}},
    "options": {"timezone": "Asia/Shanghai", "datetime_formats": ["%Y/%m/%d %H:%M"], "dispatch": True},
}


def fuzhou_rows(n: int) -> list[dict[str, str]]:
    with FUZHOU.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))[:n]


def hotline_rows(n: int = 5) -> list[list[str]]:
    """n work orders in the hotline's layout, from the first real 福州 requests, in 东一社区第一网格 (S1C1G1)."""
    rows = []
    for i, real in enumerate(fuzhou_rows(n)):
        rows.append(
            [
                f"FZ{real['id']}",
                real["标题"],
                real["投诉件内容"],
                "市民",
                f"1391234{5670 + i}",
                "东一社区",
                "120.005",
                "36.005",
                f"{real['时间'].replace('-', '/')} 09:30",
                real["性质"],
                "一般",
            ]
        )
    return rows


def xlsx(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hotline(db: Any) -> Source:
    source = Source.objects.create(name="fz12345", label="福州12345", kind=SourceKind.HOTLINE)
    ColumnMapping.objects.create(source=source, name="default", **HOTLINE_MAPPING)
    return source
