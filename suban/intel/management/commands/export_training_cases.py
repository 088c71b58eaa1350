import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from suban.cases.models import Case
from suban.catalogue.models import Matter
from suban.intel.catalogue import catalogue_paths
from suban.intel.models import Correction


class Command(BaseCommand):
    help = (
        "Write the cases that have a matter as a training CSV (编号,标题,内容,事项,一级事项,性质,纠正): the "
        "matter a dispatcher chose over the model's suggestion (intel.Correction) when there is one, else the "
        "one the case has now, so dispatchers' corrections are what the next training learns. "
        "Then: train_classifier --csv FILE --text-columns 标题,内容 --label-column 一级事项 --model "
        "var/models/matter-DATE.joblib"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--unlabelled-out",
            metavar="CSV",
            help="also write the cases without a matter (编号,标题,内容), for train_classifier --unlabelled: "
            "the text space learns from them",
        )
        parser.add_argument(
            "--taxonomy-out",
            metavar="CSV",
            help="also write the active matter catalogue as 一级事项,二级事项,三级事项 (one row per path), for "
            "train_classifier --taxonomy: the catalogue's names as a prior for each first-level matter",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        corrected = set(Correction.objects.values_list("case_id", flat=True))
        # The matter each corrected case was given by a dispatcher, the latest correction winning.
        chosen_code: dict[int, str] = {}
        for case_id, code in (
            Correction.objects.filter(kind="matter").order_by("at", "pk").values_list("case_id", "chosen")
        ):
            chosen_code[case_id] = code
        chosen = {m.code: m for m in Matter.objects.filter(code__in=set(chosen_code.values())).select_related("parent")}
        out = options["out"]
        header = ["编号", "标题", "内容", "事项", "一级事项", "性质", "纠正"]
        count = _write(out, header, _training_rows(chosen_code, chosen, corrected))
        self.stdout.write(f"{count} cases written to {out} ({len(corrected)} corrected by a dispatcher).")
        if options["unlabelled_out"]:
            unlabelled = Case.objects.filter(matter__isnull=True).exclude(pk__in=list(chosen_code))
            written = _write(
                options["unlabelled_out"],
                ["编号", "标题", "内容"],
                unlabelled.order_by("id").values_list("number", "title", "text").iterator(chunk_size=2000),
            )
            self.stdout.write(f"{written} cases without a matter written to {options['unlabelled_out']}.")
        if options["taxonomy_out"]:
            written = _write(options["taxonomy_out"], ["一级事项", "二级事项", "三级事项"], catalogue_paths())
            self.stdout.write(f"{written} catalogue paths written to {options['taxonomy_out']}.")


def _training_rows(chosen_code: dict[int, str], chosen: dict[str, Matter], corrected: set[int]) -> Iterator[list[str]]:
    """A row per case with a matter: the one a dispatcher chose when there is one, else the case's."""
    cases = Case.objects.filter(Q(matter__isnull=False) | Q(pk__in=list(chosen_code))).select_related(
        "matter", "matter__parent"
    )
    for case in cases.order_by("id").iterator(chunk_size=2000):
        matter = chosen.get(chosen_code.get(case.pk, ""), case.matter)
        if matter is None:
            continue
        top: Matter | None = matter
        seen = 0
        while top is not None and top.parent_id is not None and seen < 10:
            top = top.parent
            seen += 1
        yield [
            case.number,
            case.title,
            case.text,
            matter.code,
            top.name if top else "",
            case.nature,
            "1" if case.pk in corrected else "",
        ]


def _write(path: str, header: list[str], rows: Iterable[Sequence[Any]]) -> int:
    target = Path(path)
    count = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as exc:
        raise CommandError(f"{target}: cannot write ({exc.strerror}).") from None
    return count
