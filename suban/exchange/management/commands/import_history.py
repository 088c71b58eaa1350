"""python manage.py import_history --source NAME --file F [--mapping M.json] [--valid-rows]"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from suban.errors import DomainError
from suban.exchange.checking import checked_mapping
from suban.exchange.history import import_history
from suban.exchange.models import BatchState, ColumnMapping, ImportBatch, Source, SourceKind

BUILT_IN = Path(__file__).resolve().parents[2] / "mappings"


class Command(BaseCommand):
    help = "Import a past system's closed cases from a .csv or .xlsx file as historical cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="the source's name (created when new)")
        parser.add_argument("--file", required=True)
        parser.add_argument(
            "--mapping",
            help="a mapping JSON file (saved as the source's mapping of that name); default: the source's saved "
            "mapping, or the built-in one named like the source (nyc311, fuzhou12345)",
        )
        parser.add_argument("--valid-rows", action="store_true", help="import the valid rows of a file with errors")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        name = options["source"]
        try:
            with transaction.atomic():
                source, _new = Source.objects.get_or_create(
                    name=name, defaults={"label": name, "kind": SourceKind.HISTORY}
                )
                mapping = self._mapping(source, options.get("mapping"))
            batch = ImportBatch.objects.create(source=source, mapping=mapping, historical=True, file_name=path.name)
            cpu = time.process_time()
            batch = import_history(batch=batch, by=None, valid_rows=options["valid_rows"], data=path.read_bytes())
        except DomainError as exc:
            raise CommandError(exc.message) from None
        cpu = time.process_time() - cpu  # this process only: on a shared machine the wall clock waits for others
        for error in batch.errors[:20]:
            self.stderr.write(f"row {error['row']}, {error['column']}: {error['message']}")
        if len(batch.errors) > 20:
            self.stderr.write(f"... and {len(batch.errors) - 20} more errors")
        seconds = batch.seconds or 0.0
        rate = batch.created / seconds if seconds else 0.0
        self.stdout.write(
            f"{batch.rows} rows: {batch.created} cases created, {batch.duplicates} already imported, "
            f"{batch.failed} with errors; {seconds:.2f} s, {rate:.0f} rows/s "
            f"(CPU of this process {cpu:.2f} s: {batch.created / cpu if cpu else 0:.0f} rows/s)"
        )
        if batch.state == BatchState.REFUSED:
            raise CommandError("Nothing was imported: the file has errors (--valid-rows imports the others).")

    def _mapping(self, source: Source, given: str | None) -> ColumnMapping:
        if given:
            file = Path(given)
            spec = self._load(file)
            checked_mapping(spec, historical=True)
            mapping, _new = ColumnMapping.objects.update_or_create(
                source=source,
                name=file.stem[:40],
                defaults={
                    "columns": spec.get("columns", {}),
                    "values": spec.get("values", {}),
                    "options": spec.get("options", {}),
                },
            )
            return mapping
        saved = source.mappings.order_by("-updated_at").first()
        if saved is not None:
            return saved
        built_in = BUILT_IN / f"{source.name}.json"
        if not built_in.is_file():
            raise CommandError(f"The source {source.name} has no mapping yet: give one with --mapping.")
        return self._mapping(source, str(built_in))

    def _load(self, file: Path) -> dict[str, Any]:
        try:
            spec = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the mapping {file}: {exc}") from None
        if not isinstance(spec, dict):
            raise CommandError("A mapping file holds one JSON object.")
        return spec
