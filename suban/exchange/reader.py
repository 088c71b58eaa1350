"""A source's file (.csv or .xlsx, header in row 1) as its headers and its rows keyed by header, numbered as
Excel numbers them. No fixed columns: the mapping says which header is which field."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from suban.errors import Invalid
from suban.masterdata.readers import cell_text

MAX_ROWS = 200_000
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class SourceFile:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as Excel shows it, header -> cell text)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_source_file(data: bytes, *, limit: int | None = None, only: set[str] | None = None) -> SourceFile:
    """All rows (or the first `limit`); with `only`, the cells of those headers alone (the rest are not
    converted to text at all). Raises Invalid when the file cannot be read."""
    if not data.strip():
        raise Invalid(_("The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise Invalid(_("This is an old .xls workbook; please save it as .xlsx or .csv."))
    if data.startswith(_XLSX_MAGIC):
        return _xlsx(data, limit, only)
    return _csv(data, limit, only)


def _build(
    header_cells: list[str], body: Iterable[Sequence[Any]], limit: int | None, only: set[str] | None
) -> SourceFile:
    headers = header_cells
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise Invalid(_("The column %(header)s appears twice in the header row.") % {"header": header})
        seen.add(header)
    wanted = [(i, h) for i, h in enumerate(headers) if h and (only is None or h in only)]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(body, start=2):
        if limit is not None and len(rows) >= limit:
            break
        size = len(cells)
        values = {h: cell_text(cells[i]) if i < size else "" for i, h in wanted}
        if not any(values.values()) and not any(cell_text(v) for v in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise Invalid(_("The file has more than %(n)d rows; please split it.") % {"n": MAX_ROWS})
        rows.append((number, values))
    return SourceFile(headers=[h for h in headers if h], rows=rows)


def _csv(data: bytes, limit: int | None, only: set[str] | None) -> SourceFile:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell_text(v) for v in next(reader, [])]
        return _build(header, reader, limit, only)
    except csv.Error as exc:
        raise Invalid(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _xlsx(data: bytes, limit: int | None, only: set[str] | None) -> SourceFile:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Invalid(_("The workbook cannot be read: %(error)s") % {"error": exc}) from None
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header = [cell_text(v) for v in next(lines, ())]
        return _build(header, lines, limit, only)
    finally:
        workbook.close()
