"""The inbox's current list as an xlsx workbook: openpyxl's write-only mode, phone numbers masked as on the
page (suban.cases.visibility.contact_for), at most EXPORT_CAP rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from suban.accounts.models import User
from suban.cases.models import Case
from suban.cases.visibility import contact_for
from suban.spreadsheet import formula_like

EXPORT_CAP = 50_000


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
    """Text is written as text: a title starting with "=" must not become a formula in the reader's Excel."""
    cells: list[Any] = []
    for value in values:
        if formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def headers() -> list[str]:
    return [
        _("Case number"),
        _("Title"),
        _("Status"),
        _("Alert"),
        _("Type"),
        _("Nature"),
        _("Channel"),
        _("Matter"),
        _("Lead unit"),
        _("Grid"),
        _("Address"),
        _("Contact"),
        _("Phone"),
        _("Created"),
        _("Due"),
        _("Text"),
    ]


def rows(cases: QuerySet[Case], viewer: User) -> Iterator[list[Any]]:
    # The co-handlers decide whether a confidential complainant may be shown (contact_for → relations).
    for case in cases.prefetch_related("co_handlers").iterator(chunk_size=2000):
        contact = contact_for(case, viewer)
        yield [
            case.number,
            case.title,
            case.get_status_display(),
            case.get_alert_display() if case.alert else "",
            case.get_case_type_display(),
            case.get_nature_display(),
            case.get_channel_display(),
            case.matter.full_name if case.matter else "",
            case.unit.name if case.unit else "",
            case.grid.name if case.grid else "",
            case.address,
            contact["name"],
            contact["phone"],
            _when(case.created_at),
            _when(case.due_at),
            case.text[:2000],
        ]


def export_workbook(cases: QuerySet[Case], viewer: User, *, total: int, cap: int = EXPORT_CAP) -> bytes:
    """The first `cap` cases of the list; when there are more, a last row says so."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    sheet.append(headers())
    for row in rows(cases[:cap], viewer):
        sheet.append(_cells(sheet, row))
    if total > cap:
        sheet.append([])
        sheet.append(
            [
                _("Only the first %(cap)s of %(total)s cases are listed: narrow the filters to export the rest.")
                % {"cap": f"{cap:,}", "total": f"{total:,}"}
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
