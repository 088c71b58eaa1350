from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.masterdata.columns import ImportKind
from suban.masterdata.importers import import_file


class Command(BaseCommand):
    help = (
        "Import units, staff or grids from an .xlsx or .csv file: every row is checked first, "
        "then all are written in one transaction, or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and count, but write nothing")

    def handle(self, *args: Any, kind: str, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        result = import_file(kind, data, by=None, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary(), returncode=1)
        self.stdout.write(result.summary())
