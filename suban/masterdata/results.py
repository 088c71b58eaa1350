"""What an import reports: counts, or the row errors that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    row: int  # the row number Excel shows (the header is row 1); 0 when the file as a whole is at fault
    column: str  # the header as written in the file, or "" when no one column is at fault
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row} if self.row else _("file")
        if self.column:
            where = _("%(where)s, %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Nothing was imported: errors found: %(n)d.") % {"n": len(self.errors)}
        counts = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            return _("Dry run, nothing was written: %(counts)s") % {"counts": counts}
        return counts
