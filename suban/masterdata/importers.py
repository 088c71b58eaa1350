"""Importing master data: one importer per kind, one entry point, one result type."""

from __future__ import annotations

from typing import Any

from suban.accounts.models import User
from suban.errors import Invalid
from suban.masterdata.base import Importer
from suban.masterdata.columns import KIND_PERMISSIONS, ImportKind
from suban.masterdata.readers import read_table
from suban.masterdata.results import ImportResult, RowError
from suban.masterdata.staff_importer import StaffImporter
from suban.masterdata.unit_importer import GridImporter, UnitImporter
from suban.org.services import require_perm

__all__ = ["IMPORTERS", "ImportResult", "RowError", "import_file"]

IMPORTERS: dict[str, type[Importer[Any]]] = {
    ImportKind.UNITS: UnitImporter,
    ImportKind.STAFF: StaffImporter,
    ImportKind.GRIDS: GridImporter,
}


def import_file(kind: str, data: bytes, *, by: User | None, dry_run: bool = False) -> ImportResult:
    """Check every row of an .xlsx or .csv file, then write them all in one transaction, or write nothing.

    `by` is the person importing (None: the system, from the command line). With `dry_run` the rows are
    written and rolled back, so the counts and errors are those a real run would give.
    """
    require_perm(by, KIND_PERMISSIONS[kind])
    importer_class = IMPORTERS[kind]
    try:
        table = read_table(data, importer_class.columns)
    except Invalid as exc:
        return ImportResult(errors=[RowError(0, "", exc.message)], dry_run=dry_run)
    return importer_class(table, by=by).run(dry_run=dry_run)
