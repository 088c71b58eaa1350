from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.intel import cli
from suban.intel.classifier import cross_validate
from suban.intel.management.commands.train_classifier import load_keywords


class Command(BaseCommand):
    help = (
        "Measure the classifier by stratified k-fold cross-validation: every fold's model is trained without "
        "the fold and scored on it. Prints the macro-F1 and each label's F1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_text_arguments(parser)
        parser.add_argument("--label-column", required=True)
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0, help="how the rows are shuffled into folds")
        parser.add_argument(
            "--unlabelled", action="append", metavar="CSV", help="unlabelled messages, as for train_classifier"
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
        folds = options["folds"]
        source = cli.table(options["csv"], [*columns, label_column])
        messages, labels, unlabelled_rows = cli.labelled(source, columns, label_column)
        if folds < 2:
            raise CommandError("--folds must be at least 2.")
        counts = {label: labels.count(label) for label in sorted(set(labels))}
        if len(counts) < 2:
            raise CommandError(f'Column "{label_column}" has a single label; there is nothing to tell apart.')
        if max(counts.values()) < folds:
            raise CommandError(f"No label has {folds} rows; use fewer folds.")
        rare = [label for label, n in counts.items() if n < folds]
        if rare:
            self.stderr.write(f"Fewer rows than folds for {', '.join(rare)}: some folds will not see them.")
        extra = cli.unlabelled_messages(options["unlabelled"], columns)
        keywords = load_keywords(options["taxonomy"], labels, self.stderr.write)
        result = cross_validate(
            messages, labels, folds=folds, unlabelled=extra, keywords=keywords, seed=options["seed"]
        )
        self.stdout.write(
            f"{source.path.name}: {result.rows} rows, {len(counts)} labels of {label_column}, "
            f"stratified {folds}-fold (seed {options['seed']}), {len(extra)} unlabelled texts offered"
        )
        self.stdout.write(f"macro-F1 {result.macro_f1:.4f}  accuracy {result.accuracy:.4f}")
        self.stdout.write("per fold macro-F1 " + " ".join(f"{s:.4f}" for s in result.fold_macro_f1))
        width = max(len(s.label) for s in result.per_label)
        self.stdout.write(f"{'label':<{width}}  precision  recall  F1      rows")
        for score in result.per_label:
            self.stdout.write(
                f"{score.label:<{width}}  {score.precision:.4f}     {score.recall:.4f}  {score.f1:.4f}  {score.support}"
            )
        if unlabelled_rows:
            self.stdout.write(f"({unlabelled_rows} rows without a label left out)")
        self.stdout.write(f"({result.seconds:.0f} s)")
