"""python manage.py assessment_report --month YYYY-MM --out FILE.xlsx [--unit CODE] [--kind monthly|weekly|daily]

Writes the report of a period as a workbook (or a PDF when FILE ends in .pdf): the monthly report holds the
ranking of streets and departments with the bottom two marked, the figures against the month before and the
same month a year earlier, the high-frequency matters with their trend, and the month's hotspots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from suban.assess import reports
from suban.assess.exports import report_pdf, report_xlsx
from suban.assess.periods import parse_anchor, parse_month
from suban.errors import DomainError
from suban.org.models import Unit


class Command(BaseCommand):
    help = "Write an assessment report (the monthly ranking workbook by default) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (monthly report)")
        parser.add_argument("--date", help="YYYY-MM-DD: any day of the period (daily and weekly reports)")
        parser.add_argument("--kind", choices=sorted(reports.KINDS), default="monthly")
        parser.add_argument("--unit", help="the code of the unit reported on (default: the district)")
        parser.add_argument("--out", required=True, help="FILE.xlsx or FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["kind"] == "monthly":
                if not options["month"]:
                    raise CommandError("--month YYYY-MM is required for the monthly report")
                anchor = parse_month(options["month"]).start
            else:
                anchor = parse_anchor(options["date"], timezone.localdate())
        except DomainError as exc:
            raise CommandError(exc.message) from None
        unit = self._unit(options["unit"])
        report = reports.build(reports.UnitReader(unit), unit, options["kind"], anchor)
        out = Path(options["out"])
        body = report_pdf(report) if out.suffix.lower() == ".pdf" else report_xlsx(report)
        out.write_bytes(body)
        bottom = ", ".join(row.unit.name for row in report.bottom) or "-"
        self.stdout.write(f"{report.title}: {out} ({len(body)} bytes); bottom two: {bottom}")

    def _unit(self, code: str | None) -> Unit:
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"no unit with the code {code}")
            return unit
        root = Unit.objects.filter(parent__isnull=True, kind="district").order_by("pk").first()
        if root is None:
            raise CommandError("no district: load the organisation first")
        return root
