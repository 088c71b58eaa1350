import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel import cli
from suban.intel.classifier import TextClassifier


class Command(BaseCommand):
    help = "Classify every row of a CSV with a trained model; writes id,label,confidence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", required=True, help="a model written by train_classifier")
        cli.add_text_arguments(parser)
        parser.add_argument("--id-column", required=True, help="the column identifying a row, e.g. 留言编号")
        parser.add_argument("--out", required=True, help="the CSV to write (id,label,confidence)")

    def handle(self, *args: Any, **options: Any) -> None:
        columns = cli.text_columns(options["text_columns"])
        id_column = options["id_column"]
        source = cli.table(options["csv"], [*columns, id_column])
        try:
            model = TextClassifier.load(options["model"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        predictions = model.predict(cli.messages(source, columns))
        out = Path(options["out"])
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "label", "confidence"])
                for row_id, prediction in zip(source.column(id_column), predictions, strict=True):
                    writer.writerow([row_id.strip(), prediction.label, f"{prediction.confidence:.4f}"])
        except OSError as exc:
            raise CommandError(f"{out}: cannot write ({exc.strerror}).") from None
        self.stdout.write(f"Classified {len(predictions)} rows into {out}.")
