"""Reading .csv and .xlsx files: encodings, headers in Chinese or English, row numbers as Excel shows them."""

import pytest

from suban.errors import Invalid
from suban.masterdata.columns import UNIT_COLUMNS
from suban.masterdata.importers import import_file
from suban.masterdata.readers import read_table
from suban.org.models import Unit
from tests.masterdata.files import NEW_STREET, csv_bytes, xlsx_bytes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_files_in_utf8_with_or_without_bom_and_in_gb18030_read_the_same(encoding):
    table = read_table(csv_bytes(NEW_STREET, encoding), UNIT_COLUMNS)
    assert table.errors == []
    assert table.headers["name"] == "名称"
    assert [row.get("name") for row in table.rows] == ["南街道", "南一社区", "南一社区第一网格", "南一中学"]


def test_a_gb18030_csv_imports(org):
    result = import_file("units", csv_bytes(NEW_STREET, "gb18030"), by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="S3").name == "南街道"


def test_headers_may_carry_notes_marks_and_english_names():
    rows = [["编码*", "Name", "类型（区/街道/社区）", "parent code", "备注"], ["S3", "南街道", "街道", "D", "随便写"]]
    table = read_table(csv_bytes(rows), UNIT_COLUMNS)
    assert table.errors == []
    assert table.rows[0].values == {"code": "S3", "name": "南街道", "kind": "街道", "parent_code": "D"}


def test_unknown_doubled_and_missing_columns_are_errors_of_row_one():
    rows = [["编码", "code", "名字", "类型"], ["S3", "S3", "南街道", "街道"]]
    table = read_table(csv_bytes(rows), UNIT_COLUMNS)
    assert [(e.row, e.column) for e in table.errors] == [(1, "code"), (1, "名字"), (1, "名称"), (1, "上级编码")]


def test_xlsx_numbers_come_back_as_the_digits_a_person_typed():
    rows = [["编码", "名称", "类型", "上级编码", "电话"], [110105, "南街道", "街道", "D", 13800000001.0]]
    table = read_table(xlsx_bytes(rows), UNIT_COLUMNS)
    assert table.rows[0].get("code") == "110105"
    assert table.rows[0].get("phone") == "13800000001"


def test_xlsx_rows_are_numbered_as_excel_shows_them_with_empty_rows_skipped():
    rows = [NEW_STREET[0], NEW_STREET[1], [None] * 8, [" ", "", None], NEW_STREET[2]]
    table = read_table(xlsx_bytes(rows), UNIT_COLUMNS)
    assert [row.number for row in table.rows] == [2, 5]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0rest of an old workbook", ".xls"),
        (b"PK\x03\x04not really a zip", "workbook"),
        (b"\xff\xfe\x00\xd8\x00\x00\xff", "UTF-8"),
    ],
    ids=["empty", "old xls", "broken xlsx", "unknown encoding"],
)
def test_files_that_cannot_be_read_say_why(data, words):
    with pytest.raises(Invalid) as caught:
        read_table(data, UNIT_COLUMNS)
    assert words in caught.value.message


def test_an_unreadable_file_is_one_error_of_the_whole_file(org):
    result = import_file("units", b"PK\x03\x04junk", by=None)
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert str(result.errors[0]).startswith("file: ")
