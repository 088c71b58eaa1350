"""python manage.py load_catalogue [--csv PATH]: create or update the matter catalogue from a taxonomy file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.catalogue.services import catalogue_load
from suban.catalogue.taxonomy import PACKAGED, read_taxonomy
from suban.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create or update the matter catalogue (一级/二级/三级分类) from a CSV file; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv",
            type=Path,
            default=PACKAGED,
            help="the taxonomy file, columns 一级分类,二级分类,三级分类 (default: the packaged copy)",
        )

    def handle(self, *args: Any, csv: Path, **options: Any) -> None:
        try:
            result = catalogue_load(by=None, rows=read_taxonomy(csv), source=str(csv))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        levels = ", ".join(f"level {n}: {count}" for n, count in enumerate(result.by_level, start=1))
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue from {csv}: {levels}; "
                f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
