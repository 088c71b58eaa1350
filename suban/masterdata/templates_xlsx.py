"""Workbooks to download: an empty template with the Chinese headers, and the current data in the same layout."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from suban.masterdata.columns import COLUMNS, ImportKind
from suban.masterdata.exports import KIND_WORDS, export_rows, special_kind_words
from suban.org.models import GRID_KINDS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 500  # rows formatted as text and offered the kind lists in an empty template

SHEET_TITLES: dict[str, str] = {ImportKind.UNITS: "单位", ImportKind.STAFF: "人员", ImportKind.GRIDS: "网格"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def template_workbook(kind: str) -> bytes:
    """An empty sheet with the headers (required ones shaded), kind lists, and an instructions sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    _write_sheet(sheet, kind, [], text_rows=TEMPLATE_ROWS)
    _add_choice_lists(sheet, kind)
    _write_instructions(workbook.create_sheet(_("Instructions")), kind)
    return _save(workbook)


def export_workbook(kind: str) -> bytes:
    """The current data of the kind, in the import layout."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    _write_sheet(sheet, kind, export_rows(kind), text_rows=0)
    return _save(workbook)


def _write_sheet(sheet: Worksheet, kind: str, rows: Iterable[list[str]], *, text_rows: int) -> None:
    columns = COLUMNS[kind]
    sheet.title = SHEET_TITLES[kind]
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for values in rows:
        sheet.append(values)
    text_columns = [index for index, column in enumerate(columns, start=1) if column.text]
    for row in range(2, max(sheet.max_row, text_rows + 1) + 1):
        for index in text_columns:
            sheet.cell(row=row, column=index).number_format = "@"


def _add_choice_lists(sheet: Worksheet, kind: str) -> None:
    fields = [column.field for column in COLUMNS[kind]]
    kinds = [KIND_WORDS[k] for k in GRID_KINDS] if kind == ImportKind.GRIDS else list(KIND_WORDS.values())
    lists = {"kind": kinds, "special_kind": special_kind_words()}
    for field, words in lists.items():
        if field not in fields:
            continue
        letter = get_column_letter(fields.index(field) + 1)
        # Offered, not enforced: the importer also reads 镇, 村 and the English values.
        validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"', showErrorMessage=False)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)


def _write_instructions(sheet: Worksheet, kind: str) -> None:
    sheet.append([_("Column"), _("Required column"), _("What to write")])
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
    for column in COLUMNS[kind]:
        sheet.append([column.header, _("yes") if column.required else "", str(column.help)])
    notes = [
        _("The header must stay in row 1; rows may come in any order, but parents above their children."),
        _("If any row has an error, nothing is imported; the errors name the row and column."),
        _("An empty cell keeps the current value of an existing record."),
    ]
    sheet.append([])
    for note in notes:
        sheet.append([note])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
