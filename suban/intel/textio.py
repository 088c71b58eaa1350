"""Reading messages from a CSV: UTF-8 with a header row (a BOM is fine), text columns joined with a space,
dates in the formats real exports use. Every problem is a CsvError that says which file, row and column."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# Some exports carry very long detail cells; the csv module's default limit (128 KiB) is too small for them.
csv.field_size_limit(16 * 1024 * 1024)

DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)
_SPACES = re.compile(r"\s+")


class CsvError(ValueError):
    pass


def clean_text(value: str) -> str:
    """Tabs, newlines and runs of spaces (exports pad the detail text with them) become one space."""
    return _SPACES.sub(" ", value).strip()


def parse_date(value: str) -> datetime:
    text = clean_text(value).replace("：", ":")
    if text.endswith("Z"):
        text = text[:-1]
    # Fractional seconds and a time zone add nothing at the precision hotspots need.
    text = re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", text)
    text = re.sub(r"([+-]\d{2}:?\d{2})$", "", text) if "T" in text else text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(value)


def split_columns(spec: str) -> list[str]:
    columns = [c.strip() for c in spec.replace("，", ",").split(",") if c.strip()]
    if not columns:
        raise CsvError("No column named: give one or more column names separated by commas.")
    return columns


@dataclass(frozen=True)
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]

    def column(self, name: str) -> list[str]:
        return [row[name] for row in self.rows]

    def texts(self, columns: Sequence[str]) -> list[str]:
        """The named columns joined with a space, each cleaned of padding."""
        return [" ".join(t for t in (clean_text(row[c]) for c in columns) if t) for row in self.rows]

    def dates(self, name: str) -> list[datetime]:
        found: list[datetime] = []
        for number, row in enumerate(self.rows, start=2):  # row 1 is the header
            value = row[name]
            try:
                found.append(parse_date(value))
            except ValueError:
                raise CsvError(
                    f'{self.path}: row {number}, column "{name}": "{value}" is not a date '
                    '(expected e.g. "2019/7/12 17:00:34", "2019-07-21 10:29:36" or "2019-07-21").'
                ) from None
        return found

    def numbers(self, name: str) -> list[float]:
        found: list[float] = []
        for number, row in enumerate(self.rows, start=2):
            value = clean_text(row[name])
            if not value:
                found.append(0.0)
                continue
            try:
                found.append(float(value.replace(",", "")))
            except ValueError:
                raise CsvError(f'{self.path}: row {number}, column "{name}": "{value}" is not a number.') from None
        return found


def read_table(path: str | Path, required: Sequence[str] = ()) -> Table:
    """The CSV's rows as dicts; CsvError if it cannot be read, is empty or lacks a required column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file.") from None
    except OSError as exc:
        raise CsvError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(f"{path}: not UTF-8 (byte {exc.start}); save the file as UTF-8 CSV.") from None
    if not text.strip():
        raise CsvError(f"{path}: the file is empty; it needs a header row and at least one row of data.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        body = [line for line in reader if any(cell.strip() for cell in line)]
    except csv.Error as exc:
        raise CsvError(f"{path}: not a valid CSV ({exc}).") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvError(f"{path}: no column {', '.join(repr(m) for m in missing)}; the header has {', '.join(header)}.")
    if not body:
        raise CsvError(f"{path}: the file has a header but no rows of data.")
    rows = [dict(zip(header, [*line, *[""] * (len(header) - len(line))], strict=False)) for line in body]
    return Table(path=path, header=header, rows=rows)
