"""Reading a .csv or .xlsx file into rows keyed by field name, with the row numbers a person sees in Excel."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from suban.errors import Invalid
from suban.masterdata.columns import IGNORED_HEADERS, Column, header_lookup, normalize_header
from suban.masterdata.results import RowError

MAX_ROWS = 20000
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass
class Row:
    number: int
    values: dict[str, str]  # field -> stripped cell text, for the columns present in the file

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class Table:
    rows: list[Row]
    headers: dict[str, str]  # field -> the header as written in the file
    errors: list[RowError] = field(default_factory=list)


def read_table(data: bytes, columns: Sequence[Column]) -> Table:
    """Read an .xlsx (its first sheet) or a .csv, header in row 1. Raises Invalid when the file cannot be read."""
    if not data.strip():
        raise Invalid(_("The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise Invalid(_("This is an old .xls workbook; please save it as .xlsx or .csv."))
    lines = _xlsx_lines(data) if data.startswith(_XLSX_MAGIC) else _csv_lines(data)
    return _to_table(lines, tuple(columns))


def cell_text(value: Any) -> str:
    """A cell as text: 13800000001.0 back to '13800000001', dates as ISO, surrounding blanks dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        value = value.isoformat()
    return str(value).replace("\u00a0", " ").replace("\u200b", "").strip().strip("\u3000")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _csv_lines(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise Invalid(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _xlsx_lines(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Invalid(_("The workbook cannot be read: %(error)s") % {"error": exc}) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(min_row=1, values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _to_table(lines: Iterable[list[Any]], columns: tuple[Column, ...]) -> Table:
    iterator = iter(lines)
    header_cells = [cell_text(v) for v in next(iterator, [])]
    headers, positions, errors = _match_headers(header_cells, columns)
    rows: list[Row] = []
    for number, cells in enumerate(iterator, start=2):
        texts = [cell_text(v) for v in cells]
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS:
            raise Invalid(_("The file has more than %(n)d rows; please split it.") % {"n": MAX_ROWS})
        values = {name: texts[i] if i < len(texts) else "" for name, i in positions.items()}
        rows.append(Row(number=number, values=values))
    return Table(rows=rows, headers=headers, errors=errors)


def _match_headers(
    cells: list[str], columns: tuple[Column, ...]
) -> tuple[dict[str, str], dict[str, int], list[RowError]]:
    lookup = header_lookup(columns)
    ignored = {normalize_header(h) for h in IGNORED_HEADERS}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, text in enumerate(cells):
        if not text or normalize_header(text) in ignored:
            continue
        column = lookup.get(normalize_header(text))
        if column is None:
            errors.append(RowError(1, text, _("Unknown column. Use the headers of the template.")))
        elif column.field in positions:
            errors.append(RowError(1, text, _("Same column as %(other)s.") % {"other": headers[column.field]}))
        else:
            headers[column.field] = text
            positions[column.field] = index
    for column in columns:
        if column.required and column.field not in headers:
            errors.append(RowError(1, column.header, _("This column is missing.")))
    return headers, positions, errors
