from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.errors import DomainError
from suban.org.geojson_io import grids_import
from suban.org.grid_index import invalidate_grid_index


class Command(BaseCommand):
    help = "Create or update units (grids) from a GeoJSON FeatureCollection; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **opts: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        try:
            result = grids_import(by=None, data=data)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) found in {file}; nothing was imported.")
        invalidate_grid_index()
        self.stdout.write(f"{file}: {result.summary()}")
