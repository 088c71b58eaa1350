from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from suban.intel.textio import CsvError, parse_date, read_table, split_columns
from tests.intel.conftest import write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019/7/12 17:00:34", datetime(2019, 7, 12, 17, 0, 34)),
        ("2019-07-21 10:29:36", datetime(2019, 7, 21, 10, 29, 36)),
        ("2019-07-21", datetime(2019, 7, 21)),
        ("2019/7/2", datetime(2019, 7, 2)),
        (" 2019/7/12 17:00 ", datetime(2019, 7, 12, 17, 0)),
        ("2019-07-21T10:29:36+08:00", datetime(2019, 7, 21, 10, 29, 36)),
        ("2019年7月21日", datetime(2019, 7, 21)),
    ],
)
def test_it_reads_the_date_formats_exports_use(value: str, expected: datetime) -> None:
    assert parse_date(value) == expected


def test_it_rejects_what_is_no_date() -> None:
    with pytest.raises(ValueError):
        parse_date("yesterday")


def test_a_bom_and_padded_cells_are_fine(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["编号", "主题", "详情"], [["1", " 标题 ", "\t第一行\n第二行  "]], bom=True)
    table = read_table(path, ["编号", "主题", "详情"])
    assert table.header == ["编号", "主题", "详情"]
    assert table.texts(["主题", "详情"]) == ["标题 第一行 第二行"]


def test_a_missing_column_is_named_with_the_columns_there_are(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["编号", "主题"], [["1", "标题"]])
    with pytest.raises(CsvError, match="no column '详情'; the header has 编号, 主题"):
        read_table(path, ["主题", "详情"])


def test_an_empty_file_and_a_header_alone_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CsvError, match="the file is empty"):
        read_table(empty)
    header_only = write_csv(tmp_path / "header.csv", ["编号", "主题"], [])
    with pytest.raises(CsvError, match="no rows of data"):
        read_table(header_only)


def test_a_missing_file_and_a_wrong_encoding_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="no such file"):
        read_table(tmp_path / "none.csv")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("编号,主题\n1,标题\n".encode("gbk"))
    with pytest.raises(CsvError, match="not UTF-8"):
        read_table(gbk)


def test_a_bad_date_names_the_row_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["编号", "时间"], [["1", "2019/7/12"], ["2", "下周一"]])
    with pytest.raises(CsvError, match='row 3, column "时间": "下周一" is not a date'):
        read_table(path).dates("时间")


def test_column_lists_take_chinese_commas_too() -> None:
    assert split_columns("留言主题，留言详情") == ["留言主题", "留言详情"]
    with pytest.raises(CsvError):
        split_columns(" , ")
