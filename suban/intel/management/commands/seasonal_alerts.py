import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel.seasonal import MIN_CASES, MIN_RATIO, WEEKS, YEARS, seasonal_alerts
from suban.org.models import Unit, UnitKind


class Command(BaseCommand):
    help = (
        "Seasonal alerts (未诉先办): per street, the matters that rose in the same coming weeks of earlier years, "
        "with the figures (cases in those weeks, the usual for that many weeks, the ratio)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="the code of one district (default: every district)")
        parser.add_argument("--date", help="the first day of the coming weeks, YYYY-MM-DD (default: today)")
        parser.add_argument("--weeks", type=int, default=WEEKS)
        parser.add_argument("--years", type=int, default=YEARS)
        parser.add_argument("--min-cases", type=int, default=MIN_CASES)
        parser.add_argument("--min-ratio", type=float, default=MIN_RATIO)
        parser.add_argument("--json", action="store_true", help="print JSON instead of lines")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["weeks"] < 1 or o["years"] < 1 or o["min_cases"] < 1 or o["min_ratio"] <= 0:
            raise CommandError("--weeks, --years and --min-cases must be 1 or more, --min-ratio above 0.")
        try:
            today = date.fromisoformat(o["date"]) if o["date"] else None
        except ValueError:
            raise CommandError(f"--date {o['date']!r} is not a date such as 2026-12-01.") from None
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path")
        if o["district"]:
            districts = districts.filter(code=o["district"])
            if not districts.exists():
                raise CommandError(f"There is no district with the code {o['district']}.")
        found = []
        for district in districts:
            found += seasonal_alerts(
                district,
                today=today,
                weeks=o["weeks"],
                years=o["years"],
                min_cases=o["min_cases"],
                min_ratio=o["min_ratio"],
            )
        if o["json"]:
            self.stdout.write(json.dumps([a.as_json() for a in found], ensure_ascii=False, indent=2))
            return
        for a in found:
            years = "; ".join(f"{y.window_start}: {y.in_window} (usual {y.usual:.1f})" for y in a.years)
            self.stdout.write(f"{a.street.name} {a.matter}: ×{a.ratio:.1f} — {years}")
        self.stdout.write(f"{len(found)} alerts.")
