"""Reading a whole file through a mapping and checking every row before anything is written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from suban.exchange.mapping import CheckedMapping, Mapped, parse
from suban.exchange.models import ColumnMapping, ExchangeRecord, Source
from suban.exchange.reader import SourceFile, read_source_file


@dataclass
class Checked:
    headers: list[str]
    rows: list[Mapped]  # every row of the file, with its problems
    duplicates: dict[str, int] = field(default_factory=dict)  # order id already imported -> its case id
    file_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> list[Mapped]:
        return [r for r in self.rows if r.ok and r.values["order_id"] not in self.duplicates]

    @property
    def failed(self) -> list[Mapped]:
        return [r for r in self.rows if not r.ok]

    def errors(self) -> list[dict[str, Any]]:
        found = list(self.file_errors)
        for row in self.rows:
            found.extend({"row": row.row, "column": c, "message": m} for c, m in row.problems)
        return found


def checked_mapping(mapping: ColumnMapping | dict[str, Any], *, historical: bool) -> CheckedMapping:
    spec = mapping.as_dict() if isinstance(mapping, ColumnMapping) else mapping
    return parse(spec, historical=historical)


def check_file(
    source: Source, plan: CheckedMapping, data: bytes, *, limit: int | None = None, file: SourceFile | None = None
) -> Checked:
    """Map and check every row; an order id seen twice in the file is an error on the later row, one imported
    before is a duplicate (not an error: a re-import creates nothing and says so)."""
    table = file or read_source_file(data, limit=limit, only=plan.headers())
    missing = plan.missing_headers(table.headers)
    if missing:
        return Checked(
            headers=table.headers,
            rows=[],
            file_errors=[
                {"row": 1, "column": h, "message": _("The mapping names this column; the file has no such column.")}
                for h in missing
            ],
        )
    rows = [plan.read(number, cells) for number, cells in table.rows]
    counts = Counter(r.values.get("order_id") for r in rows if r.values.get("order_id"))
    seen: set[str] = set()
    for row in rows:
        ref = row.values.get("order_id")
        if ref is not None and counts[ref] > 1:
            if ref in seen:
                row.problems.append(
                    (
                        plan.column_label("order_id"),
                        _("The order id %(ref)s appears earlier in the file.") % {"ref": ref},
                    )
                )
            seen.add(ref)
    refs = [r.values["order_id"] for r in rows if r.ok]
    duplicates: dict[str, int] = {}
    for start in range(0, len(refs), 2000):
        chunk = refs[start : start + 2000]
        duplicates.update(ExchangeRecord.objects.filter(source=source, ref__in=chunk).values_list("ref", "case_id"))
    return Checked(headers=table.headers, rows=rows, duplicates=duplicates)
