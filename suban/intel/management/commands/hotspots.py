import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel import cli
from suban.intel.hotspots import HALF_LIFE_DAYS, THRESHOLD, WINDOW_DAYS, Report, find_hotspots
from suban.intel.textio import CsvError


class Command(BaseCommand):
    help = (
        "Find hotspots in a CSV of requests: groups of similar requests, hottest first, written as a JSON list "
        'of {"title", "ids", "score", "start", "end"}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_text_arguments(parser)
        parser.add_argument("--id-column", required=True)
        parser.add_argument("--time-column", required=True, help='e.g. "2019/7/12 17:00:34", "2019-07-21"')
        parser.add_argument("--support-column", help="likes / me-too count, e.g. 点赞数")
        parser.add_argument("--area-column", help="the place (district, street, river) for the spread")
        parser.add_argument("--reporter-column", help="who reported it: repeats by one person count once")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--threshold", type=float, default=THRESHOLD, help="cosine of keywords to link two")
        parser.add_argument(
            "--window-days", type=float, default=WINDOW_DAYS, help="link only requests this close in time (0: any)"
        )
        parser.add_argument("--half-life-days", type=float, default=HALF_LIFE_DAYS)
        parser.add_argument("--out", required=True, help="the JSON file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        columns = cli.text_columns(options["text_columns"])
        optional = [options[k] for k in ("support_column", "area_column", "reporter_column") if options[k]]
        id_column, time_column = options["id_column"], options["time_column"]
        source = cli.table(options["csv"], [*columns, id_column, time_column, *optional])
        if options["top"] < 1:
            raise CommandError("--top must be at least 1.")
        if not 0 < options["threshold"] <= 1:
            raise CommandError("--threshold must be above 0 and at most 1.")
        try:
            times = source.dates(time_column)
            support = source.numbers(options["support_column"]) if options["support_column"] else None
        except CsvError as exc:
            raise CommandError(str(exc)) from None
        titles = source.texts(columns[:1])
        texts = source.texts(columns)
        areas = source.texts([options["area_column"]]) if options["area_column"] else None
        reporters = source.texts([options["reporter_column"]]) if options["reporter_column"] else None
        reports = [
            Report(
                id=row_id.strip(),
                title=titles[k],
                text=texts[k],
                time=times[k],
                support=support[k] if support else 0.0,
                area=areas[k] if areas else "",
                reporter=reporters[k] if reporters else "",
            )
            for k, row_id in enumerate(source.column(id_column))
        ]
        found = find_hotspots(
            reports,
            top=options["top"],
            threshold=options["threshold"],
            window_days=options["window_days"] or None,
            half_life_days=options["half_life_days"],
        )
        out = Path(options["out"])
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(
                json.dumps([h.as_json() for h in found], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            raise CommandError(f"{out}: cannot write ({exc.strerror}).") from None
        self.stdout.write(f"{len(found)} hotspots from {len(reports)} requests written to {out}.")
        for rank, hotspot in enumerate(found, start=1):
            self.stdout.write(
                f"{rank:>2}. {hotspot.score:6.3f}  {len(hotspot.ids):>3} requests  "
                f"{hotspot.start:%Y-%m-%d}..{hotspot.end:%Y-%m-%d}  {hotspot.title}"
            )
