from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel.daily import compute_all, compute_hotspots
from suban.org.models import Unit, UnitKind


class Command(BaseCommand):
    help = (
        "Compute the hotspot list of each district (or one) from its cases of the last days now, as the nightly "
        "job does, and store it for the console and the API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="how many days back (default: the INTEL_HOTSPOT_DAYS setting)")
        parser.add_argument("--district", help="the code of one district (default: every district)")

    def handle(self, *args: Any, days: int | None = None, district: str | None = None, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        if district:
            unit = Unit.objects.filter(code=district, kind=UnitKind.DISTRICT).first()
            if unit is None:
                raise CommandError(f"There is no district with the code {district}.")
            runs = [compute_hotspots(unit, days=days)]
        else:
            runs = compute_all(days=days)
        for run in runs:
            self.stdout.write(f"{run.district.name}: {run.hotspots} hotspots among {run.cases} cases.")
