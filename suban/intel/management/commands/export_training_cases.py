import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.cases.models import Case
from suban.intel.models import Correction


class Command(BaseCommand):
    help = (
        "Write the cases that have a matter as a training CSV (编号,标题,内容,事项,一级事项,性质,纠正): the "
        "matter is the one the case has now, so dispatchers' corrections are what the next training learns. "
        "Then: train_classifier --csv FILE --text-columns 标题,内容 --label-column 一级事项 --model "
        "var/models/matter-DATE.joblib"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        corrected = set(Correction.objects.values_list("case_id", flat=True))
        out = Path(options["out"])
        count = 0
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["编号", "标题", "内容", "事项", "一级事项", "性质", "纠正"])
                cases = Case.objects.filter(matter__isnull=False).select_related("matter", "matter__parent")
                for case in cases.order_by("id").iterator(chunk_size=2000):
                    top = case.matter
                    seen = 0
                    while top is not None and top.parent_id is not None and seen < 10:
                        top = top.parent
                        seen += 1
                    writer.writerow(
                        [
                            case.number,
                            case.title,
                            case.text,
                            case.matter.code if case.matter else "",
                            top.name if top else "",
                            case.nature,
                            "1" if case.pk in corrected else "",
                        ]
                    )
                    count += 1
        except OSError as exc:
            raise CommandError(f"{out}: cannot write ({exc.strerror}).") from None
        self.stdout.write(f"{count} cases written to {out} ({len(corrected)} corrected by a dispatcher).")
