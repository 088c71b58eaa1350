"""Closed cases of a past system, imported as history: set-based, thousands of rows a second.

Each row becomes a CLOSED case with the dates of the file (created, replied, closed) and the seven events
that replay to the closed state (submit, accept, dispatch, claim, reply, approve_reply, close or rate), each
at its time, by the system, marked {"historical": true}. Cases, events and records are written with one
INSERT per thousand rows, in one transaction: a failure leaves nothing. Nobody is notified and no deadline
runs (the steps are history, not news).

References: a historical case's source_ref is "<source name>:<the source's id>" (the engine keeps
(source_ref, channel) unique across all cases, and past systems number 1, 2, 3 ... like each other and like
live hotlines); ExchangeRecord.ref holds the source's id as it is.

Numbers: a historical case takes a number of its own scheme,
H<source id>-<8-digit sequence of the source> (H2-00000017), so it never takes a number from the day's
counter of live cases and never collides with one (those are all digits).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import DateTimeField, DecimalField, F, JSONField, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from suban import crypto
from suban.accounts.models import User
from suban.accounts.scope import can_reach_unit, reach_of
from suban.cases.models import Case, CaseEvent, Channel, Satisfaction, Status
from suban.cases.routing import district_of, level_of
from suban.errors import Invalid
from suban.exchange.access import require_exchange
from suban.exchange.batches import batch_refuse, forget_file, open_upload
from suban.exchange.checking import check_file, checked_mapping
from suban.exchange.mapping import CheckedMapping, Mapped
from suban.exchange.models import BatchState, ExchangeRecord, ImportBatch, Source
from suban.org.directory import directory
from suban.org.grid_index import lookup_points
from suban.org.models import Unit

CHUNK = 1000
REF_LENGTH = Case._meta.get_field("source_ref").max_length or 64
S = Status
# The steps every historical case went through, in order: (action, from, to, which time).
STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("submit", "", S.NEW, "created"),
    ("accept", S.NEW, S.ACCEPTED, "created"),
    ("dispatch", S.ACCEPTED, S.DISPATCHED, "created"),
    ("claim", S.DISPATCHED, S.IN_PROGRESS, "created"),
    ("reply", S.IN_PROGRESS, S.REVIEWING, "replied"),
    ("approve_reply", S.REVIEWING, S.VISITING, "replied"),
    ("close", S.VISITING, S.CLOSED, "closed"),  # "rate" instead when the file has the satisfaction
)


def import_history(
    *, batch: ImportBatch, by: User | None, valid_rows: bool = False, data: bytes | None = None
) -> ImportBatch:
    """Import a checked file of a past system's cases (see the module). `by=None` is the system (the command);
    a dispatcher imports into their own district only."""
    require_exchange(by, batch.source)
    if batch.state == BatchState.DONE:
        raise Invalid(_("This file has been imported already."))
    if batch.mapping is None:
        raise Invalid(_("The mapping of this batch has been deleted."))
    plan = checked_mapping(batch.mapping, historical=True)
    if data is None:
        with open_upload(batch) as handle:
            data = handle.read()
    started = time.monotonic()
    checked = check_file(batch.source, plan, data)
    rows = checked.valid
    _place(rows, plan, by, batch.source)
    batch.rows = len(checked.rows)
    batch.failed = len(checked.failed)
    batch.duplicates = sum(1 for r in checked.rows if r.ok and r.values["order_id"] in checked.duplicates)
    batch.errors = checked.errors()
    batch.valid_rows_only = valid_rows
    if checked.file_errors or (batch.errors and not valid_rows):
        return batch_refuse(batch, started)
    rows = [r for r in rows if r.ok]
    with transaction.atomic():
        batch.created = _write(batch.source, batch, plan, rows, by)
        if plan.assess:
            _assess(batch)
        batch.state = BatchState.DONE
        batch.seconds = time.monotonic() - started
        batch.finished_at = timezone.now()
        batch.save()
    forget_file(batch)
    batch.save(update_fields=["file"])
    return batch


def _assess(batch: ImportBatch) -> None:
    """History mapped to count (options.assess) is assessed like cases whose events sent no signal; the rest is
    left out (suban.assess skips cases with a historical, not assessable ExchangeRecord: assess-interface)."""
    if not apps.is_installed("suban.assess"):
        return
    from suban.assess.services import rebuild_assessment

    rebuild_assessment(cases=ExchangeRecord.objects.filter(batch=batch).values_list("case_id", flat=True))


def _home_district(by: User | None) -> Unit | None:
    if by is None:
        return None
    return district_of(by.unit)


def history_ref(source: Source, ref: str) -> str:
    return f"{source.name}:{ref}"


def _place(rows: list[Mapped], plan: CheckedMapping, by: User | None, batch_source: Source) -> None:
    """The grid of each row from its point (one bulk lookup); a mapped lead unit outside the importer's reach
    is a row error."""
    units = directory()
    located = [r for r in rows if "longitude" in r.values]
    hits = lookup_points([r.values["longitude"] for r in located], [r.values["latitude"] for r in located])
    for row, hit in zip(located, hits, strict=True):
        row.values["grid"] = units.get(hit.grid_id) if hit is not None else None
    for row in rows:
        if len(history_ref(batch_source, row.values["order_id"])) > REF_LENGTH:
            row.problems.append((plan.column_label("order_id"), _("This id is too long to keep.")))
        unit = row.values.get("unit")
        if unit is not None and by is not None and not can_reach_unit(by, unit):
            row.problems.append((plan.column_label("unit"), _("%(unit)s is outside your reach.") % {"unit": unit.name}))
        grid = row.values.get("grid")
        if grid is not None and by is not None and not grid.path.startswith(reach_of(by).unit_path or "\0"):
            row.values["grid"] = None  # a place outside the importer's district is kept as text only


def _chunks(items: list[Mapped]) -> Iterator[list[Mapped]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _take_numbers(source: Source, count: int) -> int:
    """Reserve `count` numbers of the source; returns the first."""
    Source.objects.filter(pk=source.pk).update(last_number=F("last_number") + count)
    last = Source.objects.values_list("last_number", flat=True).get(pk=source.pk)
    return int(last) - count + 1


def _write(source: Source, batch: ImportBatch, plan: CheckedMapping, rows: list[Mapped], by: User | None) -> int:
    first = _take_numbers(source, len(rows))
    home = _home_district(by)
    now = timezone.now()
    created = 0
    for chunk in _chunks(rows):
        cases = [_case(source, plan, row, first + created + i, home) for i, row in enumerate(chunk)]
        for case in cases:
            case.updated_at = now
        insert_rows(Case, [case_values(c) for c in cases], CASE_COLUMNS)
        ids = dict(Case.objects.filter(number__in=[c.number for c in cases]).values_list("number", "pk"))
        events: list[tuple[Any, ...]] = []
        records: list[tuple[Any, ...]] = []
        for case, row in zip(cases, chunk, strict=True):
            case.pk = ids[case.number]
            events.extend(_events(source, batch, plan, case, row))
            records.append(
                (case.pk, source.pk, row.values["order_id"], batch.pk, True, plan.assess, case.created_at, now)
            )
        insert_rows(CaseEvent, events, EVENT_COLUMNS)
        insert_rows(ExchangeRecord, records, RECORD_COLUMNS)
        created += len(chunk)
    return created


# bulk_create spends most of an import preparing each value of each row through its field (measured: 80% of
# the time); the rows here are built by this module from checked values, so they are adapted once per column
# and sent with one executemany per table and chunk.
CASE_COLUMNS = tuple(str(f.column) for f in Case._meta.concrete_fields if not f.primary_key)
EVENT_COLUMNS = (
    "case_id",
    "seq",
    "action",
    "actor_id",
    "actor_unit_id",
    "from_status",
    "to_status",
    "note",
    "data",
    "public",
    "at",
)
RECORD_COLUMNS = ("case_id", "source_id", "ref", "batch_id", "historical", "assessable", "source_time", "created_at")


def case_values(case: Case) -> tuple[Any, ...]:
    return tuple(getattr(case, f.attname) for f in Case._meta.concrete_fields if not f.primary_key)


def _adapter(model: type[Model], column: str) -> Callable[[Any], Any] | None:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    if isinstance(field, DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, DecimalField):
        return lambda v: connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, JSONField):
        return lambda v: connection.ops.adapt_json_value(v, field.encoder)
    return None


def insert_rows(model: type[Model], rows: list[tuple[Any, ...]], columns: tuple[str, ...]) -> None:
    if not rows:
        return
    adapters = [(i, a) for i, a in enumerate(_adapter(model, c) for c in columns) if a is not None]
    prepared: list[list[Any]] = []
    for row in rows:
        values = list(row)
        for i, adapt in adapters:
            if values[i] is not None:
                values[i] = adapt(values[i])
        prepared.append(values)
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per row (executemany's pipeline), 3-4 times quicker.
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            cursor.executemany(sql, prepared)


def _case(source: Source, plan: CheckedMapping, row: Mapped, seq: int, home: Unit | None) -> Case:
    v = row.values
    created: datetime = v["created_at"]
    closed: datetime = v.get("closed_at") or v.get("replied_at") or created
    replied: datetime | None = v.get("replied_at")
    if replied is not None and replied > closed:
        # Past systems touch a case after closing it (NYC's resolution update a second later): the reply is
        # kept no later than the closing, so that the log runs forward in time; the event keeps the original.
        v["replied_at_in_source"] = replied.isoformat()
        replied = closed
    grid: Unit | None = v.get("grid")
    lead: Unit = v.get("unit") or home or district_of(grid)
    case = Case(
        number=f"H{source.pk}-{seq:08d}",
        case_type=v.get("case_type") or Case._meta.get_field("case_type").default,
        nature=v.get("nature") or Case._meta.get_field("nature").default,
        matter=v.get("matter"),
        channel=v.get("channel") or Channel.OTHER,
        title=v["title"][:200],
        text=v.get("text", ""),
        urgency=v.get("urgency") or Case._meta.get_field("urgency").default,
        longitude=v.get("longitude"),
        latitude=v.get("latitude"),
        address=v.get("address", "")[:300],
        grid=grid,
        area_path=grid.path if grid is not None else "",
        contact_name=v.get("contact_name", ""),
        anonymous=bool(v.get("anonymous", False)),
        confidential=bool(v.get("confidential", False)),
        source_ref=history_ref(source, v["order_id"]),
        status=Status.CLOSED,
        level=level_of(lead),
        unit=lead,
        unit_path=lead.path,
        dispatched_at=created,
        claimed_at=created,
        replied_at=replied,
        reply=v.get("reply", ""),
        closed_at=closed,
        satisfaction=v.get("satisfaction", ""),
        version=len(STEPS),
        created_at=created,
    )
    if v.get("phone"):
        case.contact_phone_encrypted = crypto.encrypt(v["phone"])
    return case


def _events(source: Source, batch: ImportBatch, plan: CheckedMapping, case: Case, row: Mapped) -> list[tuple[Any, ...]]:
    times = {"created": case.created_at, "replied": case.replied_at or case.closed_at, "closed": case.closed_at}
    mark = {"historical": True, "source": source.name, "assessable": plan.assess}
    events: list[tuple[Any, ...]] = []
    for seq, (action, before, after, when) in enumerate(STEPS, start=1):
        data: dict[str, Any] = dict(mark)
        if action == "submit":
            data.update(channel=case.channel, batch=batch.pk, ref=row.values["order_id"])
            if row.extra:
                data["extra"] = row.extra
        elif action == "dispatch":
            data.update(unit=case.unit.code if case.unit else None, by_list=False)
        elif action == "reply":
            data["reply"] = case.reply  # where a live reply keeps its text (suban.cases.visibility.reply_for)
            if "replied_at_in_source" in row.values:
                data["replied_at_in_source"] = row.values["replied_at_in_source"]
        elif action == "approve_reply":
            data["reply"] = case.reply
        elif action == "close" and case.satisfaction:
            action = "rate"
            data.update(satisfaction=case.satisfaction, resolved=case.satisfaction != Satisfaction.UNSATISFIED)
        elif action == "close" and row.values.get("closed_at") is None:
            data["closed_at_inferred"] = True  # the file had no closing time: the reply's (or creation's)
        events.append((case.pk, seq, action, None, None, before, after, "", data, True, times[when]))
    return events
