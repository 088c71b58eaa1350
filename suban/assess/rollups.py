"""Applying deltas to the roll-ups: one INSERT ... ON CONFLICT DO UPDATE SET c = c + excluded.c per table, so
concurrent writers add to the same row without losing counts (PostgreSQL and SQLite both speak it).

Rows are written in key order, so two transactions touching the same rows take their locks in one order and
do not deadlock each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import connection

from suban.assess.measures import MatterKey, UnitKey
from suban.assess.models import MATTER_COUNTERS, UNIT_COUNTERS, MatterDay, UnitDay
from suban.org.directory import Directory

BATCH = 500


def _upsert(table: str, keys: Sequence[str], columns: Sequence[str], rows: list[list[Any]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    names = [*keys, *columns]
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(n) for n in names)}) VALUES "  # noqa: S608 (our names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    counters = [c for c in columns if c != "kind"]
    tail = f" ON CONFLICT ({', '.join(qn(k) for k in keys)}) DO UPDATE SET " + ", ".join(
        f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in counters
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            sql = head + ", ".join([one] * len(chunk)) + tail
            cursor.execute(sql, [value for row in chunk for value in row])


def _day(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def apply_unit_deltas(deltas: dict[UnitKey, Counter[str]], units: Directory) -> None:
    rows: list[list[Any]] = []
    for (unit_id, day), delta in sorted(deltas.items()):
        if not any(delta.values()):
            continue
        unit = units.get(unit_id)
        kind = unit.kind if unit is not None else ""
        rows.append([unit_id, _day(day), kind, *(delta.get(name, 0) for name in UNIT_COUNTERS)])
    _upsert(UnitDay._meta.db_table, ["unit_id", "day"], ["kind", *UNIT_COUNTERS], rows)


def apply_matter_deltas(deltas: dict[MatterKey, Counter[str]]) -> None:
    rows: list[list[Any]] = []
    for (day, street_id, matter_id), delta in sorted(deltas.items()):
        if not any(delta.values()):
            continue
        rows.append([_day(day), street_id, matter_id, *(delta.get(name, 0) for name in MATTER_COUNTERS)])
    _upsert(MatterDay._meta.db_table, ["day", "street_id", "matter_id"], list(MATTER_COUNTERS), rows)
