from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel import cli
from suban.intel.classifier import TextClassifier, default_model_path, model_path, read_keywords
from suban.intel.textio import CsvError


class Command(BaseCommand):
    help = (
        "Train a text classifier from a labelled CSV and save it as a versioned model "
        "(MODEL.joblib and MODEL.json with version, labels, rows, date and metrics)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_text_arguments(parser)
        parser.add_argument("--label-column", required=True, help="the column holding the label, e.g. 一级标签")
        parser.add_argument("--model", help="where to write the model (default var/models/LABEL-DATE.joblib)")
        parser.add_argument(
            "--unlabelled",
            action="append",
            metavar="CSV",
            help="a CSV of unlabelled messages with the same text columns, used to learn the text space "
            "(repeatable); rows that repeat a labelled text are left out",
        )

        parser.add_argument(
            "--taxonomy",
            metavar="CSV",
            help="label keywords: a CSV whose first column is the label and whose other columns name its "
            "sub-categories (e.g. teddy2020c's taxonomy.csv); used as a prior, no row of it is a training row",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        columns = cli.text_columns(options["text_columns"])
        label_column = options["label_column"]
        source = cli.table(options["csv"], [*columns, label_column])
        messages, labels, unlabelled_rows = cli.labelled(source, columns, label_column)
        extra = cli.unlabelled_messages(options["unlabelled"], columns)
        keywords = load_keywords(options["taxonomy"], labels, self.stderr.write)
        target = model_path(options["model"]) if options["model"] else default_model_path(label_column)
        model = TextClassifier.train(
            messages,
            labels,
            unlabelled=extra,
            keywords=keywords,
            meta={
                "source": source.path.name,
                "text_columns": columns,
                "label_column": label_column,
                "unlabelled_sources": [str(p) for p in options["unlabelled"] or ()],
                "taxonomy": options["taxonomy"],
            },
        )
        try:
            path = model.save(target)
        except OSError as exc:
            raise CommandError(f"{target}: cannot write the model ({exc.strerror}).") from None
        meta = model.meta
        if unlabelled_rows:
            self.stderr.write(f"{unlabelled_rows} rows without a label were left out.")
        self.stdout.write(
            f"Trained {path} (version {meta['version']}): {meta['training_rows']} rows, "
            f"{len(meta['labels'])} labels, {meta['unlabelled_rows']} unlabelled texts, "
            f"{meta['training_seconds']} s."
        )
        for key, value in meta["metrics"].items():
            if key != "note":
                self.stdout.write(f"  {key}: {value}")


def load_keywords(path: str | None, labels: Sequence[str], warn: Callable[[str], Any]) -> dict[str, str] | None:
    """The label keywords of `--taxonomy`, or None without it; a CommandError if the file is unreadable."""
    if not path:
        return None
    try:
        keywords = read_keywords(path)
    except CsvError as exc:
        raise CommandError(str(exc)) from None
    if not set(keywords) & set(labels):
        warn(f"{path}: none of its labels is a label of the training rows; the taxonomy is not used.")
    return keywords
