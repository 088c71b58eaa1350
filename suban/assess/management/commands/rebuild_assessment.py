"""python manage.py rebuild_assessment [--rollups-only]: recompute the assessment from the cases.

For a history imported in bulk (no signals were sent), after the exclusion rules changed, or after a check
found the roll-ups wrong. Writers wait while the roll-ups are rewritten (PostgreSQL locks the two tables).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suban.assess.services import rebuild


class Command(BaseCommand):
    help = "Recompute every case's assessment row and the roll-ups (set-based) from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rollups-only",
            action="store_true",
            help="keep the assessment rows as they are and recompute only the roll-ups from them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = rebuild(rows=not options["rollups_only"])
        self.stdout.write(
            f"{result.cases} cases, {result.unit_rows} unit-day rows, {result.matter_rows} matter rows "
            f"in {time.monotonic() - started:.1f} s"
        )
