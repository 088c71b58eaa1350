import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.errors import DomainError
from suban.org.geojson_io import grids_export, units_for_export


class Command(BaseCommand):
    help = "Write the active grids (optionally of one subtree) as a GeoJSON FeatureCollection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--under", default=None, help="code of the unit whose subtree to export")
        parser.add_argument("--out", required=True, type=Path, help="file to write ('-' for standard output)")
        parser.add_argument(
            "--all-kinds", action="store_true", help="also export streets and communities, to seed an empty system"
        )

    def handle(self, *args: Any, under: str | None, out: Path, all_kinds: bool, **opts: Any) -> None:
        try:
            data = grids_export(units_for_export(under=under, all_kinds=all_kinds))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if str(out) == "-":
            self.stdout.write(text)
            return
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}") from None
        self.stdout.write(f"{out}: {len(data['features'])} features written.")
