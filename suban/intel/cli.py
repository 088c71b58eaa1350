"""What the intel commands share: reading a CSV of messages into classifier input, with clear errors."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import CommandError, CommandParser

from suban.intel.classifier import Message
from suban.intel.textio import CsvError, Table, read_table, split_columns


def add_text_arguments(parser: CommandParser) -> None:
    parser.add_argument("--csv", required=True, help="UTF-8 CSV with a header row (a BOM is fine)")
    parser.add_argument(
        "--text-columns",
        required=True,
        help="columns joined with a space to make the text, e.g. 留言主题,留言详情; the first is the title",
    )


def text_columns(spec: str) -> list[str]:
    try:
        return split_columns(spec)
    except CsvError as exc:
        raise CommandError(str(exc)) from None


def table(path: str, required: Sequence[str]) -> Table:
    try:
        return read_table(path, required)
    except CsvError as exc:
        raise CommandError(str(exc)) from None


def messages(source: Table, columns: Sequence[str]) -> list[Message]:
    titles = source.texts(columns[:1])
    texts = source.texts(columns)
    return [Message(title=title, text=text) for title, text in zip(titles, texts, strict=True)]


def unlabelled_messages(paths: Sequence[str] | None, columns: Sequence[str]) -> list[Message]:
    found: list[Message] = []
    for path in paths or ():
        found.extend(messages(table(path, columns), columns))
    return found


def labelled(source: Table, columns: Sequence[str], label_column: str) -> tuple[list[Message], list[str], int]:
    """The messages that carry a label, their labels, and how many rows had none."""
    rows = messages(source, columns)
    labels = [value.strip() for value in source.column(label_column)]
    kept = [(m, label) for m, label in zip(rows, labels, strict=True) if label]
    if not kept:
        raise CommandError(f'{source.path}: no row has a label in column "{label_column}".')
    return [m for m, _ in kept], [label for _, label in kept], len(rows) - len(kept)
